import { Registry } from '@nnsym/core';
import type { ReportInput, ReportRenderer } from './types';

/**
 * The registry of report renderers: core's `Registry` (register / get / list / unregister, duplicate ids throw
 * unless `{ override: true }`, unknown ids name the known ones and the closest) plus {@link resolve}, which picks
 * the renderer for an input. Tests use fresh registries; `reportRenderers` is the process-wide default with the
 * built-in renderers.
 *
 * @example
 * const reg = new ReportRendererRegistry().register(genericRenderer);
 * reg.resolve(input).meta.id; // 'generic'
 */
export class ReportRendererRegistry extends Registry<ReportRenderer> {
  constructor() {
    super('report renderer');
  }

  /**
   * The renderer for an input: the first (in registration order) whose `commands` contain the command or its first
   * word and whose `matches` (if any) accepts the input; otherwise the renderer with id `generic`.
   */
  resolve(input: ReportInput): ReportRenderer {
    const cmd = input.provenance.command;
    const first = cmd.split(/\s+/)[0];
    for (const r of this.list()) {
      if ((r.commands.includes(cmd) || r.commands.includes(first)) && (!r.matches || r.matches(input))) return r;
    }
    return this.get('generic');
  }
}

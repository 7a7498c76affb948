import { UsageError, closestId } from '@nnsym/core';
import type { ReportInput, ReportRenderer } from './types';

/**
 * A registry of report renderers (register / get / list / unregister, like core's plugin registries). Duplicate
 * ids throw unless `{ override: true }`; unknown ids throw naming the known ids and the closest one. Tests use fresh
 * registries; `reportRenderers` is the process-wide default with the built-in renderers.
 *
 * @example
 * const reg = new ReportRendererRegistry().register(genericRenderer);
 * reg.resolve(input).meta.id; // 'generic'
 */
export class ReportRendererRegistry {
  private readonly items = new Map<string, ReportRenderer>();

  register(r: ReportRenderer, options: { override?: boolean } = {}): this {
    const id = r?.meta?.id;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new UsageError(`report renderer: meta.id must be a kebab-case string, got ${JSON.stringify(id)}`, 'meta.id');
    if (this.items.has(id) && !options.override) throw new UsageError(`report renderer "${id}" is already registered (pass { override: true } to replace it)`, 'meta.id');
    this.items.set(id, r);
    return this;
  }

  unregister(id: string): boolean {
    return this.items.delete(id);
  }

  get(id: string): ReportRenderer {
    const r = this.items.get(id);
    if (!r) {
      const near = closestId(id, this.ids());
      throw new UsageError(`unknown report renderer "${id}"${near ? ` (did you mean "${near}"?)` : ''}; known: ${this.ids().join(', ')}`, 'renderer');
    }
    return r;
  }

  list(): ReportRenderer[] {
    return [...this.items.values()];
  }

  ids(): string[] {
    return [...this.items.keys()];
  }

  /**
   * The renderer for an input: the first (in registration order) whose `commands` contain the command or its first
   * word and whose `matches` (if any) accepts the input; otherwise the renderer with id `generic`.
   */
  resolve(input: ReportInput): ReportRenderer {
    const cmd = input.provenance.command;
    const first = cmd.split(/\s+/)[0];
    for (const r of this.items.values()) {
      if ((r.commands.includes(cmd) || r.commands.includes(first)) && (!r.matches || r.matches(input))) return r;
    }
    return this.get('generic');
  }
}

import { type Command } from 'commander';
import { plugins, UsageError } from '@nnsym/core';
import { resultEnvelope } from '../result';
import type { CliContext } from '../context';

/** `nnsym list [kind]`: every registered plugin with its description. */
export function registerList(program: Command, ctx: () => CliContext): void {
  program
    .command('list')
    .description('list registered plugins (architectures, activations, distributions, group actions, ...)')
    .argument('[kind]', 'only this kind, e.g. architecture, activation, distribution, group-action')
    .addHelpText('after', '\nExamples:\n  nnsym list\n  nnsym list architecture --json\n')
    .action(async (kind: string | undefined) => {
      const c = ctx();
      const kinds = plugins.kinds();
      if (kind !== undefined && !kinds.includes(kind)) {
        throw new UsageError(`list: unknown kind "${kind}"; known kinds: ${kinds.join(', ')}`, 'kind');
      }
      const selected = kind ? [kind] : kinds;
      const rows = selected.flatMap((k) => plugins.kind(k).list().map((p) => ({ kind: k, id: p.meta.id, version: p.meta.version, description: p.meta.description, ...(p.meta.aliases?.length ? { aliases: [...p.meta.aliases] } : {}) })));
      if (c.json) {
        c.out(JSON.stringify(await resultEnvelope(c, 'list', 'n/a', { plugins: rows, kinds: selected }, { startBackend: false })));
        return;
      }
      for (const k of selected) {
        c.out(`${k}:`);
        const items = rows.filter((r) => r.kind === k);
        const w = Math.max(...items.map((r) => r.id.length));
        for (const r of items) c.out(`  ${r.id.padEnd(w)}  ${r.description}${r.aliases ? ` (alias ${r.aliases.join(', ')})` : ''}`);
      }
    });
}

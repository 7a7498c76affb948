import { resultEnvelope as coreEnvelope, type Provenance, type SeedKey } from '@nnsym/core';
import type { CliContext } from './context';

export type { Provenance };

/**
 * Build a command's JSON result: `{ nnsym: Provenance, ...payload }` (the envelope lives in `@nnsym/core`; this
 * fills in the CLI's seed, backend and argv; `options.seed` records the run's own seed, e.g. that of a merge's pieces). Every command's `--json` output and every `--out` file uses it.
 *
 * @example await resultEnvelope(ctx, 'kernel', 'float64', { kernel })
 */
export async function resultEnvelope(
  ctx: CliContext,
  command: string,
  precision: string,
  payload: Record<string, unknown>,
  options: { startBackend?: boolean; complete?: boolean; seed?: SeedKey } = {},
): Promise<Record<string, unknown>> {
  // Commands that compute nothing (list, report) record no backend rather than starting one.
  const info = options.startBackend === false ? undefined : await ctx.backend();
  return coreEnvelope({ command, seed: options.seed ?? ctx.seed, backend: info?.name, blas: info?.blas, precision, argv: process.argv.slice(2), complete: options.complete }, payload);
}

import { NNSYM_VERSION, type BlasInfo } from '@nnsym/core';
import type { CliContext } from './context';

/** Provenance recorded in every JSON result: which command, version, seed, backend and precision made it. */
export interface Provenance {
  command: string;
  version: string;
  seed: number | string;
  backend?: string;
  /** The BLAS path of the matmul kernels: library, version, threads, or `{ enabled: false, reason }`. */
  blas?: BlasInfo;
  /** e.g. "float32 sampling (tfjs wasm), float64 accumulation". */
  precision: string;
  time: string;
  argv?: string[];
}

/**
 * Build a command's JSON result: `{ nnsym: Provenance, ...payload }`. Every command's `--json` output and every
 * `--out` file uses this envelope, so `nnsym report` can tell an nnsym result from any other JSON.
 */
export async function resultEnvelope(
  ctx: CliContext,
  command: string,
  precision: string,
  payload: Record<string, unknown>,
  options: { startBackend?: boolean } = {},
): Promise<Record<string, unknown>> {
  // Commands that compute nothing (list, report) record no backend rather than starting one.
  const info = options.startBackend === false ? undefined : await ctx.backend();
  const nnsym: Provenance = {
    command,
    version: NNSYM_VERSION,
    seed: ctx.seed,
    backend: info?.name,
    blas: info?.blas,
    precision,
    time: new Date().toISOString(),
    argv: process.argv.slice(2),
  };
  return { nnsym, ...payload };
}

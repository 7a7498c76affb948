import { NNSYM_VERSION } from '../version';
import type { SeedKey } from '../rng/hash';
import type { BlasInfo } from '../backend/blas/blas';

/**
 * Provenance recorded in every nnsym JSON result: which command, version, seed, backend and precision made it.
 *
 * When to use: any producer of a result file (the CLI, a script, a notebook) wraps its payload with
 * {@link resultEnvelope} so `nnsym report` and `@nnsym/viz` can tell an nnsym result from other JSON.
 *
 * @example
 * const p: Provenance = { command: 'kernel', version: NNSYM_VERSION, seed: 0, precision: 'float64', time: new Date().toISOString() };
 */
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
  /** Present (false) only on results of runs that stopped early (Ctrl-C, SIGTERM): the payload is incomplete. */
  complete?: boolean;
}

/** A result: `{ nnsym: Provenance, ...payload }`. */
export type ResultEnvelope<P extends object = Record<string, unknown>> = { nnsym: Provenance } & P;

/**
 * Wrap a result payload in the nnsym envelope `{ nnsym: Provenance, ...payload }`.
 *
 * When to use: every `--json` output and every `--out` file. The version and time are filled in; pass the rest.
 *
 * @example
 * resultEnvelope({ command: 'kernel', seed: 0, precision: 'float64' }, { kernel: [[1]] })
 * // { nnsym: { command: 'kernel', version: '0.1.0', seed: 0, precision: 'float64', time: '…' }, kernel: [[1]] }
 */
export function resultEnvelope<P extends object>(
  provenance: { command: string; seed: SeedKey; precision: string; backend?: string; blas?: BlasInfo; argv?: string[]; complete?: boolean; time?: string },
  payload: P,
): ResultEnvelope<P> {
  const nnsym: Provenance = {
    command: provenance.command,
    version: NNSYM_VERSION,
    seed: provenance.seed,
    ...(provenance.backend !== undefined ? { backend: provenance.backend } : {}),
    ...(provenance.blas !== undefined ? { blas: provenance.blas } : {}),
    precision: provenance.precision,
    time: provenance.time ?? new Date().toISOString(),
    ...(provenance.argv ? { argv: provenance.argv } : {}),
    ...(provenance.complete === false ? { complete: false } : {}),
  };
  return { nnsym, ...payload };
}

/** Is `v` an nnsym result (an object with an `nnsym` provenance record)? */
export function isResultEnvelope(v: unknown): v is ResultEnvelope {
  const p = (v as { nnsym?: unknown } | null)?.nnsym as Partial<Provenance> | undefined;
  return !!p && typeof p === 'object' && typeof p.command === 'string' && typeof p.version === 'string';
}

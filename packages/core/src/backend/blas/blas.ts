/**
 * The BLAS path of the wasm backend: which CBLAS library serves the matmul kernels, how many threads it uses, and
 * the switch (`--blas` / `NNSYM_BLAS`). Called by `initBackend`; the kernels live in BatchMatMul.ts and
 * _FusedMatMul.ts, the host float64 API in host.ts.
 */
import * as os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { UsageError } from '../../errors';
import { findBlas, type BlasLibrary } from './library';
import { registerBlasKernels } from './register-kernels';
import { blasState, kernelBlas } from './state';

/** What the BLAS path is doing, recorded in {@link BackendInfo} and in every JSON result (`nnsym.blas`). */
export interface BlasInfo {
  /** Whether the matmul kernels call BLAS. */
  enabled: boolean;
  /** `OpenBLAS`, `MKL`, `BLIS`, `Accelerate`, `CBLAS`. */
  library?: string;
  version?: string;
  /** The soname or path that was loaded. */
  path?: string;
  /** BLAS threads (process-wide), or null where the library has no thread control. */
  threads?: number | null;
  /** Kernels served by BLAS (`BatchMatMul`, `_FusedMatMul`). */
  kernels?: string[];
  /** Why BLAS is not used, when it is not. */
  reason?: string;
}

/** A parsed `--blas` / `NNSYM_BLAS` value: `auto` (find one), `off`, or a library path / soname to load. */
export type BlasMode = { kind: 'auto' } | { kind: 'off' } | { kind: 'path'; path: string };

/**
 * Parse `--blas` / `NNSYM_BLAS`: empty, `auto` or `on` find a library; `off` (`0`, `false`, `none`) disables the
 * BLAS path; anything else is a library to load (`/opt/OpenBLAS/lib/libopenblas.so`, `libmkl_rt.so`).
 *
 * @example
 * parseBlasMode('off') // { kind: 'off' }
 */
export function parseBlasMode(value: string | undefined): BlasMode {
  const v = (value ?? '').trim();
  const l = v.toLowerCase();
  if (l === '' || l === 'auto' || l === 'on' || l === '1' || l === 'true') return { kind: 'auto' };
  if (l === 'off' || l === '0' || l === 'false' || l === 'none') return { kind: 'off' };
  return { kind: 'path', path: v };
}

/**
 * The BLAS thread budget of this process: `NNSYM_BLAS_THREADS` when set, else the number of cores
 * (`os.availableParallelism()`). The one knob of the thread policy ({@link blasThreadsFor}).
 *
 * @example
 * blasThreadBudget({ NNSYM_BLAS_THREADS: '1' }) // 1: one BLAS thread, e.g. on a busy shared machine
 */
export function blasThreadBudget(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['NNSYM_BLAS_THREADS'];
  if (raw !== undefined && raw.trim() !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`NNSYM_BLAS_THREADS must be a positive integer, got "${raw}"`, 'NNSYM_BLAS_THREADS');
    return n;
  }
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * BLAS threads per worker when `workers` worker threads run at once (`--threads`): max(1, floor(budget / workers)),
 * so that BLAS threads × workers never exceeds the budget (the cores), except the floor of one thread each.
 *
 * @example
 * blasThreadsFor(2, { NNSYM_BLAS_THREADS: '2' }) // 1
 */
export function blasThreadsFor(workers: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Math.floor(blasThreadBudget(env) / Math.max(1, workers)));
}

let requestKey: string | undefined;
let info: BlasInfo | undefined;
let activeWorkers = 0;

/** Workers this realm's BLAS calls share the cores with: the pool size in a shard worker, else the active pools. */
function concurrentWorkers(env: NodeJS.ProcessEnv): number {
  if (!isMainThread) return Math.max(1, Number(env['NNSYM_BLAS_WORKERS']) || 1);
  return Math.max(1, activeWorkers);
}

function applyThreads(lib: BlasLibrary, env: NodeJS.ProcessEnv): number | null {
  lib.setThreads(blasThreadsFor(concurrentWorkers(env), env));
  return lib.getThreads() ?? null;
}

/**
 * Turn the BLAS path of the wasm backend on or off (called by {@link initBackend} once the wasm backend runs).
 * `blas` (from `--blas`) wins over `NNSYM_BLAS`. No library or no koffi: BLAS off with the reason (the caller prints
 * one info line). An explicit library that cannot be loaded is a {@link UsageError} naming the flag.
 *
 * @example
 * const info = initBlas({ blas: 'off' }); // { enabled: false, reason: 'disabled by --blas off' }
 */
export function initBlas(options: { blas?: string; env?: NodeJS.ProcessEnv; tfBackend: string }): BlasInfo {
  const env = options.env ?? process.env;
  const flag = options.blas !== undefined ? '--blas' : 'NNSYM_BLAS';
  const raw = options.blas ?? env['NNSYM_BLAS'];
  const mode = parseBlasMode(raw);
  if (options.tfBackend !== 'wasm') {
    blasState.kernels = false;
    return (info = { enabled: false, reason: `BLAS kernels serve the wasm backend only (backend: ${options.tfBackend})` });
  }
  if (mode.kind === 'off') {
    blasState.kernels = false;
    return (info = { enabled: false, reason: `disabled by ${flag}=${String(raw).trim()}`.replace('--blas=', '--blas ') });
  }
  const key = mode.kind === 'path' ? mode.path : 'auto';
  if (key !== requestKey || !blasState.lib) {
    const found = findBlas(mode.kind === 'path' ? mode.path : undefined);
    requestKey = key;
    if (!found.ok) {
      blasState.lib = undefined;
      blasState.kernels = false;
      info = { enabled: false, reason: found.reason };
      if (mode.kind === 'path') throw new UsageError(`${flag}: cannot use BLAS library "${mode.path}" (${found.reason})`, flag);
      return info;
    }
    blasState.lib = found.lib;
  }
  const lib = blasState.lib;
  const kernels = registerBlasKernels();
  blasState.kernels = true;
  const threads = applyThreads(lib, env);
  return (info = { enabled: true, library: lib.vendor, version: lib.version, path: lib.path, threads, kernels });
}

/**
 * The BLAS state chosen by the last {@link initBlas} (threads read now), or undefined before any.
 *
 * @example
 * await initBackend();
 * currentBlas()?.threads // e.g. 2
 */
export function currentBlas(): BlasInfo | undefined {
  if (info?.enabled && blasState.lib) info = { ...info, threads: blasState.lib.getThreads() ?? null };
  return info;
}

/**
 * Whether tf.matMul runs on the BLAS kernels now (wasm backend, library loaded, BLAS not switched off). Callers
 * that wrote explicit transposes for the plain wasm kernel (whose transposeA/B path is slow) pass the flags instead.
 */
export function blasKernelsActive(): boolean {
  return kernelBlas() !== undefined;
}

/**
 * One phrase for logs, e.g. `OpenBLAS 0.3.21, 2 threads`; `off (reason)` when BLAS is not used.
 *
 * @example
 * describeBlas({ enabled: true, library: 'OpenBLAS', version: '0.3.21', threads: 2 }) // 'OpenBLAS 0.3.21, 2 threads'
 */
export function describeBlas(b: BlasInfo): string {
  if (!b.enabled) return `off (${b.reason ?? 'not requested'})`;
  const t = b.threads == null ? 'library-managed threads' : `${b.threads} thread${b.threads === 1 ? '' : 's'}`;
  return `${b.library}${b.version ? ' ' + b.version : ''}, ${t}`;
}

/**
 * Set the BLAS thread count directly (process-wide; benchmarks and tests). Prefer the policy: `NNSYM_BLAS_THREADS`
 * and {@link blasWorkerScope}. Returns the count now in effect (undefined without a library or thread control).
 *
 * @example
 * setBlasThreads(1) // 1 with OpenBLAS loaded
 */
export function setBlasThreads(n: number): number | undefined {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`BLAS threads must be a positive integer, got ${n}`, 'threads');
  blasState.lib?.setThreads(n);
  return blasState.lib?.getThreads();
}

/**
 * Enter a stretch where `workers` shard workers run BLAS at once (the pool of `runShardWorkers`): sets the
 * process-wide BLAS threads to {@link blasThreadsFor}(total workers); the returned function restores the policy for
 * the workers still running (the full budget when none). Worker threads read `NNSYM_BLAS_WORKERS`
 * ({@link blasWorkerEnv}) and apply the same split when they load BLAS. Used by `runShardWorkers`.
 *
 * @example
 * const restore = blasWorkerScope(2); // 2 workers on 2 cores: 1 BLAS thread
 * try { await work(); } finally { restore(); }
 */
export function blasWorkerScope(workers: number, env: NodeJS.ProcessEnv = process.env): () => void {
  activeWorkers += workers;
  const apply = () => {
    if (blasState.lib && isMainThread) blasState.lib.setThreads(blasThreadsFor(Math.max(1, activeWorkers), env));
  };
  apply();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    activeWorkers -= workers;
    apply();
  };
}

/**
 * Environment a shard worker of a pool of `workers` runs its task with (sent with every task): the BLAS split
 * (`NNSYM_BLAS_WORKERS`) and this realm's BLAS switch (`NNSYM_BLAS`: `off`, `auto` or the library loaded), so that
 * `initBackend({ blas: 'off' })` / `--blas off` in the host also holds in its workers.
 *
 * @example
 * blasWorkerEnv(2) // { NNSYM_BLAS_WORKERS: '2', NNSYM_BLAS: 'auto' }
 */
export function blasWorkerEnv(workers: number): Record<string, string> {
  const mode = !info ? process.env['NNSYM_BLAS'] ?? 'auto' : info.enabled ? (requestKey === 'auto' || !blasState.lib ? 'auto' : blasState.lib.path) : /^disabled by/.test(info.reason ?? '') ? 'off' : 'auto';
  return { NNSYM_BLAS_WORKERS: String(workers), NNSYM_BLAS: mode };
}

import { tf } from '../tf';
import { UsageError } from '../errors';
import { describeBlas, initBlas, type BlasInfo } from './blas/blas';

/** User-facing backend names, in the order {@link initBackend} tries them. */
export const BACKEND_ORDER = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/** What {@link initBackend} chose, and why the ones before it were skipped. */
export interface BackendInfo {
  /** nnsym's name for it (`wasm`, `cpu`, `node`, `node-gpu`). */
  name: BackendName;
  /** The tfjs backend name (`wasm`, `cpu`, `tensorflow`). */
  tfBackend: string;
  /** Whether it was forced by `--backend` / `NNSYM_BACKEND`. */
  forced: boolean;
  /** Backends tried before this one, with the reason each was skipped. */
  skipped: { name: BackendName; reason: string }[];
  /** Precision tfjs computes in on this backend. */
  precision: 'float32';
  /** Extra facts, e.g. wasm SIMD / threads. */
  details: Record<string, string | number | boolean>;
  /** The BLAS path of the matmul kernels (wasm backend): library and threads, or why it is off. */
  blas: BlasInfo;
}

let current: BackendInfo | undefined;
let currentBlasRequest: string | undefined;

// Optional native packages are loaded through a runtime require so bundlers and tsc do not need them installed.
function tryRequire(id: string): { ok: true } | { ok: false; reason: string } {
  try {
    require(id);
    return { ok: true };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && msg.includes(id);
    return { ok: false, reason: missing ? `${id} is not installed` : `${id} failed to load: ${msg}` };
  }
}

async function activate(name: BackendName): Promise<{ ok: true; tfBackend: string; details: BackendInfo['details'] } | { ok: false; reason: string }> {
  switch (name) {
    case 'node-gpu':
    case 'node': {
      const pkg = name === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      const r = tryRequire(pkg);
      if (!r.ok) return r;
      if (!(await tf.setBackend('tensorflow'))) return { ok: false, reason: `${pkg} loaded but the tensorflow backend did not start` };
      return { ok: true, tfBackend: 'tensorflow', details: {} };
    }
    case 'wasm': {
      const r = tryRequire('@tensorflow/tfjs-backend-wasm');
      if (!r.ok) return r;
      try {
        if (!(await tf.setBackend('wasm'))) return { ok: false, reason: 'the wasm backend did not initialise' };
      } catch (e) {
        return { ok: false, reason: `the wasm backend failed: ${(e as Error).message.split('\n')[0]}` };
      }
      const env = tf.env();
      return {
        ok: true,
        tfBackend: 'wasm',
        details: { simd: Boolean(env.getBool('WASM_HAS_SIMD_SUPPORT')), threads: Boolean(env.getBool('WASM_HAS_MULTITHREAD_SUPPORT')) && typeof (globalThis as { window?: unknown }).window !== 'undefined' },
      };
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) return { ok: false, reason: 'the cpu backend did not initialise' };
      // tfjs-backend-cpu prints an "install our node backend" banner on its first tensor write (`firstUse`) under
      // Node, even with -q (audit L13); the backend was chosen on purpose, so mark it used.
      // findBackend, not backend(): it returns the instance (or null) without throwing when another caller is
      // re-selecting the engine's backend concurrently (seen in the experiment grid's runs under Slurm).
      const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
      if (cpu && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
      return { ok: true, tfBackend: 'cpu', details: {} };
    }
  }
}

/** Parse a backend name from `--backend` or `NNSYM_BACKEND`; throws a one-line error naming the flag. */
export function parseBackendName(value: string, flag = '--backend'): BackendName {
  const v = value.trim().toLowerCase();
  const alias: Record<string, BackendName> = { tensorflow: 'node', 'tfjs-node': 'node', gpu: 'node-gpu', 'tfjs-node-gpu': 'node-gpu' };
  const name = (alias[v] ?? v) as BackendName;
  if (!(BACKEND_ORDER as readonly string[]).includes(name)) {
    throw new UsageError(`${flag}: unknown backend "${value}"; known: ${BACKEND_ORDER.join(', ')}`, flag);
  }
  return name;
}

/**
 * Pick and start the compute backend: `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node` (optional peer
 * dependencies, used only when installed), then `@tensorflow/tfjs-backend-wasm` (the default install), then the
 * pure-JS `cpu` backend. `backend` (or the `NNSYM_BACKEND` environment variable) forces one and fails if it
 * cannot start. On the wasm backend, the matmul kernels (`BatchMatMul`, `_FusedMatMul`) call a native CBLAS
 * library when one is found (`blas`, else `NNSYM_BLAS`: `auto` by default, `off`, or a library path; see
 * `initBlas`); `info.blas` says which, with how many threads. Idempotent: a second call with the same request
 * returns the same info.
 *
 * @example
 * const info = await initBackend();          // { name: 'wasm', blas: { enabled: true, library: 'OpenBLAS', ... } }
 * const plain = await initBackend({ blas: 'off' }); // wasm kernels only
 * const cpu = await initBackend({ backend: 'cpu' });
 */
export async function initBackend(options: { backend?: string; blas?: string; env?: NodeJS.ProcessEnv } = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const requested = options.backend ?? (env['NNSYM_BACKEND'] || undefined);
  const flag = options.backend !== undefined ? '--backend' : 'NNSYM_BACKEND';
  const forced = requested !== undefined ? parseBackendName(requested, flag) : undefined;
  const blasRequest = `${options.blas !== undefined ? '--blas' : 'NNSYM_BLAS'}=${options.blas ?? env['NNSYM_BLAS'] ?? ''}`;
  if (current && (forced === undefined || current.name === forced) && tf.getBackend() === current.tfBackend) {
    if (blasRequest === currentBlasRequest) return current;
    current = { ...current, blas: initBlas({ blas: options.blas, env, tfBackend: current.tfBackend }) };
    currentBlasRequest = blasRequest;
    return current;
  }

  const candidates: BackendName[] = forced ? [forced] : [...BACKEND_ORDER];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of candidates) {
    const r = await activate(name);
    if (r.ok) {
      await tf.ready();
      const blas = initBlas({ blas: options.blas, env, tfBackend: r.tfBackend });
      current = { name, tfBackend: r.tfBackend, forced: forced !== undefined, skipped, precision: 'float32', details: r.details, blas };
      currentBlasRequest = blasRequest;
      return current;
    }
    skipped.push({ name, reason: r.reason });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new UsageError(forced ? `${flag}: backend "${forced}" is not available (${why})` : `no tfjs backend could start (${why})`, flag);
}

/** The backend chosen by the last {@link initBackend}, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

/**
 * One line for logs and results, e.g. `wasm (simd) + blas (OpenBLAS 0.3.21, 2 threads)`; on the wasm backend
 * without BLAS it says why (`wasm (simd), no blas (no CBLAS library found ...)`, or `blas off` when switched off).
 */
export function describeBackend(info: BackendInfo): string {
  const flags = Object.entries(info.details)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  const b = info.blas;
  const blas = info.tfBackend !== 'wasm' || !b ? '' : b.enabled ? ` + blas (${describeBlas(b)})` : /^disabled by/.test(b.reason ?? '') ? ', blas off' : `, no blas (${b.reason})`;
  return `${info.name}${flags.length ? ` (${flags.join(', ')})` : ''}${blas}${info.forced ? ' [forced]' : ''}`;
}

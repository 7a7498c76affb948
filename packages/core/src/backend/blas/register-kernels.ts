/**
 * Register the BLAS kernels for the `wasm` backend in tfjs's kernel registry, wrapping (and keeping, as the
 * fallback) the wasm backend's own configs. Idempotent. Whether they call BLAS is decided per call by
 * `blasState.kernels`, so switching BLAS off needs no re-registration.
 */
import { tf } from '../../tf';
import { blasBatchMatMulConfig } from './BatchMatMul';
import { blasFusedMatMulConfig } from './_FusedMatMul';

/** Kernel names the BLAS path replaces. */
export const BLAS_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

const WRAPPERS: Record<(typeof BLAS_KERNELS)[number], (c: tf.KernelConfig) => tf.KernelConfig> = {
  BatchMatMul: blasBatchMatMulConfig,
  _FusedMatMul: blasFusedMatMulConfig,
};

const MARK = Symbol.for('nnsym.blas.kernel');
const originals = new Map<string, tf.KernelConfig>();

/** Register the BLAS kernels for `wasm` (once per realm); returns the kernel names now served by them. */
export function registerBlasKernels(): string[] {
  const done: string[] = [];
  for (const name of BLAS_KERNELS) {
    const current = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [MARK]?: true }) | undefined;
    if (!current) continue;
    if (!current[MARK]) {
      originals.set(name, current);
      const config = Object.assign(WRAPPERS[name](current), { [MARK]: true as const });
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel(config);
    }
    done.push(name);
  }
  return done;
}

/** The wasm backend's own kernel config for `name` (before BLAS wrapped it), for tests and benchmarks. */
export function originalWasmKernel(name: string): tf.KernelConfig | undefined {
  return originals.get(name) ?? tf.getKernel(name, 'wasm');
}

/**
 * Process-wide (per JS realm) BLAS state shared by the kernels and the host API: the loaded library and whether
 * the tfjs kernels use it. Set by `initBlas` (blas.ts); read on every kernel call.
 */
import type { BlasLibrary } from './library';

/** The loaded library (if any) and whether the kernels and the host API use it. */
export const blasState: { lib: BlasLibrary | undefined; kernels: boolean } = { lib: undefined, kernels: false };

/** The library the tfjs kernels use now, or undefined (BLAS off, absent, or not the wasm backend). */
export function kernelBlas(): BlasLibrary | undefined {
  return blasState.kernels ? blasState.lib : undefined;
}

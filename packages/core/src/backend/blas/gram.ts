/**
 * Gram matrices A Aᵀ of float32 tensors through `cblas_ssyrk` (half the multiply-adds of the GEMM `A · Aᵀ`) on
 * the wasm heap, for the empirical NTK's per-layer Jacobian Grams. Falls back to `tf.matMul(a, a, false, true)`.
 */
import { tf } from '../../tf';
import type { Tensor2D } from '../../tf';
import { heapIndex, type WasmBackendLike } from './heap-gemm';
import { CBLAS } from './library';
import { kernelBlas } from './state';

/** Below this many multiply-adds (r² k) the GEMM kernel is used: the FFI call dominates there. */
const SYRK_MIN = 32768;

/** Copy the upper triangle of the row-major n × n matrix `c` onto its lower one, in cache-sized blocks. */
export function mirrorUpper(c: Float32Array | Float64Array, n: number): void {
  const B = 64;
  for (let ib = 0; ib < n; ib += B) {
    const ie = Math.min(ib + B, n);
    for (let jb = 0; jb <= ib; jb += B) {
      for (let i = ib; i < ie; i++) {
        const je = Math.min(jb + B, i);
        for (let j = jb; j < je; j++) c[i * n + j] = c[j * n + i];
      }
    }
  }
}

/**
 * A Aᵀ for a float32 [r, k] tensor: `cblas_ssyrk` into the upper triangle, mirrored, when the BLAS kernels are on and
 * the library exports it; otherwise `tf.matMul(a, a, false, true)`. The result is exactly symmetric and agrees with
 * the GEMM to float32 rounding (each entry within γ_k Σ|a_i||a_j| of the exact product, as any summation order).
 * `upperOnly`: a caller that reads only the upper triangle (column ≥ row) skips the mirror; the lower triangle is
 * then unspecified on the ssyrk path (the fallback still returns the full product).
 *
 * @example
 * const g = gramRows(tf.tensor2d([[1, 2], [3, 4]])); // [[5, 11], [11, 25]]
 */
export function gramRows(a: Tensor2D, options: { upperOnly?: boolean } = {}): Tensor2D {
  const lib = kernelBlas();
  const [r, k] = a.shape;
  if (!lib?.ssyrk || a.dtype !== 'float32' || k === 0 || r * r * k < SYRK_MIN) return tf.matMul(a, a, false, true);
  const backend = tf.backend() as unknown as WasmBackendLike;
  const out = backend.makeOutput([r, r], 'float32');
  // views after the allocation (it may grow the heap and detach earlier views)
  const heap = new Float32Array(backend.wasm.HEAPU8.buffer);
  const aOff = heapIndex(backend, a);
  const cOff = heapIndex(backend, out);
  const c = heap.subarray(cOff, cOff + r * r);
  lib.ssyrk(CBLAS.RowMajor, CBLAS.Upper, CBLAS.NoTrans, r, k, 1, heap.subarray(aOff, aOff + r * k), k, 0, c, r);
  if (!options.upperOnly) mirrorUpper(c, r);
  // the tensor wraps the backend's new data id (refCount 1), like a kernel's output
  return (tf.engine() as unknown as { makeTensorFromTensorInfo(info: unknown): Tensor2D }).makeTensorFromTensorInfo(out);
}

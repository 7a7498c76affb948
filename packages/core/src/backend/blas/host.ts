/**
 * Host float64 matrix products for the numerics (Gram matrices, CKA/HSIC, Procrustes, decompositions): CBLAS
 * dgemm / dsyrk when the BLAS path is on, the plain JS loops otherwise. Row-major `Float64Array`s throughout.
 */
import { CBLAS } from './library';
import { blasState } from './state';

/** Options of {@link gemm64}. */
export interface Gemm64Options {
  /** Use op(A) = Aᵀ (A stored k × m). */
  transA?: boolean;
  /** Use op(B) = Bᵀ (B stored n × k). */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the incoming `c` (default 0: `c` is overwritten). */
  beta?: number;
  /** Output m × n (allocated when absent). */
  c?: Float64Array;
  /** `'js'` forces the JS loops (tests, and a reference); default: BLAS when the BLAS path is on. */
  impl?: 'auto' | 'js';
}

function check(name: string, arr: Float64Array, need: number): void {
  if (arr.length < need) throw new RangeError(`${name}: needs ${need} entries, has ${arr.length}`);
}

function hostBlas(impl: 'auto' | 'js' | undefined) {
  return impl === 'js' || !blasState.kernels ? undefined : blasState.lib;
}

/**
 * C = alpha · op(A) · op(B) + beta · C in float64, op(A) m × k, op(B) k × n, row-major. Through `cblas_dgemm` when
 * the BLAS path is on (see `initBackend`), else a JS loop (i-p-j order). The result agrees between the two to
 * float64 rounding (|Δ| ≤ 2 k u Σ|a||b|, u = 2⁻⁵³).
 *
 * When to use: host-side products of float64 matrices (Gram matrices of features, kernels, similarity indices).
 *
 * @example
 * const c = gemm64(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), 2, 2, 2); // [19, 22, 43, 50]
 */
export function gemm64(a: Float64Array, b: Float64Array, m: number, n: number, k: number, options: Gemm64Options = {}): Float64Array {
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  check('gemm64 a', a, m * k);
  check('gemm64 b', b, k * n);
  const c = options.c ?? new Float64Array(m * n);
  check('gemm64 c', c, m * n);
  if (m === 0 || n === 0) return c;
  const lib = hostBlas(options.impl);
  if (lib && k > 0) {
    lib.dgemm(CBLAS.RowMajor, transA ? CBLAS.Trans : CBLAS.NoTrans, transB ? CBLAS.Trans : CBLAS.NoTrans, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
    return c;
  }
  if (beta === 0) c.fill(0, 0, m * n);
  else if (beta !== 1) for (let i = 0; i < m * n; i++) c[i] *= beta;
  if (k === 0 || alpha === 0) return c;
  // contiguous op(A) (m × k) and op(B) (k × n), then the i-p-j loop
  const A = transA ? transpose(a, k, m) : a;
  const B = transB ? transpose(b, n, k) : b;
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const s = alpha * A[i * k + p];
      if (s === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += s * B[bp + j];
    }
  }
  return c;
}

function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
  return t;
}

/** Options of {@link syrk64}. */
export interface Syrk64Options {
  /** C = Aᵀ A with A stored k × n (default: C = A Aᵀ with A stored n × k). */
  trans?: boolean;
  alpha?: number;
  beta?: number;
  /** Output n × n (allocated when absent); both triangles are written. */
  c?: Float64Array;
  impl?: 'auto' | 'js';
}

/**
 * Symmetric rank-k update C = alpha · A Aᵀ + beta · C (or Aᵀ A with `trans`), C n × n, in float64: the Gram matrix
 * of the rows (columns) of A at half the flops of a gemm. Through `cblas_dsyrk` when the BLAS path is on, else a JS
 * loop; the full symmetric C is returned (the upper triangle mirrored).
 *
 * When to use: Gram / kernel matrices K = Φ Φᵀ of feature rows (empirical NTK ensembles, CKA's K = X Xᵀ).
 *
 * @example
 * const g = syrk64(Float64Array.of(1, 2, 3, 4), 2, 2); // [[5, 11], [11, 25]]
 */
export function syrk64(a: Float64Array, n: number, k: number, options: Syrk64Options = {}): Float64Array {
  const { trans = false, alpha = 1, beta = 0 } = options;
  check('syrk64 a', a, n * k);
  const c = options.c ?? new Float64Array(n * n);
  check('syrk64 c', c, n * n);
  if (n === 0) return c;
  const lib = hostBlas(options.impl);
  if (lib && k > 0) {
    lib.dsyrk(CBLAS.RowMajor, CBLAS.Upper, trans ? CBLAS.Trans : CBLAS.NoTrans, n, k, alpha, a, trans ? n : k, beta, c, n);
  } else {
    const A = trans ? transpose(a, k, n) : a; // n × k rows
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * k + p] * A[j * k + p];
        c[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]);
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) c[i * n + j] = c[j * n + i];
  return c;
}

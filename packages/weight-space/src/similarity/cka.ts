import { UsageError } from '@nnsym/core';
import { centerColumns, frobenius, matmulTN, type Mat } from '@nnsym/numerics';
import { hsic, linearGram, rbfGram, type HsicEstimator } from './hsic';

/** Options of {@link cka}. */
export interface CkaOptions {
  /** `linear` (default) or `rbf`. */
  kernel?: 'linear' | 'rbf';
  /** HSIC estimator, default `biased` (Kornblith et al. 2019); `unbiased` follows Song et al. 2012. */
  estimator?: HsicEstimator;
  /** RBF bandwidth as a fraction of the median distance (default 0.8). */
  rbfScale?: number;
}

/**
 * Centered kernel alignment of two representations of the same `n` inputs, `X [n, p]` and `Y [n, q]`
 * (Kornblith et al. 2019, eq. 4): `CKA = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L))`, in float64.
 *
 * When to use: the standard similarity index between layers of two networks. Linear CKA is invariant to
 * orthogonal transformations and isotropic scaling of either representation, hence blind to whether a network
 * uses its activation basis; compare with {@link gReluCka}.
 *
 * Linear + biased uses the feature-space identity `||Y_c^T X_c||_F^2 / (||X_c^T X_c||_F ||Y_c^T Y_c||_F)`
 * (no n x n Gram, O(n p q)); the other variants build `[n, n]` Grams.
 *
 * @example
 * cka(x, y);                                         // linear, biased
 * cka(x, y, { kernel: 'rbf', estimator: 'unbiased' });
 */
export function cka(x: Mat, y: Mat, options: CkaOptions = {}): number {
  if (x.rows !== y.rows) throw new UsageError(`cka: representations have different sample counts (${x.rows} vs ${y.rows})`, 'samples');
  const kernel = options.kernel ?? 'linear';
  const estimator = options.estimator ?? 'biased';
  if (kernel === 'linear' && estimator === 'biased') {
    const xc = centerColumns(x);
    const yc = centerColumns(y);
    const xy = frobenius(matmulTN(yc, xc));
    const xx = frobenius(matmulTN(xc, xc));
    const yy = frobenius(matmulTN(yc, yc));
    return xx > 0 && yy > 0 ? (xy * xy) / (xx * yy) : NaN;
  }
  const gram = kernel === 'rbf' ? (m: Mat) => rbfGram(m, options.rbfScale ?? 0.8) : linearGram;
  return ckaFromGrams(gram(x), gram(y), estimator);
}

/** CKA from two precomputed `[n, n]` Gram matrices. NaN when either self-HSIC is not positive. */
export function ckaFromGrams(k: Mat, l: Mat, estimator: HsicEstimator = 'biased'): number {
  const kl = hsic(k, l, estimator);
  const kk = hsic(k, k, estimator);
  const ll = hsic(l, l, estimator);
  return kk > 0 && ll > 0 ? kl / Math.sqrt(kk * ll) : NaN;
}

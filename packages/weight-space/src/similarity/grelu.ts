import { UsageError } from '@nnsym/core';
import { centerColumns, matmulTN, normalizeColumns, zeros, type Mat } from '@nnsym/numerics';
import { linearAssignment } from '../nets/assignment';
import { ckaFromGrams } from './cka';
import type { HsicEstimator } from './hsic';

/**
 * G_relu-Procrustes distance (Godfrey, Brown, Emerson, Kvinge 2022, section 4): Procrustes with the orthogonal
 * group replaced by the ReLU intertwiner group G_relu = {P D : P permutation, D positive diagonal}.
 *
 * The positive scalings are quotiented out by normalising every neuron (column) to unit norm over the samples,
 * `X~ = X D_X^-1`; the permutation is then the linear assignment maximising `sum_i <x~_i, y~_P(i)>`:
 *
 *   d^2 = (||X~||^2 + ||Y~||^2 - 2 max_P sum_i <x~_i, y~_P(i)>) / max(p, q)   (= 2 - 2 mean matched cosine)
 *
 * Widths may differ (the narrower side is padded with zero neurons). Invariant to permuting and positively
 * rescaling the neurons of either network, but not to general rotations. Permutations are orthogonal, so
 * `d >= procrustesDistance(X~/sqrt p, Y~/sqrt p, { center: false })`.
 *
 * @example
 * gReluProcrustes(x, y); // 0 when y = x P D
 */
export function gReluProcrustes(x: Mat, y: Mat): { distance: number; permutation: Int32Array } {
  if (x.rows !== y.rows)
    throw new UsageError(`grelu-procrustes: representations have different sample counts (${x.rows} vs ${y.rows})`, 'samples');
  const xt = normalizeColumns(x);
  const yt = normalizeColumns(y);
  const swap = xt.cols > yt.cols;
  const c = swap ? matmulTN(yt, xt) : matmulTN(xt, yt); // [narrow, wide] cosines
  const { rowToCol, total } = linearAssignment(c, { maximize: true });
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < xt.data.length; i++) nx += xt.data[i] ** 2;
  for (let i = 0; i < yt.data.length; i++) ny += yt.data[i] ** 2;
  const p = Math.max(x.cols, y.cols);
  const d2 = Math.max(0, (nx + ny - 2 * total) / p);
  return { distance: Math.sqrt(d2), permutation: rowToCol };
}

/**
 * The G_relu-invariant kernel of Godfrey et al. 2022: centre and unit-normalise each neuron over the samples,
 * then `K_ij = max_c x~_ic x~_jc`. A max over neurons is unchanged by permuting them, and the per-neuron
 * normalisation removes positive scalings; unlike the linear kernel it is not invariant to rotations.
 * Returns the `[n, n]` Gram matrix.
 */
export function gReluGram(x: Mat): Mat {
  const xt = normalizeColumns(centerColumns(x));
  const n = xt.rows;
  const p = xt.cols;
  const k = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let m = -Infinity;
      for (let c = 0; c < p; c++) {
        const v = xt.data[i * p + c] * xt.data[j * p + c];
        if (v > m) m = v;
      }
      k.data[i * n + j] = m;
      k.data[j * n + i] = m;
    }
  }
  return k;
}

/**
 * G_relu-CKA (Godfrey et al. 2022): CKA with the G_relu-invariant kernel {@link gReluGram}, unbiased HSIC by
 * default as in the paper. Invariant to neuron permutations and positive rescalings, not to rotations.
 *
 * @example
 * gReluCka(x, y); // 1 when y = x P D
 */
export function gReluCka(x: Mat, y: Mat, options: { estimator?: HsicEstimator } = {}): number {
  if (x.rows !== y.rows)
    throw new UsageError(`grelu-cka: representations have different sample counts (${x.rows} vs ${y.rows})`, 'samples');
  return ckaFromGrams(gReluGram(x), gReluGram(y), options.estimator ?? 'unbiased');
}

import { UsageError } from '@nnsym/core';
import { matmulNT, zeros, type Mat } from '@nnsym/numerics';

/** Which HSIC estimator: `biased` (Gretton et al. 2005) or `unbiased` (Song et al. 2012). */
export type HsicEstimator = 'biased' | 'unbiased';

/**
 * Hilbert-Schmidt independence criterion of two `[n, n]` Gram matrices, in float64.
 *
 * - biased (Gretton et al. 2005): `HSIC_b = tr(K H L H) / (n - 1)^2`, `H = I - 11^T / n`;
 * - unbiased (Song et al. 2012, eq. 5): with `K~`, `L~` the Grams with zeroed diagonals,
 *   `HSIC_u = [tr(K~ L~) + (1^T K~ 1)(1^T L~ 1) / ((n-1)(n-2)) - 2/(n-2) 1^T K~ L~ 1] / (n (n-3))`, n >= 4.
 *
 * When to use: CKA = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)) (Kornblith et al. 2019); the unbiased estimator
 * removes the O(1/n) bias that makes biased CKA of independent representations positive.
 *
 * @example
 * hsic(linearGram(x), linearGram(y), 'unbiased');
 */
export function hsic(k: Mat, l: Mat, estimator: HsicEstimator = 'biased'): number {
  const n = k.rows;
  if (k.cols !== n || l.rows !== n || l.cols !== n)
    throw new UsageError(`hsic: Gram matrices must both be n x n (got ${k.rows}x${k.cols} and ${l.rows}x${l.cols})`, 'gram');
  return estimator === 'unbiased' ? hsicUnbiased(k, l) : hsicBiased(k, l);
}

function hsicBiased(k: Mat, l: Mat): number {
  // tr(K H L H) = sum_ij Kc_ij Lc_ij with Kc = H K H, i.e. K_ij - rowmean_i - colmean_j + mean.
  const n = k.rows;
  const kc = doubleCenter(k);
  const lc = doubleCenter(l);
  let s = 0;
  for (let i = 0; i < n * n; i++) s += kc.data[i] * lc.data[i];
  return s / ((n - 1) * (n - 1));
}

function hsicUnbiased(k: Mat, l: Mat): number {
  const n = k.rows;
  if (n < 4) throw new UsageError(`unbiased HSIC needs at least 4 samples, got ${n}`, 'samples');
  let trKL = 0;
  let sumK = 0;
  let sumL = 0;
  const rowK = new Float64Array(n);
  const rowL = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const a = k.data[i * n + j];
      const b = l.data[i * n + j];
      // Grams are symmetric, so tr(K~ L~) = sum_ij K~_ij L~_ij.
      trKL += a * b;
      sumK += a;
      sumL += b;
      rowK[i] += a;
      rowL[i] += b;
    }
  }
  // 1^T K~ L~ 1 = (K~ 1) . (L~ 1) for symmetric K~.
  let kl1 = 0;
  for (let i = 0; i < n; i++) kl1 += rowK[i] * rowL[i];
  return (trKL + (sumK * sumL) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * kl1) / (n * (n - 3));
}

/** `H K H` with `H = I - 11^T / n`. */
export function doubleCenter(k: Mat): Mat {
  const n = k.rows;
  const row = new Float64Array(n);
  const col = new Float64Array(n);
  let all = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = k.data[i * n + j];
      row[i] += v;
      col[j] += v;
      all += v;
    }
  }
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = k.data[i * n + j] - row[i] / n - col[j] / n + all / (n * n);
  return out;
}

/** Linear kernel Gram `K = X X^T` of `X [n, p]`. */
export function linearGram(x: Mat): Mat {
  return matmulNT(x, x);
}

/**
 * RBF kernel Gram `K_ij = exp(-|x_i - x_j|^2 / (2 s^2 m))` with `m` the median of the off-diagonal squared
 * distances and `s` = `scale` (Kornblith et al. 2019 use s in {0.2, 0.4, 0.8}; default 0.8).
 */
export function rbfGram(x: Mat, scale = 0.8): Mat {
  const n = x.rows;
  const g = linearGram(x);
  const d2 = zeros(n, n);
  const off: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = Math.max(0, g.data[i * n + i] + g.data[j * n + j] - 2 * g.data[i * n + j]);
      d2.data[i * n + j] = i === j ? 0 : v;
      if (j > i) off.push(v);
    }
  }
  off.sort((a, b) => a - b);
  const med = off.length ? (off.length % 2 ? off[(off.length - 1) / 2] : 0.5 * (off[off.length / 2 - 1] + off[off.length / 2])) : 0;
  const denom = 2 * scale * scale * (med > 0 ? med : 1);
  for (let i = 0; i < n * n; i++) d2.data[i] = Math.exp(-d2.data[i] / denom);
  return d2;
}

import { NnsymError } from '@nnsym/core';
import { clone, eye, transpose, zeros, type Mat } from './matrix';

/**
 * Small dense float64 linear algebra on the host: least squares by Householder QR, LU inverse, and the SVD by
 * one-sided Jacobi (Hestenes). Sizes here are hidden widths (up to a few hundred), so O(n^3) host code is fine
 * and keeps every similarity statistic in float64.
 */

/**
 * Least squares `argmin_X ||A X - B||_F` for `A [m, n]` with `m >= n` and full column rank, by Householder QR.
 * Returns `X [n, k]` and the residual Frobenius norm. Rank-deficient `A` throws.
 *
 * @example
 * const { x } = lstsq(matFrom([[1], [1]]), matFrom([[1], [3]])); // x = [[2]]
 */
export function lstsq(a: Mat, b: Mat): { x: Mat; residual: number } {
  const m = a.rows;
  const n = a.cols;
  if (b.rows !== m) throw new NnsymError(`lstsq: A has ${m} rows but B has ${b.rows}`);
  if (m < n) throw new NnsymError(`lstsq: need at least as many rows as columns (${m} < ${n})`);
  const r = clone(a);
  const q = clone(b);
  const k = b.cols;
  let maxDiag = 0;
  for (let j = 0; j < n; j++) {
    // Householder vector for column j below the diagonal.
    let norm = 0;
    for (let i = j; i < m; i++) norm += r.data[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new NnsymError(`lstsq: matrix is rank deficient (column ${j})`);
    const alpha = r.data[j * n + j] > 0 ? -norm : norm;
    const v = new Float64Array(m - j);
    for (let i = j; i < m; i++) v[i - j] = r.data[i * n + j];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    if (vv > 0) {
      for (let c = j; c < n; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += v[i - j] * r.data[i * n + c];
        s = (2 * s) / vv;
        for (let i = j; i < m; i++) r.data[i * n + c] -= s * v[i - j];
      }
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += v[i - j] * q.data[i * k + c];
        s = (2 * s) / vv;
        for (let i = j; i < m; i++) q.data[i * k + c] -= s * v[i - j];
      }
    }
    maxDiag = Math.max(maxDiag, Math.abs(r.data[j * n + j]));
  }
  for (let j = 0; j < n; j++) {
    if (Math.abs(r.data[j * n + j]) <= 1e-13 * maxDiag) throw new NnsymError(`lstsq: matrix is numerically rank deficient (column ${j})`);
  }
  const x = zeros(n, k);
  for (let c = 0; c < k; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = q.data[i * k + c];
      for (let l = i + 1; l < n; l++) s -= r.data[i * n + l] * x.data[l * k + c];
      x.data[i * k + c] = s / r.data[i * n + i];
    }
  }
  let res = 0;
  for (let i = n; i < m; i++) for (let c = 0; c < k; c++) res += q.data[i * k + c] ** 2;
  return { x, residual: Math.sqrt(res) };
}

/**
 * Inverse of a square matrix by LU with partial pivoting. Throws on a (numerically) singular matrix.
 *
 * @example
 * inverse(matFrom([[2, 0], [0, 4]])); // [[0.5, 0], [0, 0.25]]
 */
export function inverse(a: Mat): Mat {
  const n = a.rows;
  if (a.cols !== n) throw new NnsymError(`inverse: matrix is ${a.rows}x${a.cols}, not square`);
  const lu = clone(a);
  const inv = eye(n);
  let scaleMax = 0;
  for (let i = 0; i < lu.data.length; i++) scaleMax = Math.max(scaleMax, Math.abs(lu.data[i]));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(lu.data[i * n + col]) > Math.abs(lu.data[piv * n + col])) piv = i;
    const p = lu.data[piv * n + col];
    if (Math.abs(p) <= 1e-14 * scaleMax || p === 0) throw new NnsymError('inverse: matrix is singular');
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        [lu.data[col * n + j], lu.data[piv * n + j]] = [lu.data[piv * n + j], lu.data[col * n + j]];
        [inv.data[col * n + j], inv.data[piv * n + j]] = [inv.data[piv * n + j], inv.data[col * n + j]];
      }
    }
    for (let j = 0; j < n; j++) {
      lu.data[col * n + j] /= p;
      inv.data[col * n + j] /= p;
    }
    for (let i = 0; i < n; i++) {
      if (i === col) continue;
      const f = lu.data[i * n + col];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        lu.data[i * n + j] -= f * lu.data[col * n + j];
        inv.data[i * n + j] -= f * inv.data[col * n + j];
      }
    }
  }
  return inv;
}

/**
 * Thin SVD `A = U diag(s) V^T` by one-sided Jacobi (Hestenes 1958): rotate column pairs of `A` until they are
 * orthogonal; accurate to float64 rounding relative to the largest singular value. For `A [m, n]` returns
 * `U [m, r]`, `s [r]` (descending), `V [n, r]` with `r = min(m, n)`.
 *
 * @example
 * svd(matFrom([[3, 0], [0, -2]])).s; // Float64Array [3, 2]
 */
export function svd(a: Mat): { u: Mat; s: Float64Array; v: Mat } {
  if (a.rows < a.cols) {
    const t = svd(transpose(a));
    return { u: t.v, s: t.s, v: t.u };
  }
  const m = a.rows;
  const n = a.cols;
  // Work on columns: store A^T so that column j is a contiguous row.
  const w = transpose(a); // [n, m]
  const v = eye(n);
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w.data[p * m + i];
          const y = w.data[q * m + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = w.data[p * m + i];
          const y = w.data[q * m + i];
          w.data[p * m + i] = c * x - s * y;
          w.data[q * m + i] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v.data[i * n + p];
          const y = v.data[i * n + q];
          v.data[i * n + p] = c * x - s * y;
          v.data[i * n + q] = s * x + c * y;
        }
      }
    }
    if (off <= 1e-15) break;
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += w.data[j * m + i] ** 2;
    sv[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => sv[y] - sv[x]);
  const u = zeros(m, n);
  const vs = zeros(n, n);
  const s = new Float64Array(n);
  order.forEach((j, k) => {
    s[k] = sv[j];
    for (let i = 0; i < m; i++) u.data[i * n + k] = sv[j] > 0 ? w.data[j * m + i] / sv[j] : 0;
    for (let i = 0; i < n; i++) vs.data[i * n + k] = v.data[i * n + j];
  });
  return { u, s, v: vs };
}

/** Nuclear norm (sum of singular values). */
export function nuclearNorm(a: Mat): number {
  return svd(a).s.reduce((acc, x) => acc + x, 0);
}

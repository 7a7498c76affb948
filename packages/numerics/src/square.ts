import type { Rng } from '@nnsym/core';
import { eye, matmul, transpose, type Mat } from './matrix';

/**
 * Square row-major float64 matrices as a bare `Float64Array` plus their size n (group elements, Lie generators and
 * test statistics, n up to a few hundred): thin adapters over the {@link Mat} kernels of `./matrix`, and the
 * square-only algorithms (det, Haar QR, expm, orthonormal completion). Pure functions; no tensors.
 */

const sq = (data: Float64Array, n: number): Mat => ({ rows: n, cols: n, data });

/**
 * n×n identity as a bare array ({@link eye} of `./matrix`).
 *
 * @example eyeSquare(2) // Float64Array [1, 0, 0, 1]
 */
export function eyeSquare(n: number): Float64Array {
  return eye(n).data;
}

/** A·B for n×n matrices ({@link matmul} of `./matrix`, which skips zero entries of A: cheap for permutations). */
export function matmulSquare(a: Float64Array, b: Float64Array, n: number): Float64Array {
  return matmul(sq(a, n), sq(b, n)).data;
}

/** Aᵀ of an n×n matrix ({@link transpose} of `./matrix`). */
export function transposeSquare(a: Float64Array, n: number): Float64Array {
  return transpose(sq(a, n)).data;
}

/** A x for an n×n matrix and a length-n vector. */
export function matvecSquare(a: Float64Array, x: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** max_ij |A_ij − B_ij|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Determinant by LU with partial pivoting. */
export function det(a: Float64Array, n: number): number {
  const m = Float64Array.from(a);
  let d = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]) > Math.abs(m[p * n + k])) p = i;
    if (m[p * n + k] === 0) return 0;
    if (p !== k) {
      for (let j = 0; j < n; j++) [m[k * n + j], m[p * n + j]] = [m[p * n + j], m[k * n + j]];
      d = -d;
    }
    const piv = m[k * n + k];
    d *= piv;
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k] / piv;
      if (f !== 0) for (let j = k; j < n; j++) m[i * n + j] -= f * m[k * n + j];
    }
  }
  return d;
}

/** ‖AᵀA − I‖_max: zero for an orthogonal matrix. */
export function orthogonalityError(a: Float64Array, n: number): number {
  return maxAbsDiff(matmulSquare(transposeSquare(a, n), a, n), eyeSquare(n));
}

/**
 * Householder QR of an n×n matrix with the sign fix that makes R's diagonal positive. Returns Q (row-major).
 * Applied to a matrix of iid N(0,1) entries, Q is Haar-distributed on O(n) (Mezzadri, "How to generate random
 * matrices from the classical compact groups", Notices AMS 54 (2007); without the sign fix it is not).
 */
export function qrQ(a: Float64Array, n: number): Float64Array {
  const r = Float64Array.from(a);
  const q = eyeSquare(n);
  const v = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += r[i * n + k] * r[i * n + k];
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = r[k * n + k] > 0 ? -norm : norm;
    let vnorm = 0;
    for (let i = k; i < n; i++) {
      v[i] = r[i * n + k] - (i === k ? alpha : 0);
      vnorm += v[i] * v[i];
    }
    vnorm = Math.sqrt(vnorm);
    if (vnorm === 0) continue;
    for (let i = k; i < n; i++) v[i] /= vnorm;
    // R <- H R, H = I - 2 v vᵀ acting on rows k..n-1.
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i] * r[i * n + j];
      for (let i = k; i < n; i++) r[i * n + j] -= 2 * v[i] * s;
    }
    // Q <- Q H on columns k..n-1.
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k; j < n; j++) s += q[i * n + j] * v[j];
      for (let j = k; j < n; j++) q[i * n + j] -= 2 * s * v[j];
    }
  }
  // Sign fix: Q <- Q diag(sign R_kk), so that A = Q R with R_kk > 0 (the unique such factorisation).
  for (let k = 0; k < n; k++) {
    if (r[k * n + k] < 0) for (let i = 0; i < n; i++) q[i * n + k] = -q[i * n + k];
  }
  return q;
}

/** A Haar-random element of O(n): QR of a Gaussian matrix with the sign fix. */
export function haarOrthogonal(n: number, rng: Rng): Float64Array {
  const z = new Float64Array(n * n);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return qrQ(z, n);
}

/**
 * A Haar-random element of SO(n): a Haar O(n) element Q; if det Q = −1, flip its first column. Right
 * multiplication by diag(−1, 1, …, 1) maps the det −1 coset onto SO(n) and preserves Haar measure.
 */
export function haarSpecialOrthogonal(n: number, rng: Rng): Float64Array {
  const q = haarOrthogonal(n, rng);
  if (det(q, n) < 0) for (let i = 0; i < n; i++) q[i * n] = -q[i * n];
  return q;
}

/**
 * Matrix exponential by scaling and squaring with a degree-18 Taylor polynomial (relative error ~1e-15 for the
 * antisymmetric generators used here). n×n row-major.
 */
export function expm(a: Float64Array, n: number): Float64Array {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(a[i * n + j]);
    norm = Math.max(norm, s);
  }
  const squarings = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = Math.pow(2, -squarings);
  const x = a.map((v) => v * scale);
  let term = eyeSquare(n);
  const sum = eyeSquare(n);
  for (let k = 1; k <= 18; k++) {
    term = matmulSquare(term, x, n);
    for (let i = 0; i < term.length; i++) term[i] /= k;
    for (let i = 0; i < term.length; i++) sum[i] += term[i];
  }
  let r = sum;
  for (let s = 0; s < squarings; s++) r = matmulSquare(r, r, n);
  return r;
}

/**
 * An orthogonal n×n matrix Q whose first k columns are an orthonormal basis of span(vectors), the remaining n−k
 * columns completing it (Gram-Schmidt, twice, against the standard basis). Throws if the vectors are dependent.
 */
export function orthonormalCompletion(vectors: readonly Float64Array[], n: number): { q: Float64Array; rank: number } {
  const cols: Float64Array[] = [];
  const orth = (v: Float64Array): number => {
    for (let pass = 0; pass < 2; pass++) {
      for (const c of cols) {
        let d = 0;
        for (let i = 0; i < n; i++) d += c[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * c[i];
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i] * v[i];
    return Math.sqrt(s);
  };
  for (const u of vectors) {
    const v = Float64Array.from(u);
    const before = Math.hypot(...u);
    const nv = orth(v);
    if (!(before > 0) || nv < 1e-10 * before) throw new RangeError('orthonormalCompletion: the vectors are linearly dependent or zero');
    cols.push(v.map((t) => t / nv));
  }
  const rank = cols.length;
  for (let e = 0; e < n && cols.length < n; e++) {
    const v = new Float64Array(n);
    v[e] = 1;
    const nv = orth(v);
    if (nv > 1e-6) cols.push(v.map((t) => t / nv));
  }
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) q[i * n + j] = cols[j][i];
  return { q, rank };
}

/**
 * Classical Gram-Schmidt in order: an orthonormal basis of span(vectors) in R^n, dropping every vector whose
 * residual norm after projecting out the earlier ones is <= `tol` (so dependent vectors are skipped, not an error;
 * compare {@link orthonormalCompletion}, which throws on them and completes the basis).
 *
 * @example orthonormalize([Float64Array.of(1, 1), Float64Array.of(2, 2)], 2) // [[0.7071, 0.7071]]
 */
export function orthonormalize(vectors: readonly Float64Array[], n: number, tol = 1e-8): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v0 of vectors) {
    const v = v0.slice();
    for (const u of out) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * u[i];
    }
    const nrm = Math.hypot(...v);
    if (nrm > tol) out.push(v.map((x) => x / nrm));
  }
  return out;
}

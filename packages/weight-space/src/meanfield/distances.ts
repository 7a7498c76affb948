/**
 * Distances between empirical laws of unit parameters (float64): the Gaussian-kernel MMD (Gretton et al. 2012,
 * biased V-statistic) and the group-aware WI / SI distances of the mean-field study.
 */

/** Squared Euclidean distance between rows i of A and j of B (row length D). */
function sq(A: Float64Array, i: number, B: Float64Array, j: number, D: number): number {
  let s = 0;
  for (let k = 0; k < D; k++) {
    const t = A[i * D + k] - B[j * D + k];
    s += t * t;
  }
  return s;
}

function meanKernel(A: Float64Array, na: number, B: Float64Array, nb: number, D: number, inv2h2: number): number {
  let s = 0;
  for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) s += Math.exp(-sq(A, i, B, j, D) * inv2h2);
  return s / (na * nb);
}

/**
 * MMD^2 between the empirical laws of particle sets A [na, D] and B [nb, D] with kernel exp(-|u-v|^2 / (2 h^2)).
 * Zero iff the two empirical laws coincide (the Gaussian kernel is characteristic).
 */
export function mmd2(A: Float64Array, na: number, B: Float64Array, nb: number, D: number, h = 1): number {
  const c = 1 / (2 * h * h);
  return Math.max(0, meanKernel(A, na, A, na, D, c) + meanKernel(B, nb, B, nb, D, c) - 2 * meanKernel(A, na, B, nb, D, c));
}

/**
 * Weak-invariance distance MMD(mu, mu^G): mu^G = (1/|G|) sum_g g#mu is the symmetrised law. With an orthogonal
 * action the kernel is jointly invariant, so mean_{g,h} k(g u, h v) = mean_g k(u, g v) and
 * MMD^2(mu, mu^G) = mean_ij k(u_i, u_j) - mean_g mean_ij k(u_i, g u_j). `images[g]` holds g applied to every particle.
 * Zero iff mu is G-invariant (WI).
 */
export function wiDistance2(P: Float64Array, n: number, images: Float64Array[], D: number, h = 1): number {
  const c = 1 / (2 * h * h);
  const a = meanKernel(P, n, P, n, D, c);
  let b = 0;
  for (const gP of images) b += meanKernel(P, n, gP, n, D, c);
  return Math.max(0, a - b / images.length);
}

/** Strong-invariance distance MMD(mu, P#mu): P projects each particle onto E^G. Zero iff mu is supported on E^G (SI). */
export function siDistance2(P: Float64Array, projected: Float64Array, n: number, D: number, h = 1): number {
  return mmd2(P, n, projected, n, D, h);
}

/** Deterministic subsample of at most `max` rows (every k-th), to bound the O(n^2) kernel sums. */
export function subsampleRows(P: Float64Array, n: number, D: number, max: number): { data: Float64Array; n: number } {
  if (n <= max) return { data: P, n };
  const step = n / max;
  const out = new Float64Array(max * D);
  for (let i = 0; i < max; i++) out.set(P.subarray(Math.floor(i * step) * D, Math.floor(i * step) * D + D), i * D);
  return { data: out, n: max };
}

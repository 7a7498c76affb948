import { Rng } from '@nnsym/core';
import { zeros, type Mat } from '@nnsym/numerics';
import type { IntertwinerFamily } from './types';

/** A random member of a family: the matrix A, and (for generalised permutations) its P and D. */
export interface FamilyMember {
  a: Mat;
  /** A = P D with P e_j = e_perm[j], i.e. A[perm[j], j] = d[j]; absent for `general-linear`. */
  perm?: Int32Array;
  d?: Float64Array;
}

/** A magnitude log-uniform in [e^0.3, e^1.2], so that every scaling is clearly away from 1. */
function magnitude(rng: Rng): number {
  return Math.exp(0.3 + 0.9 * rng.uniform()) ** (rng.uniform() < 0.5 ? -1 : 1);
}

/** A permutation of 0..n-1 that is not the identity (n >= 2). */
function nonTrivialPermutation(rng: Rng, n: number): Int32Array {
  for (;;) {
    const p = rng.permutation(n);
    if (n < 2 || p.some((v, i) => v !== i)) return p;
  }
}

/**
 * Draw a random member of `family` in GL_n from `rng`. Scaling families draw a random permutation too, so a
 * passing test covers the whole group P D, not only its diagonal part; `sign-flip` and `invertible-scaling`
 * always include at least one negative entry.
 *
 * @example
 * sampleFamilyMember('positive-scaling', 4, new Rng(0)).a; // a 4x4 P D with D > 0
 */
export function sampleFamilyMember(family: IntertwinerFamily, n: number, rng: Rng): FamilyMember {
  if (family === 'general-linear') {
    // Gaussian matrices are invertible with probability 1; scale keeps entries O(1).
    const a = zeros(n, n);
    rng.fillNormal(a.data, 0, 1 / Math.sqrt(n));
    return { a };
  }
  const perm = nonTrivialPermutation(rng, n);
  const d = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    switch (family) {
      case 'permutation':
        d[j] = 1;
        break;
      case 'positive-scaling':
        d[j] = magnitude(rng);
        break;
      case 'sign-flip':
        d[j] = rng.uniform() < 0.5 ? -1 : 1;
        break;
      case 'invertible-scaling':
        d[j] = magnitude(rng) * (rng.uniform() < 0.5 ? -1 : 1);
        break;
    }
  }
  if (family === 'sign-flip' || family === 'invertible-scaling') {
    const k = rng.int(n);
    d[k] = -Math.abs(d[k]);
  }
  return { a: generalisedPermutation(perm, d), perm, d };
}

/** The matrix P D with `A[perm[j], j] = d[j]`. */
export function generalisedPermutation(perm: Int32Array, d: Float64Array): Mat {
  const n = perm.length;
  const a = zeros(n, n);
  for (let j = 0; j < n; j++) a.data[perm[j] * n + j] = d[j];
  return a;
}

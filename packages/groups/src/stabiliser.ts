import { z } from 'zod';
import { UsageError } from '@nnsym/core';
import {
  eyeSquare, haarSpecialOrthogonal, matmulSquare, matvecSquare, orthonormalCompletion, transposeSquare,
} from '@nnsym/numerics';
import { hasUnitDeterminant, orthogonalMatrixGroup, soGenerators } from './matrix-group';
import type { GroupAction, GroupActionPlugin, HaarMoments } from './types';

/** Config of {@link stabiliserPlugin}: which vectors of R^n the rotations must fix (one of the three forms). */
export interface StabiliserConfig {
  n: number;
  /** Explicit vectors to fix (each of length n, linearly independent). */
  fix?: number[][];
  /** Fix each of e_0..e_{k−1}: the group is SO(n−k) on the last n−k coordinates. */
  fixRows?: number;
  /** Fix u = e_0 + … + e_{k−1}: the unbroken group of a mean μ on output rows 0..k−1 (≅ SO(n−1)). */
  fixRowBlock?: number;
}

/**
 * The stabiliser {R ∈ SO(n) : R v = v for every fixed v}: with an orthogonal Q whose first k columns span the fixed
 * vectors, R = Q diag(I_k, R') Qᵀ with R' ∈ SO(n−k). Haar sampling draws R' from Haar on SO(n−k); the Lie algebra
 * basis is Q diag(0, L_ij) Qᵀ.
 *
 * When to use: the unbroken subgroup after symmetry breaking (2106.00694 Sec. 4.2: a mean μ on the first output row
 * of W1 breaks SO(d_out) to SO(d_out − 1) = Stab(e_0)).
 *
 * @example
 * const so4 = createStabiliser(5, [Float64Array.of(1, 0, 0, 0, 0)]); // Stab(e0) ≅ SO(4)
 */
export function createStabiliser(n: number, fixed: readonly Float64Array[], label?: string): GroupAction<Float64Array> {
  for (const v of fixed)
    if (v.length !== n) throw new UsageError(`stabiliser: a fixed vector has length ${v.length}, expected n = ${n}`, 'config.fix');
  let q: Float64Array;
  try {
    q = orthonormalCompletion(fixed, n).q;
  } catch {
    throw new UsageError('stabiliser: the fixed vectors must be non-zero and linearly independent', 'config.fix');
  }
  const k = fixed.length;
  const m = n - k;
  const qt = transposeSquare(q, n);
  const embed = (inner: Float64Array): Float64Array => {
    const d = eyeSquare(n);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) d[(k + i) * n + (k + j)] = inner[i * m + j];
    return matmulSquare(matmulSquare(q, d, n), qt, n);
  };
  const gens = soGenerators(m).map((l) => {
    const d = new Float64Array(n * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) d[(k + i) * n + (k + j)] = l[i * m + j];
    return matmulSquare(matmulSquare(q, d, n), qt, n);
  });
  const name = `Stab_SO(${n})(${label ?? `${k} vector${k === 1 ? '' : 's'}`}) ≅ SO(${m})`;
  return orthogonalMatrixGroup({
    id: 'stabiliser',
    name,
    n,
    sample: (rng) => (m >= 1 ? embed(haarSpecialOrthogonal(m, rng)) : eyeSquare(n)),
    generators: gens,
    extraMember: (g, tol) =>
      hasUnitDeterminant(g, n, tol) &&
      fixed.every((v) => {
        const gv = matvecSquare(g, v, n);
        return gv.every((t, i) => Math.abs(t - v[i]) <= tol * Math.max(1, Math.abs(v[i])) * 10);
      }),
    haarMoments: () => stabiliserMoments(q, n, k),
    elements: m <= 1 ? () => [eyeSquare(n)] : undefined,
  });
}

/**
 * Exact Haar moments of ρ = P + A R' Aᵀ (P the projector on the fixed span, A the n×m complement, R' Haar on
 * SO(m)). With X_ij = (A R' Aᵀ)_ij: m ≥ 3, E[R'_ab R'_cd] = δ_ac δ_bd / m, so E[X_ij²] = |A_i|²|A_j|²/m;
 * m = 2, R' = [[c, −s], [s, c]] with E[c²] = E[s²] = 1/2, E[cs] = 0, so E[X_ij²] = (α² + β²)/2 with
 * α = A_i0 A_j0 + A_i1 A_j1, β = A_i1 A_j0 − A_i0 A_j1; m ≤ 1 the group is trivial. E[R'] = 0 for m ≥ 2.
 */
function stabiliserMoments(q: Float64Array, n: number, k: number): HaarMoments {
  const m = n - k;
  const mean = new Float64Array(n * n);
  const second = new Float64Array(n * n);
  const a = (i: number, c: number) => q[i * n + k + c];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let p = 0;
      for (let c = 0; c < k; c++) p += q[i * n + c] * q[j * n + c];
      if (m <= 1) {
        const x = m === 1 ? a(i, 0) * a(j, 0) : 0;
        mean[i * n + j] = p + x;
        second[i * n + j] = (p + x) ** 2;
        continue;
      }
      mean[i * n + j] = p;
      let ex2: number;
      if (m === 2) {
        const alpha = a(i, 0) * a(j, 0) + a(i, 1) * a(j, 1);
        const beta = a(i, 1) * a(j, 0) - a(i, 0) * a(j, 1);
        ex2 = (alpha * alpha + beta * beta) / 2;
      } else {
        let ai = 0;
        let aj = 0;
        for (let c = 0; c < m; c++) {
          ai += a(i, c) ** 2;
          aj += a(j, c) ** 2;
        }
        ex2 = (ai * aj) / m;
      }
      second[i * n + j] = p * p + ex2;
    }
  }
  return { mean, second };
}

/** The fixed vectors a {@link StabiliserConfig} describes (default: fixRows 1, i.e. Stab(e_0)). */
export function stabiliserVectors(config: StabiliserConfig): { vectors: Float64Array[]; label: string } {
  const { n } = config;
  const forms = [config.fix, config.fixRows, config.fixRowBlock].filter((v) => v !== undefined).length;
  if (forms > 1) throw new UsageError('stabiliser: give only one of fix, fixRows, fixRowBlock', 'config');
  const basis = (a: number) => Float64Array.from({ length: n }, (_, i) => (i === a ? 1 : 0));
  if (config.fix)
    return { vectors: config.fix.map((v) => Float64Array.from(v)), label: config.fix.map((v) => `[${v.join(',')}]`).join(', ') };
  if (config.fixRowBlock !== undefined) {
    const k = config.fixRowBlock;
    if (k < 1 || k > n) throw new UsageError(`stabiliser: config.fixRowBlock must be in 1..${n}, got ${k}`, 'config.fixRowBlock');
    return { vectors: [Float64Array.from({ length: n }, (_, i) => (i < k ? 1 : 0))], label: k === 1 ? 'e0' : `e0+…+e${k - 1}` };
  }
  const k = config.fixRows ?? 1;
  if (k > n) throw new UsageError(`stabiliser: config.fixRows must be <= n = ${n}, got ${k}`, 'config.fixRows');
  return {
    vectors: Array.from({ length: k }, (_, a) => basis(a)),
    label: Array.from({ length: k }, (_, a) => `e${a}`).join(', ') || 'nothing',
  };
}

/** Plugin `stabiliser`: {R ∈ SO(n) : R v = v}. Config `{ n, fix? | fixRows? | fixRowBlock? }` (default fixRows 1). */
export const stabiliserPlugin: GroupActionPlugin<StabiliserConfig> = {
  meta: {
    id: 'stabiliser',
    kind: 'group-action',
    description: 'Stabiliser in SO(n) of fixed vectors, e.g. Stab(e0) ≅ SO(n-1): the unbroken group after breaking',
    version: '0.1.0',
    reference: 'arXiv 2106.00694 Sec. 4.2',
  },
  configSchema: z.object({
    n: z.number().int().positive(),
    fix: z.array(z.array(z.number())).optional(),
    fixRows: z.number().int().nonnegative().optional(),
    fixRowBlock: z.number().int().positive().optional(),
  }),
  create: (config) => {
    const { vectors, label } = stabiliserVectors(config);
    return createStabiliser(config.n, vectors, label);
  },
};

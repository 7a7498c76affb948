import { Rng, UsageError } from '@nnsym/core';
import { svd } from '@nnsym/numerics';
import type { GroupAction } from '@nnsym/groups';

/** An orthonormal basis of a subspace of R^n and its orthogonal projector. */
export interface Subspace {
  /** Ambient dimension n. */
  ambient: number;
  /** dim of the subspace (0 for the zero subspace: reported plainly, not an error). */
  dimension: number;
  /** Orthonormal basis vectors, each of length n. */
  basis: Float64Array[];
  /** n x n row-major orthogonal projector P = B B^T. */
  projector: Float64Array;
  /** How it was computed. */
  method: string;
}

/** Build a {@link Subspace} from orthonormal vectors. */
export function subspaceFromBasis(basis: Float64Array[], n: number, method: string): Subspace {
  const P = new Float64Array(n * n);
  for (const b of basis) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P[i * n + j] += b[i] * b[j];
  return { ambient: n, dimension: basis.length, basis, projector: P, method };
}

/** Null space of a stack of n-column matrices (row-major [rows, n]) by SVD in float64. */
export function nullSpace(stack: Float64Array, rows: number, n: number, tol = 1e-9): Float64Array[] {
  if (rows === 0) return Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  // Pad to at least n rows so the SVD returns a full V.
  const r = Math.max(rows, n);
  const data = new Float64Array(r * n);
  data.set(stack.subarray(0, rows * n));
  const { s, v } = svd({ rows: r, cols: n, data });
  const scale = Math.max(1, s[0] ?? 0);
  const out: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    if (s[k] <= tol * scale) out.push(Float64Array.from({ length: n }, (_, i) => v.data[i * n + k]));
  }
  return out;
}

/**
 * The fixed-point subspace E^G = {w in R^n : rho(g) w = w for all g} of a linear group action, in float64
 * (Maass & Fontbona, arXiv 2405.19995, Sec. 2: strongly invariant laws are those supported on E^G).
 * - continuous groups: the common null space of the Lie-algebra generators X_k (w fixed by exp(tX) for all t iff
 *   X w = 0), plus the finite part if the group also lists elements;
 * - finite groups: the null space of the stacked (rho(g) - I) over all elements (or `samples` random elements when
 *   the group does not list them; random elements generate the group with high probability).
 *
 * @example
 * fixedPointSubspace(createCyclic(4)).dimension // 1: span(1, 1, 1, 1)
 */
export function fixedPointSubspace(group: GroupAction, opts: { samples?: number; seed?: number; tol?: number } = {}): Subspace {
  if (!group.linear || !group.matrix)
    throw new UsageError(`group ${group.name}: the fixed-point subspace needs a linear action`, 'group');
  const n = group.dimension;
  const rows: Float64Array[] = [];
  let method: string;
  if (group.lieDimension > 0 && group.generators) {
    for (const X of group.generators()) {
      if (!X.matrix) throw new UsageError(`group ${group.name}: a generator has no matrix`, 'group');
      rows.push(X.matrix);
    }
    method = `null space of ${rows.length} Lie-algebra generators (SVD, float64)`;
    // A disconnected group (O(n)) also needs an element from the other component.
    if (group.elements === undefined && !group.isFinite) {
      const rng = new Rng(opts.seed ?? 0, ['fixed-point']);
      for (let k = 0; k < 4; k++) rows.push(minusIdentity(group.matrix(group.sample(rng)), n));
      method += ' + 4 sampled elements';
    }
  } else {
    const els = group.elements?.();
    if (els) {
      for (const g of els) rows.push(minusIdentity(group.matrix(g), n));
      method = `null space of rho(g) - I over all ${els.length} elements (SVD, float64)`;
    } else {
      const rng = new Rng(opts.seed ?? 0, ['fixed-point']);
      const k = opts.samples ?? 4 * n;
      for (let i = 0; i < k; i++) rows.push(minusIdentity(group.matrix(group.sample(rng)), n));
      method = `null space of rho(g) - I over ${k} sampled elements (SVD, float64)`;
    }
  }
  const stack = new Float64Array(rows.length * n * n);
  rows.forEach((m, i) => stack.set(m, i * n * n));
  return subspaceFromBasis(nullSpace(stack, rows.length * n, n, opts.tol), n, method);
}

function minusIdentity(m: Float64Array, n: number): Float64Array {
  const out = m.slice();
  for (let i = 0; i < n; i++) out[i * n + i] -= 1;
  return out;
}

/** Apply an n x n projector (row-major) to x. */
export function project(P: Float64Array, x: Float64Array, n: number, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += P[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

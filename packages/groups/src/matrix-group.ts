import type { Rng } from '@nnsym/core';
import { det, expm, eyeSquare, matmulSquare, matvecSquare, orthogonalityError, transposeSquare } from '@nnsym/numerics';
import type { GroupAction, GroupSpace, HaarMoments, LieGenerator } from './types';

/** What a concrete group of orthogonal n×n matrices supplies; {@link orthogonalMatrixGroup} does the rest. */
export interface OrthogonalMatrixGroupSpec {
  id: string;
  name: string;
  n: number;
  /** Haar sample. */
  sample(rng: Rng): Float64Array;
  /** Lie algebra basis as n×n matrices (antisymmetric). */
  generators: Float64Array[];
  /** Extra membership conditions beyond orthogonality (e.g. det = 1, fixes μ). */
  extraMember?(g: Float64Array, tol: number): boolean;
  haarMoments?(): HaarMoments;
  actsOn?: readonly GroupSpace[];
  /** For a finite group (e.g. O(1) = {±1}, SO(1) = {1}): all its elements. */
  elements?(): Float64Array[];
}

/** A basis of so(n): L_ij = E_ij − E_ji for i < j, n(n−1)/2 antisymmetric matrices. */
export function soGenerators(n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const l = new Float64Array(n * n);
      l[i * n + j] = 1;
      l[j * n + i] = -1;
      out.push(l);
    }
  }
  return out;
}

/** Haar moments of the defining representation of SO(n) / O(n): E[R_ij] = 0, E[R_ij²] = 1/n (SO(1): R = 1). */
export function definingRepMoments(n: number, trivialWhenN1: boolean): HaarMoments {
  if (n === 1 && trivialWhenN1) return { mean: Float64Array.of(1), second: Float64Array.of(1) };
  return { mean: new Float64Array(n * n), second: new Float64Array(n * n).fill(1 / n) };
}

/** Wrap a matrix as a {@link LieGenerator}. */
export function matrixGenerator(x: Float64Array, n: number): LieGenerator {
  return { matrix: x, apply: (v) => matvecSquare(x, v, n) };
}

/**
 * Build a {@link GroupAction} whose elements are orthogonal n×n matrices acting by x -> R x, with composition by
 * matrix product, inverse by transpose, and exp from the given Lie algebra basis.
 */
export function orthogonalMatrixGroup(spec: OrthogonalMatrixGroupSpec): GroupAction<Float64Array> {
  const { n } = spec;
  const gens = spec.generators;
  return {
    id: spec.id,
    name: spec.name,
    dimension: n,
    actsOn: spec.actsOn ?? ['inputs', 'outputs'],
    isCompact: true,
    isFinite: spec.elements !== undefined,
    order: spec.elements ? spec.elements().length : undefined,
    lieDimension: gens.length,
    linear: true,
    orthogonal: true,
    samplingMeasure: 'haar',
    identity: () => eyeSquare(n),
    compose: (g, h) => matmulSquare(g, h, n),
    inverse: (g) => transposeSquare(g, n),
    sample: (rng) => spec.sample(rng),
    act: (g, x) => matvecSquare(g, x, n),
    matrix: (g) => Float64Array.from(g),
    generators: () => gens.map((x) => matrixGenerator(x, n)),
    exp: (coeffs) => {
      if (coeffs.length !== gens.length)
        throw new RangeError(`${spec.name}.exp: expected ${gens.length} coordinates, got ${coeffs.length}`);
      const a = new Float64Array(n * n);
      gens.forEach((x, k) => {
        if (coeffs[k] !== 0) for (let i = 0; i < a.length; i++) a[i] += coeffs[k] * x[i];
      });
      return expm(a, n);
    },
    isMember: (g, tol = 1e-9) =>
      g instanceof Float64Array &&
      g.length === n * n &&
      orthogonalityError(g, n) <= tol &&
      (spec.extraMember ? spec.extraMember(g, tol) : true),
    elements: spec.elements,
    haarMoments: spec.haarMoments,
    describe: (g) => ({ matrix: Array.from({ length: n }, (_, i) => Array.from(g.subarray(i * n, i * n + n))) }),
  };
}

/** det g ≈ +1 (membership in SO(n) for an orthogonal g). */
export function hasUnitDeterminant(g: Float64Array, n: number, tol: number): boolean {
  return Math.abs(det(g, n) - 1) <= Math.max(tol, 1e-9) * n;
}

import { Rng, UsageError, type SeedKey } from '@nnsym/core';
import { lstsq, frobenius, matmul, transpose, zeros, type Mat } from '@nnsym/numerics';
import { sampleFamilyMember } from './families';
import { inferPhi, type PhiSample } from './phi';
import { INTERTWINER_FAMILIES, type IntertwinerFamily, type IntertwinerTable } from './types';
import type { ScalarFn } from '@nnsym/numerics';

/** Options of {@link discoverIntertwiners}. */
export interface DiscoverOptions {
  /** Dimension n of the hidden layer tested (default 4). */
  n?: number;
  /** Random inputs x used in each least-squares fit (default 256). */
  samples?: number;
  /** Random members A drawn per family (default 4); a family holds only if every member does. */
  trials?: number;
  /** Seed of the draws (default 0). */
  seed?: SeedKey;
  /** Relative residual below which sigma(A x) = B sigma(x) is accepted (default 1e-7; float64 fits reach ~1e-15). */
  tol?: number;
}

/** Evidence for one family: the worst relative residual over its trials and the fitted B of the first trial. */
export interface FamilyEvidence {
  holds: boolean;
  /** max over trials of ||sigma(A X) - B sigma(X)||_F / ||sigma(A X)||_F at the least-squares B. */
  maxResidual: number;
  trials: number;
  example: { a: number[][]; b: number[][] };
}

/** Result of {@link discoverIntertwiners}: the families that hold, phi, and the numerical evidence. */
export interface IntertwinerDiscovery extends IntertwinerTable {
  evidence: Record<IntertwinerFamily, FamilyEvidence>;
  options: Required<Omit<DiscoverOptions, 'seed'>> & { seed: SeedKey };
  precision: 'float64';
}

const nested = (m: Mat) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

/**
 * Discover the intertwiner group G_sigma = {A in GL_n : sigma(A x) = B sigma(x) for some B, all x} of a scalar
 * activation numerically (Godfrey, Brown, Emerson, Kvinge 2022, section 3.1 and table 1), and the map
 * phi(A) = B.
 *
 * Method, in float64: draw inputs X [n, samples] (Gaussian, with a per-sample scale log-uniform in
 * [e^-1.5, e^1.5] so that homogeneity is probed at small and large arguments), and for each candidate family
 * draw `trials` random members A. For each A, the best B is the least-squares solution of B sigma(X) = sigma(A X)
 * (Householder QR); the family holds when the relative residual is below `tol` for every member. phi is then read
 * off the fitted B's ({@link inferPhi}).
 *
 * A family that holds on these draws holds for sigma as evaluated; a family that fails is refuted by an explicit
 * counterexample (the residual is the evidence). Use {@link handDerivedIntertwiners} for the exact table.
 *
 * @example
 * discoverIntertwiners((z) => Math.max(0, z)).families;
 * // { permutation: true, 'positive-scaling': true, 'sign-flip': false, 'invertible-scaling': false, 'general-linear': false }
 */
export function discoverIntertwiners(sigma: ScalarFn, options: DiscoverOptions = {}): IntertwinerDiscovery {
  const n = options.n ?? 4;
  const m = options.samples ?? 256;
  const trials = options.trials ?? 4;
  const seed = options.seed ?? 0;
  const tol = options.tol ?? 1e-7;
  if (!Number.isInteger(n) || n < 2) throw new UsageError(`intertwiners: n must be an integer >= 2, got ${n}`, 'n');
  if (!Number.isInteger(m) || m < 4 * n)
    throw new UsageError(`intertwiners: samples must be an integer >= 4n = ${4 * n}, got ${m}`, 'samples');
  if (!Number.isInteger(trials) || trials < 1)
    throw new UsageError(`trials must be a positive integer, got ${trials}`, 'trials');

  const rngX = Rng.derive(seed, 'intertwiners', 'inputs');
  const x = zeros(n, m);
  for (let j = 0; j < m; j++) {
    const s = Math.exp(-1.5 + 3 * rngX.uniform());
    for (let i = 0; i < n; i++) x.data[i * m + j] = s * rngX.normal();
  }
  const act = (z: Mat): Mat => {
    const out = zeros(z.rows, z.cols);
    for (let i = 0; i < z.data.length; i++) {
      const v = sigma(z.data[i]);
      if (!Number.isFinite(v)) throw new UsageError(`activation: it returned ${v} at z = ${z.data[i]}`, 'activation');
      out.data[i] = v;
    }
    return out;
  };
  const sT = transpose(act(x)); // [m, n]: least squares sigma(X)^T B^T = sigma(AX)^T

  const evidence = {} as Record<IntertwinerFamily, FamilyEvidence>;
  const phiSamples: PhiSample[] = [];
  for (const family of INTERTWINER_FAMILIES) {
    let maxResidual = 0;
    let example: FamilyEvidence['example'] | undefined;
    const familySamples: PhiSample[] = [];
    for (let t = 0; t < trials; t++) {
      const { a } = sampleFamilyMember(family, n, Rng.derive(seed, 'intertwiners', family, t));
      const y = act(matmul(a, x));
      let fit: { x: Mat; residual: number };
      try {
        fit = lstsq(sT, transpose(y));
      } catch {
        throw new UsageError(
          'activation: sigma(x) is degenerate on the test inputs (its rows are linearly dependent; is the activation constant?)',
          'activation',
        );
      }
      const b = transpose(fit.x);
      const ny = frobenius(y);
      const rel = ny > 0 ? fit.residual / ny : fit.residual;
      maxResidual = Math.max(maxResidual, rel);
      example ??= { a: nested(a), b: nested(b) };
      for (let i = 0; i < a.data.length; i++) familySamples.push({ a: a.data[i], b: b.data[i] });
    }
    const holds = maxResidual < tol;
    if (holds) phiSamples.push(...familySamples);
    evidence[family] = { holds, maxResidual, trials, example: example ?? { a: [], b: [] } };
  }
  const families = Object.fromEntries(INTERTWINER_FAMILIES.map((f) => [f, evidence[f].holds])) as Record<IntertwinerFamily, boolean>;
  return { families, phi: inferPhi(phiSamples), evidence, options: { n, samples: m, trials, seed, tol }, precision: 'float64' };
}

import { UsageError } from '@nnsym/core';
import { cka } from './cka';
import { gReluCka, gReluProcrustes } from './grelu';
import type { Mat } from '@nnsym/numerics';
import { procrustesDistance } from './procrustes';

/** The metrics of `nnsym compare`. */
export const SIMILARITY_METRICS = ['cka', 'cka-unbiased', 'rbf-cka', 'procrustes', 'grelu-cka', 'grelu-procrustes'] as const;
/** One of {@link SIMILARITY_METRICS}. */
export type SimilarityMetric = (typeof SIMILARITY_METRICS)[number];

/** One comparison: the value, and whether larger means more similar. */
export interface SimilarityValue {
  metric: SimilarityMetric;
  value: number;
  /** `similarity` (1 = identical, CKA family) or `distance` (0 = identical, Procrustes family). */
  kind: 'similarity' | 'distance';
}

/**
 * Compare two representations `X [n, p]`, `Y [n, q]` of the same n inputs with one of
 * {@link SIMILARITY_METRICS}, in float64:
 * `cka` (linear, biased HSIC), `cka-unbiased` (linear, unbiased HSIC), `rbf-cka` (RBF kernel at 0.8 x median
 * distance, biased), `procrustes` (orthogonal Procrustes distance, centred), `grelu-cka`, `grelu-procrustes`
 * (Godfrey et al. 2022).
 *
 * @example
 * compareRepresentations(hA, hB, 'grelu-procrustes'); // { value: 0.31, kind: 'distance', ... }
 */
export function compareRepresentations(x: Mat, y: Mat, metric: SimilarityMetric): SimilarityValue {
  switch (metric) {
    case 'cka':
      return { metric, value: cka(x, y), kind: 'similarity' };
    case 'cka-unbiased':
      return { metric, value: cka(x, y, { estimator: 'unbiased' }), kind: 'similarity' };
    case 'rbf-cka':
      return { metric, value: cka(x, y, { kernel: 'rbf' }), kind: 'similarity' };
    case 'procrustes':
      return { metric, value: procrustesDistance(x, y), kind: 'distance' };
    case 'grelu-cka':
      return { metric, value: gReluCka(x, y), kind: 'similarity' };
    case 'grelu-procrustes':
      return { metric, value: gReluProcrustes(x, y).distance, kind: 'distance' };
    default:
      throw new UsageError(`unknown metric "${String(metric)}"; known: ${SIMILARITY_METRICS.join(', ')}`, 'metric');
  }
}

/**
 * The layer-by-layer similarity matrix `S[i][j] = metric(A_i, B_j)` between the hidden representations of two
 * networks (lists of `[n, width]` matrices on the same inputs). `diagonalOnly` computes only `S[i][i]`
 * (others NaN), which is what the per-layer tables need.
 */
export function similarityMatrix(
  a: readonly Mat[],
  b: readonly Mat[],
  metric: SimilarityMetric,
  options: { diagonalOnly?: boolean } = {},
): number[][] {
  return a.map((x, i) => b.map((y, j) => (options.diagonalOnly && i !== j ? NaN : compareRepresentations(x, y, metric).value)));
}

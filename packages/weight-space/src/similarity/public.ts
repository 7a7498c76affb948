// Named re-exports of the similarity area.
export { hsic, linearGram, rbfGram, doubleCenter } from './hsic';
export type { HsicEstimator } from './hsic';
export { cka, ckaFromGrams } from './cka';
export type { CkaOptions } from './cka';
export { procrustesDistance } from './procrustes';
export { gReluProcrustes, gReluCka, gReluGram } from './grelu';
export { compareRepresentations, similarityMatrix, SIMILARITY_METRICS } from './metrics';
export type { SimilarityMetric, SimilarityValue } from './metrics';
export {
  compareNetworks,
  compareLayerLists,
  pairwiseComparison,
  assertComparableArchitectures,
  assertLayer,
  randomOrthogonal,
} from './networks';
export type { LayerComparison, PairwiseSummary } from './networks';

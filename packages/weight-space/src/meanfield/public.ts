// Named re-exports of the meanfield area.
export { fixedPointSubspace, nullSpace, subspaceFromBasis, project } from './fixed-point';
export type { Subspace } from './fixed-point';
export { mfForward, mfAccumulateGrad, randomParticles, unitDim } from './model';
export type { MeanFieldNet } from './model';
export { mmd2, wiDistance2, siDistance2, subsampleRows } from './distances';
export { trainMeanField, teacherParticles, averagingElements, schemeDistance2 } from './train';
export type { MeanFieldScheme, TeacherKind, MeanFieldConfig, MeanFieldRecord, MeanFieldResult } from './train';
export { discoverSubspace } from './discover';
export type { DiscoverConfig, DiscoverResult, DiscoverIteration } from './discover';

// Named re-exports of the nets area: the float64 dense networks and the assignment solver shared by intertwiners
// (alignment, stitching) and similarity (network comparison), below both.
export { forwardMlp, mlpSizes, validateMlp, cloneMlpF64, flattenParams } from './mlp';
export type { MlpF64, DenseLayerF64 } from './mlp';
export { linearAssignment } from './assignment';
export type { Assignment } from './assignment';

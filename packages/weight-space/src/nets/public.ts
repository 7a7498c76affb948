// Named re-exports of the nets area: the float64 dense networks (@nnsym/core's DenseNet64, evaluated here) and the
// assignment solver shared by intertwiners (alignment, stitching) and similarity (network comparison), below both.
export { forwardMlp, mlpSizes, validateMlp, cloneMlpF64, flattenParams, phiOf, weightMat } from './mlp';
export type { DenseNetF64, MlpF64, DenseLayerF64 } from './mlp';
export { linearAssignment } from './assignment';
export type { Assignment } from './assignment';

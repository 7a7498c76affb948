// Named re-exports of the intertwiners area.
export { INTERTWINER_FAMILIES, phiEntry, phiFormula } from './types';
export type { ScalarFn, IntertwinerFamily, PhiDescription, IntertwinerTable } from './types';
export { sampleFamilyMember, generalisedPermutation } from './families';
export type { FamilyMember } from './families';
export { inferPhi } from './phi';
export type { PhiSample } from './phi';
export { discoverIntertwiners } from './discover';
export type { DiscoverOptions, FamilyEvidence, IntertwinerDiscovery } from './discover';
export { handDerivedIntertwiners, HAND_DERIVED_ACTIVATIONS } from './hand-derived';
export type { HandDerivedActivation } from './hand-derived';
export { referenceActivation, erf } from './reference-activations';
export { resolveScalarActivation } from './activation';
export type { ResolvedActivation } from './activation';
export { forwardMlp, mlpSizes, validateMlp, cloneMlpF64, flattenParams } from './mlp';
export type { MlpF64, DenseLayerF64 } from './mlp';
export { applyIntertwiner, functionDiscrepancy } from './weight-space';
export { alignMlp, isPositivelyHomogeneous } from './align';
export type { AlignOptions, Alignment } from './align';

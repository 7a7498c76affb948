// @nnsym/weight-space public entry: named re-exports only (exactly the names each area's public.ts exports).
export {
  forwardMlp, mlpSizes, validateMlp, cloneMlpF64, flattenParams, linearAssignment,
} from './nets/public';
export type {
  MlpF64, DenseLayerF64, Assignment,
} from './nets/public';
export {
  hsic, linearGram, rbfGram, doubleCenter, cka, ckaFromGrams, procrustesDistance, gReluProcrustes, gReluCka,
  gReluGram, compareRepresentations, similarityMatrix, SIMILARITY_METRICS, compareNetworks, compareLayerLists,
  pairwiseComparison, assertComparableArchitectures, assertLayer, randomOrthogonal,
} from './similarity/public';
export type {
  HsicEstimator, CkaOptions, SimilarityMetric, SimilarityValue, LayerComparison, PairwiseSummary,
} from './similarity/public';
export {
  INTERTWINER_FAMILIES, phiEntry, phiFormula, sampleFamilyMember, generalisedPermutation, inferPhi,
  discoverIntertwiners, handDerivedIntertwiners, HAND_DERIVED_ACTIVATIONS, referenceActivation,
  resolveScalarActivation, applyIntertwiner, functionDiscrepancy, alignMlp, isPositivelyHomogeneous,
  loadMlpCheckpoint, stitchNetworks, STITCH_KINDS,
} from './intertwiners/public';
export type {
  IntertwinerFamily, PhiDescription, IntertwinerTable, FamilyMember, PhiSample, DiscoverOptions,
  FamilyEvidence, IntertwinerDiscovery, HandDerivedActivation, ResolvedActivation, AlignOptions, Alignment,
  LoadedMlp, StitchKind, StitchOptions, StitchResult,
} from './intertwiners/public';
export {
  flatten, unflatten, forward64, lossAndGrad64, paramCount64, cloneMlp, mlpGenerators, charge, chargeScale,
  symmetryResidual, trackNoether, randomMlp64, teacherData, noetherActivation, parseAugmentation,
} from './noether/public';
export type {
  Mlp64, Layer64, Loss64, Activation64, Generator, FamilyReport, GeneratorOptions, NoetherOptimizer, NoetherData,
  NoetherRunConfig, QuantityReport, NoetherSummary, NoetherActivation, Augmentation,
} from './noether/public';
export {
  fixedPointSubspace, nullSpace, subspaceFromBasis, project, mfForward, mfAccumulateGrad, randomParticles, unitDim,
  mmd2, wiDistance2, siDistance2, subsampleRows, trainMeanField, teacherParticles, averagingElements,
  schemeDistance2, discoverSubspace,
} from './meanfield/public';
export type {
  Subspace, MeanFieldNet, MeanFieldScheme, TeacherKind, MeanFieldConfig, MeanFieldRecord, MeanFieldResult,
  DiscoverConfig, DiscoverResult, DiscoverIteration,
} from './meanfield/public';

// @nnsym/symmetry public entry: named re-exports only (exactly the names each area's public.ts exports).
export {
  createGroupAction, groupForSpace, createSpecialOrthogonal, specialOrthogonalPlugin, createOrthogonal,
  orthogonalPlugin, createPermutations, permutationsPlugin, allPermutations, createCyclic, cyclicPlugin,
  createSignFlips, signFlipsPlugin, createTranslations, translationsPlugin, createScalings, scalingsPlugin,
  createStabiliser, stabiliserPlugin, stabiliserVectors, directProduct, createDirectProduct, directProductPlugin,
  contractCorrelator, transformOutputs, builtinGroupPlugins, registerGroupPlugins, haarOrthogonal,
  haarSpecialOrthogonal, expm, qrQ,
} from './groups/public';
export type {
  GroupAction, GroupActionPlugin, GroupSpace, HaarMoments, LieGenerator, SpecialOrthogonalConfig, OrthogonalConfig,
  TranslationsConfig, ScalingsConfig, StabiliserConfig, DirectProductConfig,
} from './groups/public';
export {
  buildTupleTree, tupleCount, tupleRank, tupleAt, binomial, splitIndex, evenPartitions, pairings, mobius,
  doubleFactorialOdd, correlatorLayout, partitionSum, kernelLevel, CorrelatorAccumulator, mergeGroups,
  jackknifeStderr, weightedTupleSums, wickPrediction, connectedCorrelator, sliceOrder, analyzeCorrelators,
  singleNeuronMoments, preactivationFactor, neuronFamily, SINGLE_HIDDEN_FAMILIES, exactCorrelators, toPartial,
  fromPartial, mergePartials, specDifference, SPEC_FIELDS, correlators$, architectureFromSpec, finalizeCorrelators,
  exactResult, kernelFor, fitInversePowers, logLogSlope, sweepSummary, correlatorsThreaded$, correlatorShard,
} from './correlators/public';
export type {
  TupleLevel, TupleTree, Partition, CorrelatorLayout, BlockTable, CorrelatorEstimates, OrderReport, OrderSummary,
  SingleNeuronFamily, NeuronMoments, NeuronMomentOptions, ExactCorrelators, ExactOptions, CorrelatorPartial,
  CorrelatorRunSpec, CorrelatorRunOptions, CorrelatorResult, KernelChoice, InversePowerFit, SweepSummary, SweepRow,
  SweepFit, CorrelatorShardArgs,
} from './correlators/public';
export {
  designInvarianceTest, multisetCount, nonDecreasingTuples, InvarianceAccumulator, testInvariance,
  invarianceVerdict, predictInvariance, requirePrediction, architectureSymmetry, chiSquareSf, fSf, normalTwoSidedP,
  symmetricEigen, pseudoInverseForm, resolvableEigenTol, referenceEnsembleChunks, REFERENCE_ARCHS, runSymmetryStudy,
  studyParameterSide, referenceSource, coreEnsembleSource, parameterSideFromInit, studyArchitecture, studyInitSpec,
  studySide, trainedEnsembleChunks, trainedParameterSide, invarianceRepeat, binomialUpperTail,
  clopperPearson, decideInvariance, tailDiagnostics, HILL_EXPONENT, calibrationBattery, runCalibration, pseudoInverseSolve,
} from './invariance/public';
export type {
  InvarianceDesign, InvarianceDesignOptions, InvarianceComponent, OutputChunk, InvarianceStatistic,
  InvarianceResult, InvarianceTestOptions, InvarianceMethod, DeclaredInvariance, LayerLaw, ParameterSide,
  InvariancePrediction, ArchitectureSymmetry, ReferenceEnsembleSpec, ReferenceArch, StudyEnsemble, EnsembleSource,
  SymmetryStudyOptions, SymmetryStudyResult, TrainingTask, TrainedEnsembleSpec, InvarianceRepeatResult,
  InvarianceVerdict, InvarianceDecision, OrderTest, TailDiagnostics, DecideOptions, CalibrationCase, CalibrationRow,
  CalibrationOptions,
} from './invariance/public';
export {
  zeros, eye, matFrom, matFromFlat, toNested, transpose, matmul, matmulTN, matmulNT, frobenius, centerColumns,
  normalizeColumns, lstsq, inverse, svd, nuclearNorm, linearAssignment, hsic, linearGram, rbfGram, doubleCenter,
  cka, ckaFromGrams, procrustesDistance, gReluProcrustes, gReluCka, gReluGram, compareRepresentations,
  similarityMatrix, SIMILARITY_METRICS, compareNetworks, compareLayerLists, pairwiseComparison,
  assertComparableArchitectures, assertLayer, randomOrthogonal,
} from './similarity/public';
export type {
  Mat, Assignment, HsicEstimator, CkaOptions, SimilarityMetric, SimilarityValue, LayerComparison, PairwiseSummary,
} from './similarity/public';
export {
  INTERTWINER_FAMILIES, phiEntry, phiFormula, sampleFamilyMember, generalisedPermutation, inferPhi,
  discoverIntertwiners, handDerivedIntertwiners, HAND_DERIVED_ACTIVATIONS, referenceActivation,
  resolveScalarActivation, forwardMlp, mlpSizes, validateMlp, cloneMlpF64, flattenParams, applyIntertwiner,
  functionDiscrepancy, alignMlp, isPositivelyHomogeneous, loadMlpCheckpoint, stitchNetworks, STITCH_KINDS,
} from './intertwiners/public';
export type {
  ScalarFn, IntertwinerFamily, PhiDescription, IntertwinerTable, FamilyMember, PhiSample, DiscoverOptions,
  FamilyEvidence, IntertwinerDiscovery, HandDerivedActivation, ResolvedActivation, MlpF64, DenseLayerF64,
  AlignOptions, Alignment, LoadedMlp, StitchKind, StitchOptions, StitchResult,
} from './intertwiners/public';
export {
  flatten, unflatten, forward64, lossAndGrad64, paramCount, cloneMlp, mlpGenerators, charge, chargeScale,
  symmetryResidual, trackNoether, randomMlp64, teacherData, noetherActivation, parseAugmentation,
} from './noether/public';
export type {
  Mlp64, Layer64, Loss64, ScalarActivation, Generator, FamilyReport, GeneratorOptions, NoetherOptimizer,
  NoetherData, NoetherRunConfig, QuantityReport, NoetherSummary, NoetherActivation, Augmentation,
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
export {
  predictNtkInvariance, groupGeometry, kernelForm, analyticNtkInvariance, empiricalNtkInvariance, ntkDriftHook,
  hostParamsNtk, relativeFrobenius, ntkDriftVsWidth, createNtkSgd, ntkSgdOptimizer,
} from './ntk-symmetry/public';
export type {
  KernelForm, GroupGeometry, NtkInvariancePrediction, AnalyticNtkInvarianceOptions, AnalyticNtkInvarianceResult,
  KernelInvarianceMeasurement, EmpiricalNtkInvarianceOptions, EmpiricalNtkInvarianceResult, NtkDriftHookOptions,
  NtkDriftStudyOptions, NtkDriftStudy, NtkDriftRow, NtkSgdConfig,
} from './ntk-symmetry/public';
export { registerSymmetryPlugins } from './register-all';

// @nnsym/core public entry: named re-exports only.
export { NnsymError, UsageError, isNnsymError } from './errors';
export { NNSYM_VERSION } from './version';
export { resultEnvelope, isResultEnvelope } from './results/envelope';
export type { Provenance, ResultEnvelope } from './results/envelope';
export { prepareDirectory, prepareOutputFile, atomicWriteFile, checkpointAction, firstDifference, assertSameSpec } from './io/run-files';
export type { CheckpointAction, SpecDifference } from './io/run-files';
export { LIMITS, CONFIRM_BYTES, memoryBudget, formatBytes, safeCount, checkMemory, checkWork, checkPort } from './guards/limits';
export { tf } from './tf';
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Rank, Variable } from './tf';

export { Registry } from './registry/registry';
export type { RegistryItem } from './registry/registry';
export { PluginHost, plugins } from './registry/kinds';
export type { PluginKinds, PluginIdMaps, ArchitectureMap, ActivationMap, DistributionMap, GroupActionMap, DatasetMap, OptimizerMap } from './registry/kinds';
export { createFromPlugin } from './registry/plugin';
export type { Plugin, PluginMeta, AnyPlugin, ConfigOf, InstanceOf } from './registry/plugin';
export { closestId, editDistance } from './registry/closest';

export { initBackend, currentBackend, describeBackend, parseBackendName, BACKEND_ORDER } from './backend/backend';
export type { BackendInfo, BackendName } from './backend/backend';
export { initBlas, currentBlas, blasKernelsActive, describeBlas, parseBlasMode, blasThreadBudget, blasThreadsFor, setBlasThreads, blasWorkerScope, blasWorkerEnv } from './backend/blas/blas';
export type { BlasInfo, BlasMode } from './backend/blas/blas';
export { gemm64, syrk64 } from './backend/blas/host';
export { wasmHeapView } from './backend/wasm-heap';
export { gramRows, mirrorUpper } from './backend/blas/gram';

export { Rng, normaliseSeed } from './rng/rng';
export type { FloatArray } from './rng/rng';
export { deriveState, hashString, fmix32 } from './rng/hash';
export type { SeedKey } from './rng/hash';

export { isEvent, parseEvent } from './events/events';
export type {
  NnsymEvent,
  NnsymEventType,
  RunStartEvent,
  EpochStartEvent,
  BatchEndEvent,
  EpochEndEvent,
  ProgressEvent,
  MetricEvent,
  CheckpointEvent,
  RunEndEvent,
  ErrorEvent,
} from './events/events';
export { throttleProgress } from './operators/throttle-progress';
export { toJsonl, stringifyEvent } from './operators/to-jsonl';
export { takeUntilRunEnd } from './operators/take-until-run-end';
export { summarizeEpochs } from './operators/summarize-epochs';
export type { EpochTable } from './operators/summarize-epochs';
export { registerCorePlugins } from './register-all';

// Areas owned by separate modules: exactly the names each area's public.ts exports.
export {
  registerNnPlugins, createActivation, createArchitecture, knownArchitectures, architecturePlugin, architecturesWith,
  denseArchitecture, denseLayout, denseNet64Sizes, validateDenseNet64, cloneDenseNet64, denseNet64ParamCount, flattenDenseNet64, scalarActivation64, inputQ64,
  denseApply, isDenseArchitecture, gaussianSampler, sampleHostParams, uploadParams, disposeParams, layoutSize,
  baseArchitectureFields, fixedActivationSchema, shallowSchema, mlpSchema, linearSchema, erf, normalCdf, normalPdf,
  BUILTIN_ACTIVATIONS, BUILTIN_ARCHITECTURES, reluActivation, leakyReluActivation, geluActivation, tanhActivation,
  fastTanh, sigmoidActivation, sigmoid64, erfActivation, expActivation, fastExp, identityActivation,
  powerActivation, powInt, gaussActivation, softplusActivation, siluActivation, sinActivation, cosActivation, gaussNetArchitecture, expNetArchitecture, erfNetArchitecture,
  reluNetArchitecture, tanhNetArchitecture, shallowArchitecture, mlpArchitecture, linearNetArchitecture,
} from './nn/public';
export type {
  Activation, ActivationContext, ActivationPlugin, ActivationTraits, Architecture, ArchitectureCapabilities,
  ArchitectureConfig, ArchitecturePlugin, ArchitecturePluginCapabilities, ArchitectureSymmetry, DenseNet64, DenseLayer64, DenseArchRef, ScalarActivation64, HostParamSet, NetSpec, ParamLayout, ParamSampler, ParamSet,
  Parameterization, SingleHiddenInfo,
} from './nn/public';
export {
  ensembleChunks, evaluateChunk, evaluateChunkTfjs, prepareEnsembleRun, ensemblePlan, inputTensor, inputPoints,
  inputCount, evaluateChunkHost, compileHostNet, hostForward, hostActivation, fastTanh64, fastErf64,
  chooseEnsemblePath, parseEnsemblePath, hostRuleApplies, ENSEMBLE_PATH_ENV, HOST_MAX_OUTPUTS, HOST_MAX_INPUT_TERMS,
  ensemble$, isEnsembleChunk, chunkCount, chunkRng, defaultChunkSize, DEFAULT_CHUNK_BYTES,
  OutputMoments, runShardWorkers, threadShard, closeShardWorkers, ShardWorkerPool,
  createEnsemble, ensembleSpec, ensembleSpecDifference, jsonDifference, resolveEstimator, encodeFloat64, decodeFloat64, encodeFloat32, decodeFloat32,
  ENSEMBLE_PARTIAL_FORMAT, toEnsemblePartial, checkEnsemblePartial, partialDifference, partialAccumulator,
  mergeEnsemblePartials, ensembleStatistic$, runEnsembleStatistic, chunkLoop, defer, nextMacrotask, momentsEstimator,
} from './ensemble/public';
export type {
  EnsembleOptions, EnsembleChunk, EnsemblePlan, EnsembleEvent, ShardSpec, EnsemblePath, EnsemblePathRequest,
  EvaluateChunkOptions, EnsembleRun, HostNet, HostActivation, HostActivationKernel, EnsemblePathChoice,
  OutputMomentsResult, OutputMomentsState, ShardWorkerTask, ShardWorkerContext,
  EnsembleSpec, EnsembleInit, Ensemble, InitSamplerPlugin, InitSamplerCompiler, Mergeable, Estimator, EstimatorPlugin,
  EstimatorRef, EstimatorContext, EnsemblePartial, EnsembleStatisticOptions, EnsembleStatisticEvent, EnsembleRunSummary,
  EstimatorShardArgs, ChunkLoopHooks, MomentsState, MomentsConfig, KeptOutputs,
} from './ensemble/public';
export {
  parseInputs, inputsFromJson, inputsToTensor, inputRows, checkInputDim, inputGrid, isGridSpec, INPUT_GRIDS,
} from './inputs/public';
export type {
  InputSet, ParseInputsOptions,
} from './inputs/public';
export {
  trainMlp, evaluateMlp, mlpShapes, defaultMlpInit, mlpForward, mlpLossAndGrads, paramsToTensors, tensorsToParams,
  paramsToVariables, resolveActivation, stepDecay, writeCheckpoint, readCheckpoint, hasCheckpoint, fingerprintDiff,
  xentLoss, xentLossPlugin, mseOnehotLoss, mseOnehotLossPlugin, mseOnecoldLoss, mseOnecoldLossPlugin, mseLoss,
  createSgd, sgdOptimizer, createAdam, adamOptimizer, createGradientFlow, gradientFlowOptimizer,
  registerTrainPlugins, trainArchitecture, trainableArchitectures, denseNet64FromHost, denseNet64ToHost, denseNet64Shapes,
  denseNet64FromTensors, denseNet64ToTensors, denseNet64MetaOf, readDenseNet64,
} from './train/public';
export { initSymmetryGrid, initSymmetryCells, shardRuns, mergeGridPieces, runKey } from './train/public';
export type { InitSymmetryRun, InitSymmetryRunResult, InitSymmetryCell, GridPiece } from './train/public';
export type {
  HostLayer, HostParams, LayerShape, Loss, LossPlugin, Optimizer, OptimizerPlugin, OptimizerStep, LrSchedule,
  TrainConfig, StepHook, StepHookContext, MlpSpec, TrainActivation, Checkpoint, CheckpointMeta, ModelFingerprint,
  SgdConfig, AdamConfig, GradientFlowConfig, TrainArchitecture, DenseNet64Meta, CheckpointNet64,
} from './train/public';
export {
  limitSplit, teacherStudentDataset, drawTeacher, teacherStudentSplit, normalizeDataset, normalizeSplit, parseNormalization,
  describeNormalization, NORMALIZATION_PRESETS,
} from './datasets/public';
export type {
  DataSplit, Dataset, DatasetLoadOptions, DatasetSource, DatasetPlugin, TeacherStudentConfig, InputNormalization,
} from './datasets/public';
export { shardIndices, mergeRunPieces, resumeRuns, setupDifference } from './results/run-grid';
export type { RunGridPiece, RunGridKeys } from './results/run-grid';

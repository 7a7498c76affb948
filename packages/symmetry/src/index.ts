// @nnsym/symmetry public entry: named re-exports only (exactly the names each area's public.ts exports).
export {
  designInvarianceTest, InvarianceAccumulator, testInvariance, invarianceVerdict,
  predictInvariance, requirePrediction, architectureSymmetry, referenceEnsembleChunks, referenceArchitectures, REFERENCE_ARCHS,
  runSymmetryStudy, runSymmetryStudyUntil, studyParameterSide, referenceSource, coreEnsembleSource, parameterSideFromInit,
  studyArchitecture, studyInitSpec, studySide, trainedEnsembleChunks, trainedParameterSide, trainedArchitectures, invarianceRepeat, invarianceRepeatSeed, summarizeInvarianceRepeats,
  binomialUpperTail, clopperPearson, decideInvariance, tailDiagnostics, HILL_EXPONENT, calibrationBattery, runCalibration,
  invarianceEstimator, designToJson, designFromJson, invarianceAccumulators, studyVerdict, symmetryStudyRun, symmetryStudySpec,
  exactSymmetryStudy, ExactCorrelatorEngine, gaussianMoment, UNIT_ROUNDOFF,
} from './invariance/public';
export type {
  InvarianceDesign, InvarianceDesignOptions, InvarianceComponent, OutputChunk, InvarianceStatistic, InvarianceResult,
  InvarianceTestOptions, InvarianceMethod, DeclaredInvariance, LayerLaw, ParameterSide, InvariancePrediction,
  ReferenceEnsembleSpec, StudyEnsemble, EnsembleSource, SymmetryStudyOptions,
  SymmetryStudyResult, SymmetryStudyRun, TrainingTask, TrainedEnsembleSpec, InvarianceRepeatResult,
  InvarianceVerdict, InvarianceDecision, OrderTest, TailDiagnostics, DecideOptions, CalibrationCase, CalibrationRow,
  CalibrationOptions,
  InvarianceDesignJson, InvarianceEstimatorConfig, InvarianceState, StudyVerdict, StudyRunInput,
  ExactSymmetryResult, ExactSymmetryOptions, ExactOrderTest, ExactComponent, ExactEnsembleLaw, Bounded,
} from './invariance/public';
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

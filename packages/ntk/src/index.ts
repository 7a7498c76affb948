// @nnsym/ntk public entry: named re-exports only (keep in step with analytic/public.ts and empirical/public.ts).
export {
  analyticKernel, analyticKernelAsync, analyticArchitectures, mlpKernels, planMlpKernels, dualFor, CLOSED_FORM_DUALS, BUILTIN_DUAL_PLUGINS, activationDualPlugin,
  quadratureDual, hermiteSeriesDual,
  reluDual, leakyReluDual, erfDual, identityDual, expDual, gaussDual, gaussianExpectation1, gaussianExpectation2,
  gaussHermite, gaussLegendre, scalarActivation, scalarActivationIds, ACTIVATION_ALIASES, toInputMatrix, kernelRows,
  NoAnalyticKernelError, FALLBACK_ADVICE,
} from './analytic/public';
export type {
  AnalyticKernelOptions, AnalyticKernelAsyncOptions, AnalyticArch, MlpKernelPlan, NetSpecLike, GaussianQuadratureOptions, QuadratureRule, InputMatrix,
  ActivationDual, ActivationDualPlugin, AnalyticKernels, KernelInputs, MlpKernelSpec, ScalarActivation,
} from './analytic/public';
export {
  empiricalNtk, jacobianBlock, paramCount, ensembleSize, mlpStructuredNtk, architectureNtk, denseView,
  sampleDenseMlp, disposeDenseMlp, tensorActivation, ntkConvergence, convergenceReport, kernelDeviation, KernelAccumulator,
  defaultNtkChunkSize, ntkChunk, empiricalNtkEstimator, empiricalNtkFromPartial,
} from './empirical/public';
export type {
  DenseMlp, ArchitectureLike, ArchitectureNtkOptions, DenseEnsembleSpec, ConvergenceReport, ConvergenceRow,
  KernelDeviation, EmpiricalNtkOptions, EmpiricalNtkResult, NtkArchitecture, NtkOutputMode, NtkParamSet,
  EmpiricalNtkEstimatorConfig, EmpiricalNtkState, EmpiricalNtkRunResult, KernelAccumulatorState,
} from './empirical/public';
export { registerNtkPlugins } from './register-all';

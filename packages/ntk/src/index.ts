// @nnsym/ntk public entry: named re-exports only (keep in step with analytic/public.ts and empirical/public.ts).
export {
  analyticKernel, ANALYTIC_FAMILIES, mlpKernels, dualFor, CLOSED_FORM_DUALS, quadratureDual, hermiteSeriesDual,
  reluDual, leakyReluDual, erfDual, identityDual, expDual, gaussDual, gaussianExpectation1, gaussianExpectation2,
  gaussHermite, gaussLegendre, BUILTIN_SCALAR_ACTIVATIONS, ACTIVATION_ALIASES, normalCdf, toInputMatrix, kernelRows,
  NoAnalyticKernelError, FALLBACK_ADVICE,
} from './analytic/public';
export type {
  AnalyticKernelOptions, NetSpecLike, GaussianQuadratureOptions, ScalarFn, QuadratureRule, InputMatrix,
  ActivationDual, AnalyticKernels, KernelInputs, MlpKernelSpec, Parameterization, ScalarActivation,
} from './analytic/public';
export {
  empiricalNtk, jacobianBlock, paramCount, ensembleSize, mlpStructuredNtk, architectureNtk, denseView,
  sampleDenseMlp, disposeDenseMlp, tensorActivation, ntkConvergence, kernelDeviation, KernelAccumulator,
  defaultNtkChunkSize, ntkChunk, empiricalNtkEstimator, empiricalNtkFromPartial,
} from './empirical/public';
export type {
  DenseMlp, ArchitectureLike, ArchitectureNtkOptions, DenseEnsembleSpec, ConvergenceReport, ConvergenceRow,
  KernelDeviation, EmpiricalNtkOptions, EmpiricalNtkResult, NtkArchitecture, NtkOutputMode, NtkParamSet,
  EmpiricalNtkEstimatorConfig, EmpiricalNtkState, EmpiricalNtkRunResult, KernelAccumulatorState,
} from './empirical/public';
export { registerNtkPlugins } from './register-all';

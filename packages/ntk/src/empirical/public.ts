// Named re-exports of the empirical area.
export { empiricalNtk } from './empirical-ntk';
export { jacobianBlock, paramCount, ensembleSize } from './jacobian';
export { mlpStructuredNtk } from './structured-mlp';
export type { DenseMlp } from './structured-mlp';
export { architectureNtk, denseView } from './architecture-ntk';
export type { ArchitectureLike, ArchitectureNtkOptions } from './architecture-ntk';
export { sampleDenseMlp, disposeDenseMlp, tensorActivation } from './dense-ensemble';
export type { DenseEnsembleSpec } from './dense-ensemble';
export { ntkConvergence, convergenceReport, kernelDeviation } from './convergence';
export type { ConvergenceReport, ConvergenceRow, KernelDeviation } from './convergence';
export { KernelAccumulator } from './kernel-accumulator';
export type { EmpiricalNtkOptions, EmpiricalNtkResult, NtkArchitecture, NtkOutputMode, NtkParamSet } from './types';
export { defaultNtkChunkSize, ntkChunk } from './architecture-ntk';
export { empiricalNtkEstimator, empiricalNtkFromPartial } from './estimator';
export type { EmpiricalNtkEstimatorConfig, EmpiricalNtkState, EmpiricalNtkRunResult } from './estimator';
export type { KernelAccumulatorState } from './kernel-accumulator';

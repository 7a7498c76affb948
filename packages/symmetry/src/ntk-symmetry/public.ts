// Named re-exports of the ntk-symmetry area (NTK invariance tests and kernel drift during training).
export { predictNtkInvariance, groupGeometry, kernelForm } from './predict';
export type { KernelForm, GroupGeometry, NtkInvariancePrediction } from './predict';
export { analyticNtkInvariance } from './analytic';
export type { AnalyticNtkInvarianceOptions, AnalyticNtkInvarianceResult, KernelInvarianceMeasurement } from './analytic';
export { empiricalNtkInvariance } from './empirical';
export type { EmpiricalNtkInvarianceOptions, EmpiricalNtkInvarianceResult } from './empirical';
export { ntkDriftHook, hostParamsNtk, relativeFrobenius } from './drift';
export type { NtkDriftHookOptions } from './drift';
export { ntkDriftVsWidth } from './drift-study';
export type { NtkDriftStudyOptions, NtkDriftStudy, NtkDriftRow } from './drift-study';
export { createNtkSgd, ntkSgdOptimizer } from './ntk-sgd';
export type { NtkSgdConfig } from './ntk-sgd';

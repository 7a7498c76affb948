// Named re-exports of the invariance area.
export { designInvarianceTest, multisetCount, nonDecreasingTuples } from './design';
export type { InvarianceDesign, InvarianceDesignOptions, InvarianceComponent } from './design';
export { InvarianceAccumulator } from './accumulator';
export type { OutputChunk, InvarianceStatistic } from './accumulator';
export { testInvariance, invarianceVerdict } from './test-invariance';
export type { InvarianceResult, InvarianceTestOptions, InvarianceMethod } from './test-invariance';
export { predictInvariance, requirePrediction } from './predict';
export type { DeclaredInvariance, LayerLaw, ParameterSide, InvariancePrediction } from './predict';
export { architectureSymmetry } from './architecture-symmetry';
export type { ArchitectureSymmetry } from './architecture-symmetry';
export { chiSquareSf, fSf, normalTwoSidedP, symmetricEigen, pseudoInverseForm } from './stats';
export { referenceEnsembleChunks, REFERENCE_ARCHS } from './reference-ensemble';
export type { ReferenceEnsembleSpec, ReferenceArch } from './reference-ensemble';
export { runSymmetryStudy, studyParameterSide, referenceSource } from './study';
export type { StudyEnsemble, EnsembleSource, SymmetryStudyOptions, SymmetryStudyResult } from './study';
export { coreEnsembleSource, parameterSideFromInit, studyArchitecture, studyInitSpec } from './core-source';
export { studySide } from './study';

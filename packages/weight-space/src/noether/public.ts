// Named re-exports of the noether area.
export { flatten, unflatten, forward64, lossAndGrad64, paramCount64, cloneMlp, activation64 } from './mlp64';
export type { Net64, Mlp64, Layer64, Loss64, Activation64 } from './mlp64';
export { mlpGenerators, charge, chargeScale, symmetryResidual } from './generators';
export type { Generator, FamilyReport, GeneratorOptions } from './generators';
export { trackNoether, randomMlp64, teacherData } from './track';
export type { NoetherObserver, NoetherOptimizer, NoetherData, NoetherRunConfig, QuantityReport, NoetherSummary } from './track';
export { noetherActivation } from './activation';
export type { NoetherActivation } from './activation';
export { parseAugmentation } from './augment';
export type { Augmentation } from './augment';
export { balanceObserver, unitNorms, outputJacobian64, empiricalNtk64, ntkLossRate, ntkEnergyObserver } from './observers';
export type { UnitNorms, BalanceReport, NtkEnergyPoint, NtkEnergyReport } from './observers';

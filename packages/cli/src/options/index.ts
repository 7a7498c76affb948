// The CLI's options, one module per flag family; every command takes its flags from here.
export { addHiddenAlias } from './alias';
export { addArchOptions, archFromFlags, archConfigFromFlags, ARCH_HELP } from './arch';
export type { ArchFlags } from './arch';
export { addInputsOption, INPUTS_HELP } from './inputs';
export {
  addEnsembleOptions,
  checkEnsembleForErrors,
  checkEnsembleCost,
  noteThreads,
  MAX_CHUNKS,
  ENSEMBLE_WORK_LIMIT,
  addEnsembleFlags,
  wantsEnsembleRun,
  readEnsemblePartial,
  isEnsemblePartialFile,
  finalizeEnsemblePartial,
  mergeEnsembleFiles,
  runEnsembleFlags,
} from './ensemble';
export type { EnsembleFlags, EnsembleRunFlags } from './ensemble';
export { addOrdersOption, checkOrders, MAX_ORDER, MAX_TUPLES } from './orders';
export {
  addOutputOptions,
  emitResult,
  writeResultFile,
  progressBar,
  readPartial,
  fmt,
  printCorrelatorResult,
  printSweep,
  formatMatrix,
  analyticMeta,
  MAX_TEXT_MATRIX,
} from './output';
export type { OutputFlags } from './output';
export { interruptible, reportInterrupted } from './interrupt';
export type { Interruptible } from './interrupt';
export { flagOfPath, flagOfAttribute, messageWithFlag } from './paths';
export { addRunGridOptions, runSweep, mergeSweepFiles, registerSweepKind, isSweepPiece, RUN_GRID_TYPE } from './run-grid';
export type { RunGridFlags, SweepKind, SweepPiece, GridRun } from './run-grid';
export { runExactSymmetry, checkExactFlags } from './symmetry-exact';
export type { ExactSymmetryFlags, SymmetryDesignFlags } from './symmetry-exact';
export { addNoetherCheckOptions, checkNoetherChecks, noetherChecks, sweepCheckColumns, printNoetherChecks } from './noether-checks';
export type { NoetherCheckFlags, NoetherCheckReports } from './noether-checks';

// Named re-exports of the inputs area: `--inputs` parsing and named grids.
export type { InputSet } from './types';
export { parseInputs, inputsFromJson, inputsToTensor, inputRows, checkInputDim } from './parse';
export type { ParseInputsOptions } from './parse';
export { inputGrid, isGridSpec, INPUT_GRIDS } from './grids';

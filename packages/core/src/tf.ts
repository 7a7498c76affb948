/**
 * The one TensorFlow.js instance every nnsym package uses. Import `tf` from `@nnsym/core` rather than from
 * `@tensorflow/tfjs` so that plugins, kernels and backends all share one engine.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Rank, Variable } from '@tensorflow/tfjs';

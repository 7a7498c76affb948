import { tf, type Tensor, type Tensor2D, type Tensor3D } from '@nnsym/core';
import type { NtkArchitecture, NtkParamSet } from './types';

/** Number of parameters per network of an ensemble param set (leading axis M excluded). */
export function paramCount(params: NtkParamSet): number {
  let n = 0;
  for (const t of Object.values(params)) n += t.size / t.shape[0];
  return n;
}

/** Ensemble size M of a param set (all tensors must agree). */
export function ensembleSize(params: NtkParamSet): number {
  const ms = new Set(Object.values(params).map((t) => t.shape[0]));
  if (ms.size !== 1) throw new RangeError(`param set: tensors disagree on the ensemble axis (${[...ms].join(', ')})`);
  return [...ms][0];
}

/**
 * Per-example Jacobians of an ensemble, by vector-Jacobian products: J[m, i·d_out + a, θ] = ∂f_a(x_i; θ_m)/∂θ,
 * parameters flattened in the order of `Object.keys(params)`.
 *
 * Method: the params of each network are tiled B times (one copy per input of the block), the architecture is
 * applied to the whole block, and only copy b's output on input b is kept (a diagonal mask), so one backward pass
 * per output a returns all B·M per-example gradients at once. This trades B× forward flops for B× fewer
 * backward calls — the right trade for small and moderate networks; for large dense networks use
 * {@link mlpStructuredNtk}, which never forms J. Works for any architecture whose `apply` is differentiable.
 *
 * Shapes: params [M, ...], xBlock [B, d_in] -> J [M, B·d_out, nParams] (float32, caller disposes).
 *
 * @example
 * const J = jacobianBlock(arch, params, tf.tensor2d([[1, 0], [0, 1]])); // [M, 2·d_out, nParams]
 */
export function jacobianBlock(arch: NtkArchitecture, params: NtkParamSet, xBlock: Tensor2D): Tensor3D {
  const names = Object.keys(params);
  const M = ensembleSize(params);
  const B = xBlock.shape[0];
  return tf.tidy(() => {
    const tiled = names.map((n) => {
      const p = params[n];
      const rest = p.shape.slice(1);
      return tf.tile(p.expandDims(1), [1, B, ...rest.map(() => 1)]).reshape([M * B, ...rest]);
    });
    const eye = tf.eye(B).reshape([1, B, B, 1]);
    const diagOut = (...ts: Tensor[]) => {
      const p: NtkParamSet = {};
      names.forEach((n, i) => (p[n] = ts[i]));
      const y = arch.apply(p, xBlock); // [M·B, B, d_out]
      const dOut = y.shape[2];
      return tf.mul(y.reshape([M, B, B, dOut]), eye).sum(2) as Tensor3D; // [M, B, d_out]: copy b on input b
    };
    const dOut = tf.tidy(() => diagOut(...tiled).shape[2]);
    const perOutput: Tensor[] = [];
    for (let a = 0; a < dOut; a++) {
      const mask = new Float32Array(dOut);
      mask[a] = 1;
      const dy = tf.tile(tf.tensor3d(mask, [1, 1, dOut]), [M, B, 1]);
      const grads = tf.grads((...ts: Tensor[]) => diagOut(...ts))(tiled, dy);
      perOutput.push(tf.concat(grads.map((g) => g.reshape([M, B, -1])), 2)); // [M, B, nParams]
    }
    return tf.stack(perOutput, 2).reshape([M, B * dOut, -1]) as Tensor3D;
  });
}

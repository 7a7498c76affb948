import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';

/**
 * tanh in float32 through the sigmoid identity tanh(z) = 2 σ(2z) − 1: the wasm backend's Tanh kernel is ~20x
 * slower than its Sigmoid. Absolute error vs Math.tanh ≲ 1e-7 (float32 rounding of σ near 1/2 dominates).
 */
export function fastTanh(z: import('../../tf').Tensor): import('../../tf').Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.sigmoid(tf.mul(z, 2)), 2), 1));
}

/**
 * tanh. Odd; its one-hidden-layer kernel has no closed form (quadrature in @nnsym/ntk).
 *
 * @example createActivation('tanh').scalar(1) // 0.7615941559557649
 */
export const tanhActivation = defineActivation({ id: 'tanh', description: 'hyperbolic tangent (float32 via 2 sigmoid(2z) - 1)' }, noConfig, () => ({
  apply: fastTanh,
  scalar: Math.tanh,
  derivative: (z) => {
    const t = Math.tanh(z);
    return 1 - t * t;
  },
  traits: { odd: true },
}));

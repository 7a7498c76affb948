import { tf } from '../../tf';
import type { Tensor } from '../../tf';

/**
 * e^z in float32 as σ(z)/σ(−z): ~1.6x faster than the wasm Exp kernel (63 vs 100 ms for 4M values), relative error
 * ≲ 3e-7 on [−80, 80]; underflows to 0 below ≈ −88 and overflows to Infinity above ≈ 88, as exp does.
 */
export function fastExp(z: Tensor): Tensor {
  return tf.tidy(() => tf.div(tf.sigmoid(z), tf.sigmoid(tf.neg(z))));
}
import { defineActivation, noConfig } from './define';

/**
 * Exponential φ(z) = e^z: the Exp-net of NN-QFT (arXiv 2008.08601 §2.3), whose GP kernel is
 * σ_b² + σ_w² exp(2σ_b² + σ_w² |x + x'|² / (2 d_in)).
 *
 * @example createActivation('exp').scalar(1) // Math.E
 */
export const expActivation = defineActivation({ id: 'exp', description: 'exponential exp(z) (Exp-net)', reference: 'Halverson, Maiti, Stoner arXiv 2008.08601' }, noConfig, () => ({
  apply: fastExp,
  scalar: Math.exp,
  derivative: Math.exp,
  traits: {},
}));

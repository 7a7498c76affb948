import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';

/**
 * Exponential φ(z) = e^z: the Exp-net of NN-QFT (arXiv 2008.08601 §2.3), whose GP kernel is
 * σ_b² + σ_w² exp(2σ_b² + σ_w² |x + x'|² / (2 d_in)).
 *
 * @example createActivation('exp').scalar(1) // Math.E
 */
export const expActivation = defineActivation({ id: 'exp', description: 'exponential exp(z) (Exp-net)', reference: 'Halverson, Maiti, Stoner arXiv 2008.08601' }, noConfig, () => ({
  apply: (z) => tf.exp(z),
  scalar: Math.exp,
  derivative: Math.exp,
  traits: {},
}));

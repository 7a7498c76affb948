import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';

/**
 * ReLU φ(z) = max(0, z). Positively homogeneous of degree 1 (the rescaling symmetry of relu nets). Its
 * one-hidden-layer kernel is the arc-cosine kernel (Cho & Saul 2009).
 *
 * @example createActivation('relu').scalar(-1) // 0
 */
export const reluActivation = defineActivation({ id: 'relu', description: 'ReLU max(0, z)', reference: 'Cho & Saul 2009 (arc-cosine kernel)' }, noConfig, () => ({
  apply: (z) => tf.relu(z),
  scalar: (z) => (z > 0 ? z : 0),
  derivative: (z) => (z > 0 ? 1 : 0),
  breakpoints: [0],
  traits: { positivelyHomogeneous: true, degree: 1 },
}));

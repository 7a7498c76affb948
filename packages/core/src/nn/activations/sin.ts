import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';

/**
 * sin(z): odd and bounded; its one-hidden-layer kernel is closed-form in the Gaussian integral
 * (E[sin u sin v] = e^{−(q1+q2)/2} sinh(c)).
 *
 * @example createActivation('sin').scalar(Math.PI / 2) // 1
 */
export const sinActivation = defineActivation({ id: 'sin', description: 'sine sin(z)' }, noConfig, () => ({
  apply: (z) => tf.sin(z),
  scalar: Math.sin,
  derivative: Math.cos,
  traits: { odd: true },
}));

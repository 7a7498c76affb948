import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';

/**
 * cos(z): even and bounded (E[cos u cos v] = e^{−(q1+q2)/2} cosh(c) for a centred Gaussian pair).
 *
 * @example createActivation('cos').scalar(0) // 1
 */
export const cosActivation = defineActivation({ id: 'cos', description: 'cosine cos(z)' }, noConfig, () => ({
  apply: (z) => tf.cos(z),
  scalar: Math.cos,
  derivative: (z) => -Math.sin(z),
  traits: { even: true },
}));

import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';

/** Logistic sigmoid 1 / (1 + e^{−z}) in float64, stable for large |z|. */
export function sigmoid64(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Logistic sigmoid φ(z) = 1 / (1 + e^{−z}). Neither odd nor even (φ(z) − 1/2 is odd).
 *
 * @example createActivation('sigmoid').scalar(0) // 0.5
 */
export const sigmoidActivation = defineActivation({ id: 'sigmoid', description: 'logistic sigmoid 1/(1+exp(-z))' }, noConfig, () => ({
  apply: (z) => tf.sigmoid(z),
  scalar: sigmoid64,
  derivative: (z) => {
    const s = sigmoid64(z);
    return s * (1 - s);
  },
  traits: {},
}));

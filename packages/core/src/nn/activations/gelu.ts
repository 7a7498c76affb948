import { tf } from '../../tf';
import { normalCdf, normalPdf } from '../special';
import { defineActivation, noConfig } from './define';

/**
 * GELU φ(z) = z Φ(z) with Φ the standard normal CDF (Hendrycks & Gimpel 2016, the exact form, not the tanh
 * approximation). Float32 form: 0.5 z (1 + erf(z/√2)).
 *
 * @example createActivation('gelu').scalar(1) // 0.8413447460685429
 */
export const geluActivation = defineActivation({ id: 'gelu', description: 'GELU z Phi(z) (exact, erf form)', reference: 'Hendrycks & Gimpel arXiv 1606.08415' }, noConfig, () => ({
  apply: (z) => tf.tidy(() => tf.mul(tf.mul(z, 0.5), tf.add(tf.erf(tf.mul(z, Math.SQRT1_2)), 1))),
  scalar: (z) => z * normalCdf(z),
  derivative: (z) => normalCdf(z) + z * normalPdf(z),
  traits: {},
}));

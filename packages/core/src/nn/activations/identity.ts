import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';

/**
 * Identity φ(z) = z: deep linear networks (`linear-net`). Odd and positively homogeneous of degree 1.
 *
 * @example createActivation('identity').scalar(0.3) // 0.3
 */
export const identityActivation = defineActivation({ id: 'identity', description: 'identity z (deep linear networks)' }, noConfig, () => ({
  apply: (z) => tf.clone(z),
  scalar: (z) => z,
  derivative: () => 1,
  traits: { positivelyHomogeneous: true, degree: 1, odd: true },
}));

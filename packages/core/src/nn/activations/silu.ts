import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';
import { sigmoid64 } from './sigmoid';

/**
 * SiLU / swish φ(z) = z σ(z) (Elfwing et al. 2018; Ramachandran et al. 2017); φ'(z) = σ(z) (1 + z (1 − σ(z))).
 *
 * @example createActivation('silu').scalar(0) // 0
 */
export const siluActivation = defineActivation({ id: 'silu', description: 'SiLU / swish z * sigmoid(z)', reference: 'Elfwing, Uchibe, Doya, Neural Networks 107 (2018)' }, noConfig, () => ({
  apply: (z) => tf.tidy(() => tf.mul(z, tf.sigmoid(z))),
  scalar: (z) => z * sigmoid64(z),
  derivative: (z) => {
    const s = sigmoid64(z);
    return s * (1 + z * (1 - s));
  },
  traits: {},
}));

import { tf } from '../../tf';
import { defineActivation, noConfig } from './define';
import { sigmoid64 } from './sigmoid';

/**
 * softplus φ(z) = log(1 + e^z), a smooth relu; φ' is the logistic sigmoid. Float64 form exact to rounding
 * (log1p, and z itself above 30 where e^{-z} is below the float64 epsilon).
 *
 * @example createActivation('softplus').scalar(0) // Math.LN2
 */
export const softplusActivation = defineActivation({ id: 'softplus', description: 'softplus log(1 + exp(z))' }, noConfig, () => ({
  apply: (z) => tf.softplus(z),
  scalar: (z) => (z > 30 ? z : Math.log1p(Math.exp(z))),
  derivative: sigmoid64,
  traits: {},
}));

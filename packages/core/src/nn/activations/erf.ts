import { tf } from '../../tf';
import { erf } from '../special';
import { defineActivation, noConfig } from './define';

/**
 * Error function φ(z) = erf(z): the Erf-net, whose GP kernel is Williams' (1997) arcsine kernel
 * (2/π) arcsin(2 K(x,x') / √((1 + 2K(x,x))(1 + 2K(x',x')))). Odd.
 *
 * @example createActivation('erf').scalar(1) // 0.8427007929497149
 */
export const erfActivation = defineActivation({ id: 'erf', description: 'error function erf(z) (Erf-net)', reference: 'Williams 1997' }, noConfig, () => ({
  apply: (z) => tf.erf(z),
  scalar: erf,
  derivative: (z) => 1.1283791670955126 * Math.exp(-z * z),
  traits: { odd: true },
}));

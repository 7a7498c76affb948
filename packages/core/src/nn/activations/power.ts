import { z } from 'zod';
import { tf } from '../../tf';
import type { Tensor } from '../../tf';
import { defineActivation } from './define';

/** Config of `power`: integer degree d >= 1 (default 2). */
export const powerConfig = z.object({ degree: z.number().int().min(1).max(16).default(2) }).strict();

/** z^d by repeated squaring (elementwise multiplies only; wasm Pow is slower and NaN-prone for z < 0). */
export function powInt(x: Tensor, d: number): Tensor {
  return tf.tidy(() => {
    let result: Tensor | undefined;
    let base: Tensor = x;
    let k = d;
    while (k > 0) {
      if (k & 1) result = result ? tf.mul(result, base) : tf.clone(base);
      k >>= 1;
      if (k > 0) base = tf.mul(base, base);
    }
    return result as Tensor;
  });
}

/**
 * Power φ(z) = z^d for an integer degree d >= 1: positively homogeneous of degree d, odd for odd d, even for even
 * d. d = 1 is the identity.
 *
 * @example createActivation('power', { degree: 3 }).scalar(-2) // -8
 */
export const powerActivation = defineActivation({ id: 'power', description: 'power z^d, integer degree d (default 2)' }, powerConfig, ({ degree }) => ({
  apply: (x) => powInt(x, degree),
  scalar: (x) => Math.pow(x, degree),
  derivative: (x) => degree * Math.pow(x, degree - 1),
  traits: { positivelyHomogeneous: true, degree, odd: degree % 2 === 1, even: degree % 2 === 0 },
}));

import { tf } from '../../tf';
import { UsageError } from '../../errors';
import { defineActivation, noConfig } from './define';
import { fastExp } from './exp';

/**
 * The Gauss-net's normalised exponential (Halverson-Maiti-Stoner arXiv 2008.08601 eq. 2.14):
 * φ(z; x) = exp(z) / exp(q(x)), q(x) = σ_b² + σ_w² |x|² / d_in, the variance of z = W0 x + b0. With it the GP
 * kernel is translation invariant: K(x, x') = σ_b² + σ_w² exp(−σ_w² |x − x'|² / (2 d_in)).
 *
 * Input-dependent: `apply(z, { preVar })` needs q(x_p) for each input p (shape [P], on the last axis of z);
 * `scalar(z, q)` = exp(z − q). Architectures supply the context; used bare (no context) `apply` throws.
 *
 * @example createActivation('gauss').scalar(1, 1) // 1
 */
export const gaussActivation = defineActivation(
  { id: 'gauss', description: 'Gauss-net normalised exponential exp(z - q(x)), q = sb^2 + sw^2 |x|^2/d_in', reference: 'Halverson, Maiti, Stoner arXiv 2008.08601 eq. 2.14' },
  noConfig,
  () => ({
    apply: (z, ctx) => {
      if (!ctx) throw new UsageError('activation "gauss" depends on the input: use it in an architecture (gauss-net, shallow) that supplies q(x)', 'activation');
      return tf.tidy(() => fastExp(tf.sub(z, ctx.preVar)));
    },
    scalar: (z, q = 0) => Math.exp(z - q),
    derivative: (z, q = 0) => Math.exp(z - q),
    traits: {},
    needsContext: true,
  }),
);

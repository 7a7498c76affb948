import { z } from 'zod';
import { tf } from '../../tf';
import { defineActivation } from './define';

/** Config of `leaky-relu`: slope `alpha` for z < 0 (default 0.01). */
export const leakyReluConfig = z.object({ alpha: z.number().finite().default(0.01) }).strict();

/**
 * Leaky ReLU φ(z) = z for z > 0, α z otherwise. Positively homogeneous of degree 1; α = −1 gives |z| (even),
 * α = 1 the identity (odd).
 *
 * @example createActivation('leaky-relu', { alpha: 0.2 }).scalar(-1) // -0.2
 */
export const leakyReluActivation = defineActivation(
  { id: 'leaky-relu', description: 'leaky ReLU: z for z > 0, alpha z otherwise (alpha default 0.01)' },
  leakyReluConfig,
  ({ alpha }) => ({
    apply: (x) => tf.leakyRelu(x, alpha),
    scalar: (x) => (x > 0 ? x : alpha * x),
    derivative: (x) => (x > 0 ? 1 : alpha),
    breakpoints: [0],
    traits: { positivelyHomogeneous: true, degree: 1, odd: alpha === 1 ? true : undefined, even: alpha === -1 ? true : undefined },
  }),
);

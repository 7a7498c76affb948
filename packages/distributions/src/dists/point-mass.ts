import { z } from 'zod';
import { UsageError } from '@nnsym/core';
import { defineDistribution } from './define';

/** Config of `point-mass`: `value` (or `mean`), default 0; `std` is accepted and ignored (InitSpecs pass every family the layer std). */
export const pointMassConfig = z
  .object({
    value: z.number().finite().optional(),
    mean: z.number().finite().optional(),
    std: z.number().finite().nonnegative().optional(),
  })
  .strict();

/**
 * Point mass δ(θ − value): a frozen parameter (e.g. `b*=point-mass` removes the biases' randomness, or fixes a
 * readout row). At value 0 it is invariant under every linear map; otherwise only under permutations.
 * `std` is ignored (an InitSpec passes the layer's default std to every family; a point mass has none).
 *
 * @example createDistribution('point-mass', { value: 0.5 }).variance // 0
 */
export const pointMassDistribution = defineDistribution(
  { id: 'point-mass', description: 'point mass at value (a frozen parameter)' },
  pointMassConfig,
  { location: ['value', 'mean'], scale: ['std'] },
  (c) => {
    if (c.value !== undefined && c.mean !== undefined)
      throw new UsageError('distribution "point-mass": give value or mean, not both', 'config');
    const value = c.value ?? c.mean ?? 0;
    return {
      config: { value },
      mean: value,
      variance: 0,
      fourthMoment: 0,
      symmetric: true,
      fill: (out) => {
        out.fill(value);
        return out;
      },
    };
  },
);

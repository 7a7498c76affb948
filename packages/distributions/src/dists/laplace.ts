import { z } from 'zod';
import { UsageError } from '@nnsym/core';
import { defineDistribution } from './define';

/** Config of `laplace`: `loc`/`scale` (default 0, 1) or `mean`/`std` (scale = std/√2). */
export const laplaceConfig = z
  .object({
    loc: z.number().finite().optional(),
    scale: z.number().finite().nonnegative().optional(),
    mean: z.number().finite().optional(),
    std: z.number().finite().nonnegative().optional(),
  })
  .strict();

/**
 * Laplace with density exp(−|θ − loc|/scale)/(2 scale), sampled by inversion. Var = 2 scale², fourth central
 * moment 24 scale⁴ (= 6 Var²). Zero mean: signed-permutation B(n) invariant (not O(n)).
 *
 * @example createDistribution('laplace', { mean: 0, std: 1 }).config.scale // 0.7071
 */
export const laplaceDistribution = defineDistribution(
  { id: 'laplace', description: 'Laplace(loc, scale) (or mean/std)' },
  laplaceConfig,
  { location: ['loc', 'mean'], scale: ['scale', 'std'] },
  (c) => {
    if ((c.loc !== undefined && c.mean !== undefined) || (c.scale !== undefined && c.std !== undefined))
      throw new UsageError('distribution "laplace": give loc/scale or mean/std, not both', 'config');
    const loc = c.loc ?? c.mean ?? 0;
    const scale = c.scale ?? (c.std !== undefined ? c.std / Math.SQRT2 : 1);
    return {
      config: { loc, scale },
      mean: loc,
      variance: 2 * scale * scale,
      fourthMoment: 24 * scale ** 4,
      symmetric: true,
      fill: (out, rng) => {
        for (let i = 0; i < out.length; i++) {
          const u = rng.uniformOpen();
          out[i] = u < 0.5 ? loc + scale * Math.log(2 * u) : loc - scale * Math.log(2 * (1 - u));
        }
        return out;
      },
      logDensity: (x) => (scale > 0 ? -Math.abs(x - loc) / scale - Math.log(2 * scale) : x === loc ? Infinity : -Infinity),
    };
  },
);

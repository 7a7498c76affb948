import { z } from 'zod';
import { defineDistribution } from './define';

/** Config of `normal`: mean (default 0), std >= 0 (default 1). */
export const normalConfig = z.object({ mean: z.number().finite().default(0), std: z.number().finite().nonnegative().default(1) }).strict();

/**
 * Normal N(mean, std²), sampled with core's ziggurat. Zero mean: O(n)-invariant (the NN-QFT default init; with
 * W0 ~ N(0, σ²) the network density is invariant under x -> R x, arXiv 2106.00694).
 * Moments: E = mean, Var = std², E[(θ−mean)^4] = 3 std⁴.
 *
 * @example createDistribution('normal', { std: 0.5 }).variance // 0.25
 */
export const normalDistribution = defineDistribution(
  { id: 'normal', description: 'normal N(mean, std^2)' },
  normalConfig,
  { location: ['mean'], scale: ['std'] },
  ({ mean, std }) => ({
    config: { mean, std },
    mean,
    variance: std * std,
    fourthMoment: 3 * std ** 4,
    symmetric: true,
    gaussian: true,
    fill: (out, rng) => rng.fillNormal(out, mean, std),
    logDensity: (x) => (std > 0 ? -0.5 * ((x - mean) / std) ** 2 - Math.log(std) - 0.9189385332046727 : x === mean ? Infinity : -Infinity),
  }),
);

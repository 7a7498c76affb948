import { z } from 'zod';
import { UsageError } from '@nnsym/core';
import { defineDistribution } from './define';

/** Config of `uniform`: `low`/`high` (default −1, 1) or `mean`/`std` (half-width √3 std). */
export const uniformConfig = z
  .object({
    low: z.number().finite().optional(),
    high: z.number().finite().optional(),
    mean: z.number().finite().optional(),
    std: z.number().finite().nonnegative().optional(),
  })
  .strict();

/**
 * Uniform U[low, high). Given `mean`/`std` instead: half-width a = √3 std. Symmetric about its mean: zero-mean
 * uniform iid entries are invariant under signed permutations B(n), not O(n).
 * Moments: Var = (high − low)²/12, E[(θ−mean)^4] = a⁴/5.
 *
 * @example createDistribution('uniform', { low: 0, high: 2 }).mean // 1
 */
export const uniformDistribution = defineDistribution(
  { id: 'uniform', description: 'uniform U[low, high) (or mean/std)' },
  uniformConfig,
  { location: ['low', 'high', 'mean'], scale: ['low', 'high', 'std'] },
  (c) => {
    const usesMoments = c.mean !== undefined || c.std !== undefined;
    if (usesMoments && (c.low !== undefined || c.high !== undefined))
      throw new UsageError('distribution "uniform": give low/high or mean/std, not both', 'config');
    const half = usesMoments ? Math.sqrt(3) * (c.std ?? 1) : ((c.high ?? 1) - (c.low ?? -1)) / 2;
    const mid = usesMoments ? (c.mean ?? 0) : ((c.high ?? 1) + (c.low ?? -1)) / 2;
    if (!(half >= 0)) throw new UsageError(`distribution "uniform": config.high must be >= config.low`, 'config.high');
    const low = mid - half;
    const high = mid + half;
    return {
      config: { low, high },
      mean: mid,
      variance: (half * half) / 3,
      fourthMoment: half ** 4 / 5,
      symmetric: true,
      fill: (out, rng) => rng.fillUniform(out, low, high),
      logDensity: (x) => (x >= low && x < high ? -Math.log(high - low) : -Infinity),
    };
  },
);

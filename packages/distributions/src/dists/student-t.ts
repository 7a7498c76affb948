import { z } from 'zod';
import { UsageError } from '@nnsym/core';
import { defineDistribution } from './define';

/** Config of `student-t`: degrees of freedom `df` > 0 (default 5) and `loc`/`scale` or `mean`/`std` (std needs df > 2). */
export const studentTConfig = z
  .object({
    df: z.number().finite().positive().default(5),
    loc: z.number().finite().optional(),
    scale: z.number().finite().nonnegative().optional(),
    mean: z.number().finite().optional(),
    std: z.number().finite().nonnegative().optional(),
  })
  .strict();

function lgamma(x: number): number {
  // Lanczos (g = 7, n = 9), |rel err| < 1e-13 for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Student-t with `df` degrees of freedom, location `loc` and scale `scale`: θ = loc + scale · Z / √(V/df),
 * Z ~ N(0,1), V ~ χ²_df = 2 Gamma(df/2). Heavy tails (infinite-variance for df <= 2): a non-Gaussian parameter
 * law whose network ensembles still approach a GP for df > 2. Var = scale² df/(df−2), fourth central moment
 * 3 df² scale⁴ / ((df−2)(df−4)) for df > 4 (Infinity otherwise). Zero mean: B(n) invariant.
 *
 * @example createDistribution('student-t', { df: 5, mean: 0, std: 1 })
 */
export const studentTDistribution = defineDistribution(
  { id: 'student-t', description: 'Student-t(df, loc, scale) (or mean/std for df > 2)' },
  studentTConfig,
  { location: ['loc', 'mean'], scale: ['scale', 'std'], shape: ['df'] },
  (c) => {
    const { df } = c;
    if ((c.loc !== undefined && c.mean !== undefined) || (c.scale !== undefined && c.std !== undefined))
      throw new UsageError('distribution "student-t": give loc/scale or mean/std, not both', 'config');
    if (c.std !== undefined && !(df > 2))
      throw new UsageError(`distribution "student-t": std is undefined for df <= 2 (got df=${df}); give scale instead`, 'config.std');
    const loc = c.loc ?? c.mean ?? 0;
    const scale = c.scale ?? (c.std !== undefined ? c.std * Math.sqrt((df - 2) / df) : 1);
    const variance = df > 2 ? (scale * scale * df) / (df - 2) : Infinity;
    const logNorm = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI);
    return {
      config: { df, loc, scale },
      mean: df > 1 ? loc : NaN,
      variance,
      fourthMoment: df > 4 ? (3 * df * df * scale ** 4) / ((df - 2) * (df - 4)) : Infinity,
      symmetric: true,
      fill: (out, rng) => {
        const k = df / 2;
        for (let i = 0; i < out.length; i++) out[i] = loc + (scale * rng.normal()) / Math.sqrt((2 * rng.gamma(k)) / df);
        return out;
      },
      logDensity: (x) => {
        const t = (x - loc) / scale;
        return logNorm - Math.log(scale) - ((df + 1) / 2) * Math.log1p((t * t) / df);
      },
    };
  },
);

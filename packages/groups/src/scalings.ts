import { z } from 'zod';
import { eyeSquare } from '@nnsym/numerics';
import type { GroupAction, GroupActionPlugin } from './types';

/** Config of {@link scalingsPlugin}. */
export interface ScalingsConfig {
  n: number;
  /** Sampling scale: s = exp(logStd · N(0, 1)). */
  logStd: number;
}

/**
 * Uniform scalings of R^n, x -> s x with s > 0 (the group R_{>0} under multiplication), ρ(s) = s I. Non-compact;
 * `sample` draws log s ~ N(0, logStd²). Lie algebra: the generator I, exp(c) = e^c.
 *
 * When to use: scale invariance (a homogeneous activation such as relu with zero biases is scale covariant, and its
 * correlators scale as sⁿ: not invariant, which the test should detect).
 *
 * @example
 * createScalings(2).act(2, Float64Array.of(1, 3)); // [2, 6]
 */
export function createScalings(n: number, logStd = 0.5): GroupAction<number> {
  return {
    id: 'scalings',
    name: `R+(${n})`,
    dimension: n,
    actsOn: ['inputs', 'outputs'],
    isCompact: false,
    isFinite: false,
    lieDimension: 1,
    linear: true,
    orthogonal: false,
    samplingMeasure: `log s ~ N(0, ${logStd}²)`,
    identity: () => 1,
    compose: (a, b) => a * b,
    inverse: (a) => 1 / a,
    sample: (rng) => Math.exp(logStd * rng.normal()),
    act: (s, x) => x.map((v) => s * v),
    matrix: (s) => {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) m[i * n + i] = s;
      return m;
    },
    generators: () => {
      return [{ matrix: eyeSquare(n), apply: (x: Float64Array) => Float64Array.from(x) }];
    },
    exp: (c) => Math.exp(c[0]),
    isMember: (s) => typeof s === 'number' && Number.isFinite(s) && s > 0,
    describe: (s) => ({ scale: s }),
  };
}

/** Plugin `scalings`: x -> s x, s > 0. Config `{ n, logStd = 0.5 }`. */
export const scalingsPlugin: GroupActionPlugin<ScalingsConfig> = {
  meta: {
    id: 'scalings',
    kind: 'group-action',
    description: 'R+: uniform scalings x -> s x (log s ~ N(0, logStd^2) when sampled)',
    version: '0.1.0',
    aliases: ['dilations'],
  },
  configSchema: z.object({ n: z.number().int().positive(), logStd: z.number().positive().default(0.5) }),
  create: ({ n, logStd }) => createScalings(n, logStd),
};

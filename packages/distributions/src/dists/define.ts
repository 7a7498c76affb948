import { createFromPlugin, type Rng } from '@nnsym/core';
import type { z } from 'zod';
import type { Distribution, DistributionInvariance, DistributionPlugin } from '../types';

/** Invariance of an iid law from its mean, symmetry and whether it is Gaussian. */
export function iidInvariance(mean: number, symmetric: boolean, gaussian: boolean, variance: number): DistributionInvariance {
  const zeroMean = mean === 0;
  if (zeroMean && (gaussian || variance === 0)) {
    return {
      group: 'O(n)',
      orthogonal: true,
      signFlip: true,
      permutation: true,
      note: gaussian ? 'zero-mean isotropic normal: O(n)-invariant' : 'point mass at 0: invariant under every linear map',
    };
  }
  if (zeroMean && symmetric)
    return {
      group: 'B(n)',
      orthogonal: false,
      signFlip: true,
      permutation: true,
      note: 'zero-mean symmetric iid law: signed permutations B(n) (not O(n): only the Gaussian is rotation invariant)',
    };
  return {
    group: 'S(n)',
    orthogonal: false,
    signFlip: false,
    permutation: true,
    note: `iid law with mean ${mean}: permutations S(n) only`,
  };
}

/** Fields every built-in distribution object shares, computed from its moments. */
export interface DistributionCore {
  config: Record<string, number>;
  mean: number;
  variance: number;
  fourthMoment: number;
  symmetric: boolean;
  gaussian?: boolean;
  fill<T extends Float32Array | Float64Array>(out: T, rng: Rng): T;
  logDensity?(x: number): number;
}

/** Round for `describe()`. */
export function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}

/**
 * Build a distribution plugin from a schema and a factory of the family's core (internal helper of the built-ins).
 * `withMoments(mean, std)` re-creates the family with config `{ ...shape, mean, std }`.
 */
export function defineDistribution<C extends Record<string, unknown>>(
  meta: { id: string; description: string; reference?: string },
  configSchema: z.ZodType<C>,
  keys: { location: string[]; scale: string[]; shape?: string[] },
  core: (config: C) => DistributionCore,
): DistributionPlugin<C> {
  const plugin: DistributionPlugin<C> = {
    meta: { id: meta.id, kind: 'distribution', description: meta.description, version: '1.0.0', reference: meta.reference },
    configSchema,
    locationKeys: keys.location,
    scaleKeys: keys.scale,
    create: (config: C): Distribution => {
      const c = core(config);
      const shape: Record<string, number> = {};
      for (const k of keys.shape ?? []) shape[k] = c.config[k];
      return {
        id: meta.id,
        config: c.config,
        mean: c.mean,
        variance: c.variance,
        fourthMoment: c.fourthMoment,
        symmetric: c.symmetric,
        invariance: iidInvariance(c.mean, c.symmetric, Boolean(c.gaussian), c.variance),
        fill: c.fill,
        ...(c.logDensity ? { logDensity: c.logDensity } : {}),
        withMoments: (mean: number, std: number) => createFromPlugin(plugin, { ...shape, mean, std }),
        describe: () =>
          `${meta.id}(${Object.entries(c.config)
            .map(([k, v]) => `${k}=${fmt(v)}`)
            .join(', ')})`,
      };
    },
  };
  return plugin;
}

import type { Plugin, Rng } from '@nnsym/core';

/**
 * Invariance of the iid product law of n parameters drawn from a distribution (the "parameter side" of
 * symmetry-via-duality, arXiv 2106.00694): a transformation g of parameter space with P(gθ) = P(θ) and a
 * compensating action on inputs makes the network density invariant.
 * - `orthogonal`: O(n) (rotations of any n iid entries) — only the zero-mean normal (and the point mass at 0).
 * - `signFlip`: θ_i -> −θ_i for each i (law symmetric about 0).
 * - `permutation`: S_n (always, for iid entries).
 * `group` is the largest of these: `O(n)`, `B(n)` (signed permutations), or `S(n)`.
 */
export interface DistributionInvariance {
  group: 'O(n)' | 'B(n)' | 'S(n)';
  orthogonal: boolean;
  signFlip: boolean;
  permutation: boolean;
  /** One line, e.g. "zero-mean isotropic normal: O(n)-invariant". */
  note: string;
}

/**
 * A univariate parameter distribution (parameters are drawn iid from it). Moments are exact (float64);
 * `variance` is Infinity where it does not exist (student-t with df <= 2).
 *
 * @example
 * const d = createDistribution('laplace', { mean: 0, std: 0.1 });
 * d.fill(new Float32Array(1000), new Rng(0));
 */
export interface Distribution {
  readonly id: string;
  /** Validated config, natural parameters included (e.g. `{ loc, scale }`). */
  readonly config: Readonly<Record<string, number>>;
  readonly mean: number;
  readonly variance: number;
  /** Excess-free fourth central moment E[(θ − mean)^4] (Infinity if it does not exist); used for standard errors of variances. */
  readonly fourthMoment: number;
  /** Law symmetric about its mean. */
  readonly symmetric: boolean;
  readonly invariance: DistributionInvariance;
  /** Fill `out` with iid draws from `rng`. Returns `out`. */
  fill<T extends Float32Array | Float64Array>(out: T, rng: Rng): T;
  /** log density (−Infinity outside the support); undefined for the point mass. */
  logDensity?(x: number): number;
  /** Same family and shape parameters, new mean and std (every built-in family is location-scale). */
  withMoments(mean: number, std: number): Distribution;
  /** e.g. `laplace(loc=0, scale=0.0707)`. */
  describe(): string;
}

/**
 * Distribution plugin. Besides its own parameters every built-in config accepts `mean` and `std` (converted to the
 * natural ones); `locationKeys`/`scaleKeys` list the config keys that fix location and scale, so an InitSpec can
 * fill in the layer's default mean and std (σ_w/√fan_in) when the user gives neither.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface DistributionPlugin<C = any> extends Plugin<'distribution', C, Distribution> {
  readonly locationKeys: readonly string[];
  readonly scaleKeys: readonly string[];
}

declare module '@nnsym/core' {
  interface PluginKinds {
    distribution: DistributionPlugin;
  }
  interface DistributionMap {
    normal: DistributionPlugin;
    uniform: DistributionPlugin;
    laplace: DistributionPlugin;
    'student-t': DistributionPlugin;
    'point-mass': DistributionPlugin;
  }
}

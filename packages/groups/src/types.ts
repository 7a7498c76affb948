import type { Plugin, Rng } from '@nnsym/core';

/** What a group action can act on: network inputs x in R^d_in, or output indices a in 0..d_out-1. */
export type GroupSpace = 'inputs' | 'outputs';

/**
 * One generator of a Lie algebra, as the vector field it induces on R^n: `apply(x) = d/dt (exp(tX)·x)|_{t=0}`.
 * For a linear action `matrix` is X (n×n, row-major) and `apply(x) = X x`; for translations it is the constant
 * field e_i and `matrix` is absent.
 */
export interface LieGenerator {
  /** n×n row-major matrix X, when the action is linear. */
  readonly matrix?: Float64Array;
  /** The induced vector field at x. */
  apply(x: Float64Array): Float64Array;
}

/**
 * Exact Haar expectations of the representation matrix entries, used by the conformance suite:
 * `mean[i*n+j] = E[ρ(g)_ij]`, `second[i*n+j] = E[ρ(g)_ij²]` for g Haar-distributed.
 * E.g. SO(n), n ≥ 2: mean 0, second 1/n (Schur orthogonality, ∫ρ_ij ρ_kl dg = δ_ik δ_jl / n).
 */
export interface HaarMoments {
  readonly mean: Float64Array;
  readonly second: Float64Array;
}

/**
 * A group G together with an action on R^n (Maiti-Halverson-Stoner arXiv 2106.00694, Sec. 2: a symmetry of the
 * network density acts on inputs, x -> g·x, or on outputs through a linear representation ρ(g), under which a
 * correlator transforms as G_{a1..an} -> ρ_{a1 b1}..ρ_{an bn} G_{b1..bn}).
 *
 * Elements are opaque values of type `E` (an n×n matrix for SO(n), a permutation for S_n, ...): only the group
 * uses them. Everything is float64 on the host.
 *
 * When to use: pass a group to the invariance test (`designInvarianceTest`), or build your own and check it with
 * `runGroupActionConformance` from `@nnsym/groups/testing`.
 *
 * @example
 * const so5 = createGroupAction('so', { n: 5 });
 * const g = so5.sample(new Rng(1));            // Haar
 * const y = so5.act(g, Float64Array.of(1, 0, 0, 0, 0));
 * const R = so5.matrix!(g);                     // 25 entries, row-major
 */
export interface GroupAction<E = unknown> {
  /** Plugin id that created it, e.g. `so`. */
  readonly id: string;
  /** Human name with its parameters, e.g. `SO(5)`, `Stab_SO(5)(e0) ≅ SO(4)`. */
  readonly name: string;
  /** n: the group acts on R^n (an input vector of length n, or n output indices). */
  readonly dimension: number;
  /** Where the action makes sense: inputs, outputs (linear actions only), or both. */
  readonly actsOn: readonly GroupSpace[];
  /** Compact groups have a Haar probability measure; `sample` draws from it. */
  readonly isCompact: boolean;
  /** Finite groups list their elements (when few enough) and their `order`. */
  readonly isFinite: boolean;
  /** |G| for finite groups. */
  readonly order?: number;
  /** Dimension of the Lie algebra (0 for discrete groups). */
  readonly lieDimension: number;
  /** x -> g·x is linear (then `matrix` is defined). */
  readonly linear: boolean;
  /**
   * Every ρ(g) is an orthogonal matrix, i.e. G is (represented as) a subgroup of O(n). The parameter-side
   * prediction uses this: an O(n)-invariant weight distribution is invariant under any such G.
   */
  readonly orthogonal: boolean;
  /** How `sample` draws: `haar` for compact groups, else a description (e.g. `t ~ N(0, 1 I)`). */
  readonly samplingMeasure: string;

  identity(): E;
  /** The product g·h (act(compose(g, h), x) = act(g, act(h, x))). */
  compose(g: E, h: E): E;
  inverse(g: E): E;
  /** One element: Haar-distributed for compact groups, `samplingMeasure` otherwise. */
  sample(rng: Rng): E;
  /** g·x for x in R^n (a new array). */
  act(g: E, x: Float64Array): Float64Array;
  /** ρ(g), n×n row-major, for linear actions. */
  matrix?(g: E): Float64Array;
  /** Basis of the Lie algebra (continuous groups). */
  generators?(): LieGenerator[];
  /** exp(Σ_k c_k X_k) for coordinates c in the basis of `generators()`. */
  exp?(coeffs: Float64Array): E;
  /** Every element (finite groups of modest order; undefined when there are too many). */
  elements?(): E[];
  /** Whether a value is an element (closure checks), within `tol`. */
  isMember(g: E, tol?: number): boolean;
  /** Exact Haar moments of ρ, when known (compact linear groups). */
  haarMoments?(): HaarMoments;
  /** JSON-friendly description of an element (for results and error messages). */
  describe(g: E): unknown;
}

/** A group-action plugin: config (zod-validated) -> GroupAction. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GroupActionPlugin<C = any> = Plugin<'group-action', C, GroupAction>;

declare module '@nnsym/core' {
  interface PluginKinds {
    'group-action': GroupActionPlugin;
  }
}

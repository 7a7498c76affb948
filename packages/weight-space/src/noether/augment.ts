import { UsageError, type Rng } from '@nnsym/core';

/** A data augmentation for {@link trackNoether}: maps a batch X ([n, d] row-major) to a new batch. */
export type Augmentation = (X: Float64Array, n: number, rng: Rng) => Float64Array;

/**
 * Parse an augmentation spec: `sign-flip` (each input x -> ±x with probability 1/2: the group Z_2 acting on inputs),
 * `noise:SIGMA` (x -> x + SIGMA ε, ε ~ N(0, I)), or `none`.
 *
 * Augmentation changes the loss seen at each step but not the network's parameter symmetries (rescaling, GL(n),
 * logit translation act on the parameters whatever the inputs are), so every Noether charge is still conserved by
 * the flow on augmented data: augmentation changes the path, not its invariants.
 *
 * @example
 * trackNoether({ ..., augment: parseAugmentation('noise:0.1') });
 */
export function parseAugmentation(spec: string, flag = 'augment'): Augmentation | undefined {
  if (spec === 'none') return undefined;
  if (spec === 'sign-flip') {
    return (X, n, rng) => {
      const d = X.length / n;
      const out = X.slice();
      for (let s = 0; s < n; s++) if (rng.uniform() < 0.5) for (let k = 0; k < d; k++) out[s * d + k] = -out[s * d + k];
      return out;
    };
  }
  const m = /^noise:([0-9.eE+-]+)$/.exec(spec);
  const sigma = m ? Number(m[1]) : NaN;
  if (m && Number.isFinite(sigma) && sigma >= 0) {
    return (X, _n, rng) => {
      const out = X.slice();
      for (let i = 0; i < out.length; i++) out[i] += sigma * rng.normal();
      return out;
    };
  }
  throw new UsageError(`${flag} must be none, sign-flip or noise:SIGMA (SIGMA >= 0), got "${spec}"`, flag);
}

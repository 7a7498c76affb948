/**
 * Special functions in float64 for the analytic kernels and their tests (Math has no erf).
 *
 * erf itself is core's (`erf` of @nnsym/core, packages/core/src/nn/special.ts: Maclaurin series and the erfc
 * continued fraction, relative error ≲ 1e-14); ntk neither defines nor re-exports its own: import it from '@nnsym/core'.
 */
import { erf } from '@nnsym/core';

/**
 * Standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2, used by the scalar reference of gelu (x Φ(x)).
 *
 * When to use: analytic/quadrature kernels of activations written with Φ. Loses relative accuracy in the far lower
 * tail (x ≲ −5, where 1 + erf cancels); core's `normalCdf` uses erfc there.
 *
 * @example
 * normalCdf(0); // 0.5
 */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

import { partitionSum, type CorrelatorLayout } from './layout';
import { mobius } from './partitions';

/**
 * Wick (GP) prediction of the n-point function from the 2-point function:
 *
 *   G^(n)_GP(1..n) = Σ_{pairings π} Π_{{i,j} ∈ π} K(i, j)     ((n − 1)!! terms: 3 for n = 4, 15 for n = 6),
 *
 * the free-theory correlator of Halverson–Maiti–Stoner (arXiv 2008.08601, §2) with K the NNGP kernel (analytic
 * when available) or the measured G2.
 *
 * Shapes: `kernelLevel` over level-2 tuples (see `kernelLevel`); result over the order-n tuples.
 *
 * @example
 * const L = correlatorLayout(1, 1, [4]);
 * wickPrediction(L, 4, new Float64Array([2])); // [3 · 2²] = [12]
 */
export function wickPrediction(layout: CorrelatorLayout, n: number, kernelLevel: ArrayLike<number>): Float64Array {
  return partitionSum(
    layout,
    n,
    () => kernelLevel,
    (_p, pi) => (pi.every((b) => b.length === 2) ? 1 : 0),
  );
}

/**
 * Connected n-point function (joint cumulant) as defined in 2008.08601 (their six-point analysis): the Möbius
 * inversion over even partitions, with the measured n-point function for the one-block term, the measured
 * lower even correlators for blocks of size >= 4 and K for blocks of size 2:
 *
 *   G4_c = G4 − Σ_3 K K,        G6_c = G6 − Σ_15 G4 K + 2 Σ_15 K K K,
 *
 * (odd moments, zero in expectation, are dropped). For a one-hidden-layer net G4_c ∝ 1/N and G6_c ∝ 1/N² exactly.
 * For n = 2 it is G2 itself.
 *
 * `values` is the stats vector of measured correlators (all stored even orders, see `CorrelatorLayout`).
 *
 * @example
 * connectedCorrelator(L, 6, means, K); // per 6-tuple
 */
export function connectedCorrelator(layout: CorrelatorLayout, n: number, values: ArrayLike<number>, kernelLevel: ArrayLike<number>): Float64Array {
  return partitionSum(
    layout,
    n,
    (k) => (k === 2 && n !== 2 ? kernelLevel : sliceOrder(layout, values, k)),
    (_p, pi) => mobius(pi.length),
  );
}

/** The order-n slice of a stats vector. */
export function sliceOrder(layout: CorrelatorLayout, values: ArrayLike<number>, n: number): Float64Array {
  const off = layout.offset(n);
  const out = new Float64Array(layout.count(n));
  for (let t = 0; t < out.length; t++) out[t] = values[off + t];
  return out;
}

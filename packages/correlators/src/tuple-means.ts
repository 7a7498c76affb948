import type { CorrelatorLayout } from './layout';
import { mobius } from './partitions';
import { wickPrediction } from './wick';

/** Which mean over tuples a {@link TupleMeanFunctional} is. */
export type TupleMeanQuantity = 'meanDeviation' | 'meanConnectedDeviation';

/**
 * A mean over tuples that is an affine function of the per-network products: for network m with products P_m
 * (the stats vector of that one network), s_m = w · P_m + c, and the ensemble estimate is the mean of s_m over the
 * networks. Its standard error is then exactly sd(s_m)/√M (no jackknife, no delta method): what the accumulator
 * keeps per functional is the count, mean and M2 of s_m.
 */
export interface TupleMeanFunctional {
  /** `${order}:${quantity}`, e.g. `6:meanConnectedDeviation`. */
  id: string;
  order: number;
  quantity: TupleMeanQuantity;
  /** Weights over the stats vector (length statCount). */
  weights: Float64Array;
  constant: number;
}

/**
 * The means over tuples of {@link analyzeCorrelators} that are affine in the per-network products, given an
 * analytic 2-point function K (a constant, not the measured G2), with the same tuple selection (|G_GP| > 1e-12 of
 * the order's largest):
 *
 * - mean deviation of order n, (1/T) Σ_t (G_t − GP_t)/GP_t = Σ_t G_t/(T GP_t) − 1;
 * - mean connected deviation of order n, (1/T) Σ_t G_c,t / GP_t, where G_c = Σ_π μ(|π|) Π_B value_B with K on the
 *   2-blocks and the measured correlators on larger blocks: affine when every partition has at most one block of
 *   size >= 4, i.e. orders 4 and 6. From order 8 on the 4+4 partitions make it quadratic in the products, so it is not
 *   listed (its error stays the jackknife: a delta method would need the gradient at the unknown mean).
 *
 * Not affine, so not listed: the mean |deviation| m_n (|·| has no linearisation at 0, where the noise-dominated
 * tuples sit), and everything when K is the measured G2 (the Wick prediction is then a product of estimates).
 *
 * @example
 * const fs = tupleMeanFunctionals(correlatorLayout(3, 1, [2, 4, 6]), kernelLevel(layout, analytic.nngp));
 * fs.map((f) => f.id); // ['2:meanDeviation', '4:meanDeviation', '4:meanConnectedDeviation', '6:meanDeviation', '6:meanConnectedDeviation']
 */
export function tupleMeanFunctionals(layout: CorrelatorLayout, kernelLevel: ArrayLike<number>): TupleMeanFunctional[] {
  const S = layout.statCount;
  const out: TupleMeanFunctional[] = [];
  for (const n of layout.orders) {
    const gp = n === 2 ? Float64Array.from(kernelLevel) : wickPrediction(layout, n, kernelLevel);
    const scale = gp.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const keep: number[] = [];
    for (let t = 0; t < gp.length; t++) if (Math.abs(gp[t]) > 1e-12 * scale) keep.push(t);
    if (keep.length === 0) continue;
    const T = keep.length;
    const off = layout.offset(n);
    const dev = new Float64Array(S);
    for (const t of keep) dev[off + t] = 1 / (T * gp[t]);
    out.push({ id: `${n}:meanDeviation`, order: n, quantity: 'meanDeviation', weights: dev, constant: -1 });
    if (n < 4 || n > 6) continue;
    // G_c,t = Σ_π μ(|π|) Π_B v_B: each partition contributes its K-product times the one block of size >= 4 (or a constant).
    const tab = layout.blocks(n);
    const width = tab.start[tab.partitions.length];
    const conn = new Float64Array(S);
    let constant = 0;
    for (const t of keep) {
      const c = 1 / (T * gp[t]);
      for (let p = 0; p < tab.partitions.length; p++) {
        let coef = c * mobius(tab.partitions[p].length);
        let target = -1;
        for (let j = tab.start[p]; j < tab.start[p + 1]; j++) {
          const size = tab.sizes[j];
          const rank = tab.ranks[t * width + j];
          if (size === 2) coef *= kernelLevel[rank];
          else target = layout.offset(size) + rank; // at most one such block for n <= 6
        }
        if (target < 0) constant += coef;
        else conn[target] += coef;
      }
    }
    out.push({ id: `${n}:meanConnectedDeviation`, order: n, quantity: 'meanConnectedDeviation', weights: conn, constant });
  }
  return out;
}

import type { CorrelatorLayout } from './layout';

/**
 * Weighted sums of tuple products: for every stored even order k and tuple t,
 *
 *   out[offset(k) + t] = Σ_ν w_ν Π_{j=1..k} y_ν[t_j],
 *
 * over rows ν of `values` (row-major [rows, Q]). With quadrature nodes and weights this is a Gaussian expectation
 * of every tuple product at once (the single-neuron moments of the exact engine); with w = 1/rows it is a plain
 * mean. Uses the same tuple tree as the accumulator: one multiply per tuple per row.
 *
 * @example
 * const L = correlatorLayout(2, 1, [2]);
 * weightedTupleSums(L, new Float64Array([1, 2, 3, 4]), new Float64Array([0.5, 0.5]));
 * // order 2 over tuples (0,0), (0,1), (1,1): [(1 + 9)/2, (2 + 12)/2, (4 + 16)/2] = [5, 7, 10]
 */
export function weightedTupleSums(layout: CorrelatorLayout, values: ArrayLike<number>, weights: ArrayLike<number>): Float64Array {
  const Q = layout.size;
  const rows = weights.length;
  if (values.length < rows * Q) throw new RangeError(`weightedTupleSums: values has ${values.length} entries, expected ${rows} x ${Q}`);
  const levels = layout.tree.levels;
  const starts: number[] = [];
  let total = 0;
  for (const l of levels) {
    starts.push(total);
    total += l.count;
  }
  const parent = new Int32Array(total);
  const last = new Int32Array(total);
  levels.forEach((l, k) => {
    for (let t = 0; t < l.count; t++) {
      parent[starts[k] + t] = k === 0 ? -1 : starts[k - 1] + l.parent[t];
      last[starts[k] + t] = l.last[t];
    }
  });
  const prod = new Float64Array(total);
  const acc = new Float64Array(total);
  for (let r = 0; r < rows; r++) {
    const w = weights[r];
    if (w === 0) continue;
    const base = r * Q;
    for (let s = 0; s < Q; s++) {
      prod[s] = values[base + s];
      acc[s] += w * prod[s];
    }
    for (let j = Q; j < total; j++) {
      const p = prod[parent[j]] * values[base + last[j]];
      prod[j] = p;
      acc[j] += w * p;
    }
  }
  const out = new Float64Array(layout.statCount);
  for (const k of layout.stored) out.set(acc.subarray(starts[k - 1], starts[k - 1] + levels[k - 1].count), layout.offset(k));
  return out;
}

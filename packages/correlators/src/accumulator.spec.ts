import { CorrelatorAccumulator } from './accumulator';
import { correlatorLayout, type CorrelatorLayout } from './layout';
import { tuplesOfOrder } from './tuples';
import type { TupleMeanFunctional } from './tuple-means';

/**
 * The accumulator's documented arithmetic, one network at a time (the form of the accumulator before its tiled,
 * node-major loop): per group g, in increasing network index, the shifted sums s1 += d, s2 += d·d with
 * d = P_t − mean_g,t and P_t the left-to-right product y[t_1]·y[t_2]·…; per tuple mean, the dot product of each stored
 * order's (non-zero) weight block with that order's products, summed from 0 in tuple order, added to the constant in
 * order of the stored orders; then the Chan merge of the chunk's block into the group. Written from that description
 * (tuple lists from tuplesOfOrder, not the accumulator's tree), so the tiled loop must reproduce it bit for bit.
 */
function referencePush(acc: CorrelatorAccumulator, layout: CorrelatorLayout, fs: readonly TupleMeanFunctional[], outputs: Float32Array, count: number, start: number): void {
  const Q = layout.size;
  const S = layout.statCount;
  const B = acc.groups;
  const F = fs.length;
  const tuples = layout.stored.map((k) => ({ k, off: layout.offset(k), list: tuplesOfOrder(Q, k) }));
  for (let g = 0; g < B; g++) {
    const s1 = new Float64Array(S);
    const s2 = new Float64Array(S);
    const t1 = new Float64Array(F);
    const t2 = new Float64Array(F);
    let nb = 0;
    for (let r = 0; r < count; r++) {
      if ((start + r) % B !== g) continue;
      nb++;
      const y = outputs.subarray(r * Q, (r + 1) * Q);
      const p = new Float64Array(S);
      for (const { off, list } of tuples) {
        list.forEach((t, i) => {
          let v: number = y[t[0]];
          for (let j = 1; j < t.length; j++) v *= y[t[j]];
          p[off + i] = v;
        });
      }
      for (let k = 0; k < S; k++) {
        const d = p[k] - acc.mean[g * S + k];
        s1[k] += d;
        s2[k] += d * d;
      }
      fs.forEach((f, fi) => {
        let v = f.constant;
        for (const { off, list } of tuples) {
          const w = f.weights.subarray(off, off + list.length);
          if (w.every((x) => x === 0)) continue;
          let u = 0;
          for (let i = 0; i < list.length; i++) u += w[i] * p[off + i];
          v += u;
        }
        const d = v - acc.tMean[g * F + fi];
        t1[fi] += d;
        t2[fi] += d * d;
      });
    }
    if (nb === 0) continue;
    const na = acc.n[g];
    const nt = na + nb;
    for (let k = 0; k < S; k++) {
      const i = g * S + k;
      const delta = acc.mean[i] + s1[k] / nb - acc.mean[i];
      acc.mean[i] += (delta * nb) / nt;
      acc.m2[i] += Math.max(0, s2[k] - (s1[k] * s1[k]) / nb) + (delta * delta * na * nb) / nt;
    }
    for (let fi = 0; fi < F; fi++) {
      const i = g * F + fi;
      const delta = t1[fi] / nb;
      acc.tMean[i] += (delta * nb) / nt;
      acc.tM2[i] += Math.max(0, t2[fi] - (t1[fi] * t1[fi]) / nb) + (delta * delta * na * nb) / nt;
    }
    acc.n[g] = nt;
  }
}

/** Deterministic pseudo-random outputs of O(1) (a small LCG; any values do). */
function outputsOf(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 3;
  });
}

/** Functionals with distinct, partly shared and partly zero weight blocks (the cases the accumulator dedupes). */
function functionals(layout: CorrelatorLayout): TupleMeanFunctional[] {
  const S = layout.statCount;
  const w = (f: (i: number) => number, orders: number[]): Float64Array => {
    const a = new Float64Array(S);
    for (const k of orders) for (let t = 0; t < layout.count(k); t++) a[layout.offset(k) + t] = f(t);
    return a;
  };
  const top = layout.maxOrder;
  return [
    { id: '2:a', order: 2, quantity: 'meanDeviation', weights: w((t) => 1 / (t + 1), [2]), constant: -1 },
    { id: 'top:b', order: top, quantity: 'meanDeviation', weights: w((t) => Math.cos(t), layout.stored as number[]), constant: 0.25 },
    { id: 'top:c', order: top, quantity: 'meanConnectedDeviation', weights: w((t) => Math.cos(t), [top]), constant: 0.5 },
  ];
}

describe('CorrelatorAccumulator.push (tiled, node-major) equals the network-at-a-time definition bit for bit', () => {
  const cases: { points: number; dOut: number; orders: number[]; groups: number; chunks: [number, number][] }[] = [
    // 6 points, G2 + G4 (the bench's layout), 16 groups; chunks with groups of more and fewer than one 64-network tile
    { points: 6, dOut: 1, orders: [2, 4], groups: 16, chunks: [[2000, 0], [1037, 2000], [5, 3037], [1, 3042]] },
    // 3 points x 2 outputs up to order 6 (two lower levels, one intermediate odd level), 3 groups, a shard-like start
    { points: 3, dOut: 2, orders: [2, 4, 6], groups: 3, chunks: [[200, 7], [131, 407], [64 * 3, 1000]] },
    // 12 points up to order 6: 18563 tree nodes, so the tile shrinks to 14 networks (products within 2 MiB)
    { points: 12, dOut: 1, orders: [2, 4, 6], groups: 3, chunks: [[50, 0], [31, 50]] },
    // order 2 only: the top level is the first level above the outputs
    { points: 4, dOut: 1, orders: [2], groups: 2, chunks: [[129, 0], [128, 129]] },
  ];
  for (const c of cases) {
    for (const withMeans of [true, false]) {
      it(`P ${c.points}, d_out ${c.dOut}, orders ${c.orders.join(',')}, B ${c.groups}, ${withMeans ? 'with' : 'without'} tuple means`, () => {
        const layout = correlatorLayout(c.points, c.dOut, c.orders);
        const fs = withMeans ? functionals(layout) : [];
        const acc = new CorrelatorAccumulator(layout, { groups: c.groups, tupleMeans: withMeans ? fs : undefined });
        const ref = new CorrelatorAccumulator(layout, { groups: c.groups, tupleMeans: withMeans ? fs : undefined });
        c.chunks.forEach(([count, start], i) => {
          const y = outputsOf(count * layout.size, 17 + i);
          acc.push(y, count, start);
          referencePush(ref, layout, fs, y, count, start);
        });
        // toEqual on typed arrays compares with Object.is per element: bit-identical (including the sign of zero)
        expect(acc.n).toEqual(ref.n);
        expect(acc.mean).toEqual(ref.mean);
        expect(acc.m2).toEqual(ref.m2);
        expect(acc.tMean).toEqual(ref.tMean);
        expect(acc.tM2).toEqual(ref.tM2);
        expect(acc.count).toBe(c.chunks.reduce((s, [n]) => s + n, 0));
      });
    }
  }

  it('accepts float64 and plain-array outputs the same as float32 ones holding the same values', () => {
    const layout = correlatorLayout(5, 1, [2, 4]);
    const y = outputsOf(300 * 5, 3);
    const a = new CorrelatorAccumulator(layout, { groups: 4 }).push(y, 300, 11);
    const b = new CorrelatorAccumulator(layout, { groups: 4 }).push(Float64Array.from(y), 300, 11);
    const d = new CorrelatorAccumulator(layout, { groups: 4 }).push(Array.from(y), 300, 11);
    expect(b.mean).toEqual(a.mean);
    expect(d.m2).toEqual(a.m2);
  });
});

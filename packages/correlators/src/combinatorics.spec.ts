import { CorrelatorAccumulator, jackknifeStderr } from './accumulator';
import { correlatorLayout, kernelLevel } from './layout';
import { evenPartitions, mobius, pairings } from './partitions';
import { weightedTupleSums } from './products';
import { buildTupleTree, tupleAt, tupleCount, tupleRank } from './tuples';
import { connectedCorrelator, wickPrediction } from './wick';

describe('tuples', () => {
  it('enumerates C(Q+n-1, n) non-decreasing tuples in lexicographic order, and ranks invert them', () => {
    const tree = buildTupleTree(5, 4);
    for (let k = 1; k <= 4; k++) {
      const lvl = tree.levels[k - 1];
      expect(lvl.count).toBe(tupleCount(5, k));
      let prev: number[] | undefined;
      for (let t = 0; t < lvl.count; t++) {
        const tup = tupleAt(lvl, t);
        for (let j = 1; j < k; j++) expect(tup[j]).toBeGreaterThanOrEqual(tup[j - 1]);
        if (prev) expect(tup.join(',') > prev.join(',') || tup.some((v, j) => v > prev![j])).toBe(true);
        expect(tupleRank(5, tup)).toBe(t);
        prev = tup;
      }
    }
    expect(tupleCount(6, 6)).toBe(462);
    expect(tupleCount(6, 4)).toBe(126);
  });
});

describe('even partitions', () => {
  it('counts: (n-1)!! pairings, 4 even partitions of 4, 31 of 6, 379 of 8', () => {
    // |Π_even(n)|: 1, 4, 31, 379 (OEIS A005046); pairings 1, 3, 15, 105.
    expect(evenPartitions(2).length).toBe(1);
    expect(evenPartitions(4).length).toBe(4);
    expect(evenPartitions(6).length).toBe(31);
    expect(evenPartitions(8).length).toBe(379);
    expect(pairings(6).length).toBe(15);
    expect(pairings(8).length).toBe(105);
    expect([1, 2, 3, 4].map(mobius)).toEqual([1, -1, 2, -6]);
  });
});

describe('Wick and connected, scalar field', () => {
  it('one point: G4_GP = 3K², G6_GP = 15K³; connected of a Gaussian vanishes', () => {
    const L = correlatorLayout(1, 1, [2, 4, 6]);
    const K = new Float64Array([2]);
    expect(wickPrediction(L, 4, K)[0]).toBe(12);
    expect(wickPrediction(L, 6, K)[0]).toBe(120);
    // Gaussian moments with variance 2: 2, 12, 120 -> κ4 = κ6 = 0.
    const mom = new Float64Array([2, 12, 120]);
    expect(connectedCorrelator(L, 4, mom, K)[0]).toBeCloseTo(0, 12);
    expect(connectedCorrelator(L, 6, mom, K)[0]).toBeCloseTo(0, 12);
    // A Rademacher variable (±1): moments 1, 1, 1 -> κ4 = 1 - 3 = -2, κ6 = 1 - 15 + 30 = 16.
    const rad = new Float64Array([1, 1, 1]);
    expect(connectedCorrelator(L, 4, rad, new Float64Array([1]))[0]).toBe(-2);
    expect(connectedCorrelator(L, 6, rad, new Float64Array([1]))[0]).toBe(16);
  });

  it('two outputs: K̂ = δ_ab K, so cross-output pairs vanish', () => {
    const L = correlatorLayout(2, 2, [2]);
    const K = kernelLevel(L, [1, 0.5, 0.5, 2]);
    // combined index s = i·2 + a over (0,0),(0,1),(1,0),(1,1): level-2 tuples in lexicographic order.
    expect(Array.from(K)).toEqual([1, 0, 0.5, 0, 1, 0, 0.5, 2, 0, 2]);
  });
});

describe('CorrelatorAccumulator', () => {
  const P = 3;
  const rows = 1000;
  const data = new Float32Array(rows * P);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = (s / 2147483648) * 2 - 0.7;
  }
  const L = correlatorLayout(P, 1, [2, 4]);

  it('equals a direct two-pass mean and standard error over every tuple', () => {
    const acc = new CorrelatorAccumulator(L, { groups: 4 });
    for (let start = 0; start < rows; start += 128) acc.push(data.subarray(start * P, Math.min(rows, start + 128) * P), Math.min(128, rows - start), start);
    const { mean, stderr, count } = acc.totals();
    expect(count).toBe(rows);
    for (const n of [2, 4]) {
      const lvl = L.tree.levels[n - 1];
      for (let t = 0; t < lvl.count; t++) {
        const tup = tupleAt(lvl, t);
        const v = Array.from({ length: rows }, (_, r) => tup.reduce((p, i) => p * data[r * P + i], 1));
        const m = v.reduce((a, b) => a + b, 0) / rows;
        const se = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (rows - 1) / rows);
        expect(mean[L.offset(n) + t]).toBeCloseTo(m, 13);
        expect(stderr[L.offset(n) + t]).toBeCloseTo(se, 13);
      }
    }
    // weightedTupleSums with w = 1/rows is the same mean by another code path.
    const w = new Float64Array(rows).fill(1 / rows);
    const alt = weightedTupleSums(L, data, w);
    for (let k = 0; k < L.statCount; k++) expect(alt[k]).toBeCloseTo(mean[k], 13);
  });

  it('merging two halves equals one pass (to rounding); jackknife of the mean matches the standard error scale', () => {
    const one = new CorrelatorAccumulator(L, { groups: 8 }).push(data, rows, 0);
    const a = new CorrelatorAccumulator(L, { groups: 8 }).push(data.subarray(0, 400 * P), 400, 0);
    const b = new CorrelatorAccumulator(L, { groups: 8 }).push(data.subarray(400 * P), 600, 400);
    a.merge(b);
    const t1 = one.totals();
    const t2 = a.totals();
    for (let k = 0; k < L.statCount; k++) {
      expect(Math.abs(t1.mean[k] - t2.mean[k])).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(t1.mean[k])));
      expect(Math.abs(t1.m2[k] - t2.m2[k])).toBeLessThanOrEqual(1e-12 * t1.m2[k]);
    }
    expect(Array.from(one.n)).toEqual(Array.from(a.n));
    // The jackknife error of a mean is the batch-means error: same scale as the exact standard error.
    const { replicas } = one.leaveOneOut();
    const jk = jackknifeStderr(replicas.map((r) => r[0]));
    expect(jk / t1.stderr[0]).toBeGreaterThan(0.4);
    expect(jk / t1.stderr[0]).toBeLessThan(2.0);
  });
});

import { lastValueFrom, toArray } from 'rxjs';
import { ensemble$, initBackend, isEnsembleChunk, Rng } from '@nnsym/core';
import { CorrelatorAccumulator } from './accumulator';
import { analyzeCorrelators } from './analysis';
import { correlatorRun } from './estimator';
import { finalizeCorrelators, kernelFor } from './finalize';
import { correlatorLayout, kernelLevel, type CorrelatorLayout } from './layout';
import { fromPartial, mergePartials, toPartial, tupleMeansFor, type CorrelatorPartial, type CorrelatorRunSpec } from './partial';
import { architectureFromSpec, correlators$ } from './run';
import { tupleMeanFunctionals } from './tuple-means';
import { tuplesOfOrder } from './tuples';

jest.setTimeout(60_000);

/*
 * Reference (brute force, independent of the accumulator and of the weights of tupleMeanFunctionals): for each
 * network m, its own stats vector P_m by direct enumeration of every tuple's product, then the summary of
 * analyzeCorrelators on that one vector, d_m. The means over tuples used here are affine in P (K analytic, order
 * <= 6), so the ensemble's mean over tuples is mean_m d_m and its standard error sd(d_m)/√M, with sd the sample
 * standard deviation (M − 1).
 */
function perNetworkStats(layout: CorrelatorLayout, y: ArrayLike<number>): Float64Array {
  const v = new Float64Array(layout.statCount);
  for (const k of layout.stored) {
    const off = layout.offset(k);
    tuplesOfOrder(layout.size, k).forEach((tup, t) => {
      let p = 1;
      for (const s of tup) p *= y[s];
      v[off + t] = p;
    });
  }
  return v;
}

function bruteForce(layout: CorrelatorLayout, K: Float64Array, rows: ArrayLike<number>[]): Map<string, { mean: number; stderr: number }> {
  const vals = new Map<string, number[]>();
  for (const y of rows) {
    const rep = analyzeCorrelators(layout, { mean: perNetworkStats(layout, y) }, K);
    for (const n of layout.orders) {
      const s = rep[String(n)].summary;
      const push = (id: string, v: number) => (vals.get(id) ?? vals.set(id, []).get(id)!).push(v);
      push(`${n}:meanDeviation`, s.meanDeviation);
      if (n === 4 || n === 6) push(`${n}:meanConnectedDeviation`, s.meanConnectedDeviation!);
    }
  }
  const out = new Map<string, { mean: number; stderr: number }>();
  for (const [id, v] of vals) {
    const M = v.length;
    const mean = v.reduce((a, b) => a + b, 0) / M;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (M - 1));
    out.set(id, { mean, stderr: sd / Math.sqrt(M) });
  }
  return out;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);

describe('per-network standard errors of means over tuples', () => {
  // Heavy-tailed synthetic outputs y = g · exp(h) (g, h standard normal), 3 inputs x 2 outputs, orders 2, 4, 6.
  const P = 3;
  const dOut = 2;
  const layout = correlatorLayout(P, dOut, [2, 4, 6]);
  const kernel = Float64Array.from({ length: P * P }, (_, i) => 1 + 0.6 * Math.exp(-Math.abs(Math.floor(i / P) - (i % P))));
  const K = kernelLevel(layout, kernel);
  const M = 301;
  const rng = new Rng('tuple-means');
  const rows = Array.from({ length: M }, () => Float64Array.from({ length: P * dOut }, () => rng.normal() * Math.exp(rng.normal())));
  const flat = (from: number, to: number) => {
    const out = new Float64Array((to - from) * P * dOut);
    for (let r = from; r < to; r++) out.set(rows[r], (r - from) * P * dOut);
    return out;
  };
  const fs = tupleMeansFor(layout, kernel)!;

  it('lists the affine means: every order’s mean deviation, the connected 4- and 6-pt', () => {
    expect(fs.map((f) => f.id)).toEqual(['2:meanDeviation', '4:meanDeviation', '4:meanConnectedDeviation', '6:meanDeviation', '6:meanConnectedDeviation']);
    // Order 8 would have 4+4 partitions (quadratic in the products): its connected mean is left to the jackknife.
    expect(tupleMeansFor(correlatorLayout(1, 1, [8]), new Float64Array([1]))!.map((f) => f.id)).toEqual(['8:meanDeviation']);
  });

  it('tupleMeansFor is memoised on (points, d_out, orders, kernel values): equal to a fresh build, distinct per key', () => {
    const fresh = tupleMeanFunctionals(layout, K);
    const again = tupleMeansFor(correlatorLayout(P, dOut, [2, 4, 6]), Float64Array.from(kernel))!;
    expect(again).toBe(fs); // a new layout and kernel array with the same values hit the cache
    expect(fs.map((f) => [f.id, f.constant, Array.from(f.weights)])).toEqual(fresh.map((f) => [f.id, f.constant, Array.from(f.weights)]));
    const bumped = Float64Array.from(kernel);
    bumped[1] = kernel[1] * (1 + 2 ** -52); // one ulp: another kernel, another entry
    const other = tupleMeansFor(layout, bumped)!;
    expect(other).not.toBe(fs);
    expect(Array.from(other[1].weights)).toEqual(Array.from(tupleMeanFunctionals(layout, kernelLevel(layout, bumped))[1].weights));
    expect(tupleMeansFor(correlatorLayout(P, dOut, [2, 4]), kernel)).not.toBe(fs);
  });

  it('equals the brute-force mean and sd/√M over networks, pushed in uneven chunks', () => {
    const acc = new CorrelatorAccumulator(layout, { groups: 4, tupleMeans: fs });
    for (const [a, b] of [
      [0, 7],
      [7, 100],
      [100, 101],
      [101, 301],
    ])
      acc.push(flat(a, b), b - a, a);
    const ref = bruteForce(layout, K, rows);
    const got = acc.tupleMeanTotals()!;
    expect([...got.keys()]).toEqual([...ref.keys()]);
    for (const [id, r] of ref) {
      expect(rel(got.get(id)!.mean, r.mean)).toBeLessThan(1e-10);
      expect(rel(got.get(id)!.stderr, r.stderr)).toBeLessThan(1e-10);
      expect(got.get(id)!.count).toBe(M);
    }
    // The same values reach the summary, named per-network; m_n keeps the jackknife.
    const tot = acc.totals();
    const rep = analyzeCorrelators(layout, { mean: tot.mean, stderr: tot.stderr, replicas: acc.leaveOneOut().replicas, tupleMeans: got }, K);
    expect(rel(rep['6'].summary.meanDeviation, ref.get('6:meanDeviation')!.mean)).toBeLessThan(1e-10);
    expect(rep['6'].summary.meanConnectedDeviationStderr).toBe(got.get('6:meanConnectedDeviation')!.stderr);
    expect(rep['6'].summary.stderrEstimators).toEqual({ meanDeviation: 'per-network', meanAbsDeviation: 'jackknife-4', meanConnectedDeviation: 'per-network' });
  });

  it('merges shards exactly: two halves merged equal one run, through the JSON partial', () => {
    const one = new CorrelatorAccumulator(layout, { groups: 4, tupleMeans: fs }).push(flat(0, M), M, 0);
    const a = new CorrelatorAccumulator(layout, { groups: 4, tupleMeans: fs }).push(flat(0, 150), 150, 0);
    const b = new CorrelatorAccumulator(layout, { groups: 4, tupleMeans: fs }).push(flat(150, M), M - 150, 150);
    const spec = { arch: 'x', width: 1, dIn: 1, dOut, sigmaW: 1, sigmaB: 1, parameterization: 'standard', inputs: [[0], [1], [2]], orders: [2, 4, 6], ensemble: M, chunkSize: 150, seed: 1, groups: 4 } as CorrelatorRunSpec;
    const roundTrip = (x: CorrelatorAccumulator) => JSON.parse(JSON.stringify(toPartial(spec, x, []))) as CorrelatorPartial;
    const pa = roundTrip(a);
    expect(pa.version).toBe(2);
    expect(pa.state.tupleMeans!.ids).toEqual(fs.map((f) => f.id));
    a.merge(b);
    const ta = a.tupleMeanTotals()!;
    for (const [id, r] of one.tupleMeanTotals()!) {
      expect(rel(ta.get(id)!.mean, r.mean)).toBeLessThan(1e-13);
      expect(rel(ta.get(id)!.stderr, r.stderr)).toBeLessThan(1e-12);
    }
  });
});

describe('per-network errors end to end (correlators$, shards, format versions)', () => {
  beforeAll(() => initBackend({ backend: 'cpu' }));
  const spec: CorrelatorRunSpec = { arch: 'relu-net', width: 4, dIn: 1, dOut: 1, sigmaW: 1, sigmaB: 0, parameterization: 'standard', inputs: [[0.4], [0.9], [1.5]], orders: [2, 4, 6], ensemble: 900, chunkSize: 200, seed: 'tm-e2e', groups: 4 };
  const run = async (s: CorrelatorRunSpec, shard?: { index: number; count: number }): Promise<CorrelatorPartial> => {
    const events = await lastValueFrom(correlators$({ spec: s, ...(shard ? { shard } : {}) }).pipe(toArray()));
    const end = events[events.length - 1];
    if (end.type !== 'run-end') throw new Error('no run-end');
    return end.summary.partial;
  };
  let whole: CorrelatorPartial;
  beforeAll(async () => {
    whole = await run(spec);
  });

  it('matches sd(s_m)/√M of the very networks (ensemble$ outputs, brute force), and shards merge to the same', async () => {
    const r = correlatorRun(spec);
    const events = await lastValueFrom(ensemble$({ arch: architectureFromSpec(spec), inputs: r.spec.points, ensemble: spec.ensemble, chunkSize: spec.chunkSize, seed: spec.seed }).pipe(toArray()));
    const rows: Float32Array[] = [];
    for (const e of events.filter(isEnsembleChunk).map((ev) => ev.chunk)) {
      for (let i = 0; i < e.count; i++) rows.push(e.outputs.subarray(i * 3, (i + 1) * 3));
    }
    expect(rows.length).toBe(900);
    const layout = fromPartial(whole).layout;
    const K = kernelLevel(layout, kernelFor(spec).kernel!);
    const ref = bruteForce(layout, K, rows);
    const res = finalizeCorrelators(whole);
    for (const n of ['2', '4', '6']) {
      const s = res.orders[n].summary;
      expect(s.stderrEstimators.meanDeviation).toBe('per-network');
      expect(rel(s.meanDeviation, ref.get(`${n}:meanDeviation`)!.mean)).toBeLessThan(1e-9);
      expect(rel(s.meanDeviationStderr!, ref.get(`${n}:meanDeviation`)!.stderr)).toBeLessThan(1e-9);
    }
    expect(rel(res.orders['6'].summary.meanConnectedDeviationStderr!, ref.get('6:meanConnectedDeviation')!.stderr)).toBeLessThan(1e-9);
    expect(res.errors).toContain('per-network');

    const merged = finalizeCorrelators(mergePartials([await run(spec, { index: 1, count: 2 }), await run(spec, { index: 0, count: 2 })]));
    for (const n of ['2', '4', '6']) {
      expect(rel(merged.orders[n].summary.meanDeviationStderr!, res.orders[n].summary.meanDeviationStderr!)).toBeLessThan(1e-12);
      expect(merged.orders[n].summary.stderrEstimators.meanDeviation).toBe('per-network');
    }
  });

  it('reads a version-1 piece with the jackknife fallback, alone and merged with a version-2 one', async () => {
    const old = (p: CorrelatorPartial): CorrelatorPartial => {
      const q = JSON.parse(JSON.stringify(p)) as CorrelatorPartial;
      q.version = 1;
      delete q.state.tupleMeans;
      return q;
    };
    const alone = finalizeCorrelators(old(whole));
    expect(alone.orders['4'].summary.stderrEstimators.meanDeviation).toBe('jackknife-4');
    expect(alone.orders['4'].summary.meanDeviation).toBe(finalizeCorrelators(whole).orders['4'].summary.meanDeviation);
    const mixed = mergePartials([await run(spec, { index: 0, count: 2 }), old(await run(spec, { index: 1, count: 2 }))]);
    expect(mixed.state.tupleMeans).toBeUndefined();
    const res = finalizeCorrelators(mixed);
    expect(res.orders['6'].summary.stderrEstimators.meanConnectedDeviation).toBe('jackknife-4');
    expect(res.errors).toContain('version 1');
    expect(() => fromPartial({ ...whole, version: 3 as unknown as 2 })).toThrow(/unsupported correlators partial version 3/);
  });
});

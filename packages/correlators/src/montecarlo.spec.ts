import { lastValueFrom, toArray } from 'rxjs';
import { initBackend, tf, type NnsymEvent } from '@nnsym/core';
import { exactCorrelators } from './exact';
import { neuronFamily } from './family';
import { exactResult, finalizeCorrelators } from './finalize';
import { fromPartial, mergePartials, type CorrelatorPartial, type CorrelatorRunSpec } from './partial';
import { correlators$, type CorrelatorEvent } from './run';

// Ensemble runs take seconds each on a loaded 2-core machine: allow a minute per test.
jest.setTimeout(60_000);

beforeAll(async () => {
  await initBackend();
});

const base = { depth: undefined, dOut: 1, dIn: 1, parameterization: 'standard' as const, groups: 8 };

async function run(spec: CorrelatorRunSpec, extra: Partial<Parameters<typeof correlators$>[0]> = {}): Promise<{ partial: CorrelatorPartial; events: NnsymEvent[] }> {
  const events = await lastValueFrom(correlators$({ spec, ...extra }).pipe(toArray()));
  const end = events[events.length - 1];
  if (end.type !== 'run-end') throw new Error('no run-end');
  return { partial: end.summary.partial, events };
}

/*
 * Ensemble Monte Carlo vs exact-in-N (two independent methods: tfjs float32 networks sampled by core's ensemble
 * runner vs single-neuron quadrature / log-normal moments combined in float64). Tolerance: 4 standard errors.
 *
 * Ensemble sizes. The per-network statistic of the 4-pt function is f⁴; its relative variance (G8 − G4²)/G4² and
 * skewness (from G12), computed with the exact engine (docs/experiments/nn-qft.md), are ≈ 11-140 and 10-90 for
 * relu-/erf-net at these widths, so M = 20000 gives ~3-8% errors with a near-Gaussian mean. Gauss-net at the
 * NN-QFT defaults (σ_w = σ_b = 1) is log-normal-tailed: at N = 10 the relative variance of f⁴ is 3.5e6 and its
 * skewness 8e10, so a mean with a trustworthy 4σ band would need M >> skew² ≈ 1e21 networks. The test therefore
 * uses σ_w = σ_b = 0.5 and inputs of size 0.1 (relative variance 14 and skewness 23 at N = 10, like erf-net).
 */
describe('Monte Carlo agrees with exact-in-N within 4 standard errors', () => {
  const cases = [
    { arch: 'relu-net', act: 'relu', sigmaW: 1, sigmaB: 0, inputs: [[0.3], [0.7], [1.1]], widths: [3, 10, 50] },
    { arch: 'erf-net', act: 'erf', sigmaW: 1, sigmaB: 1, inputs: [[-1], [0.2], [1]], widths: [3, 10, 50] },
    { arch: 'gauss-net', act: 'gauss', sigmaW: 0.5, sigmaB: 0.5, inputs: [[-0.1], [0.05], [0.1]], widths: [10, 50] },
  ];
  for (const c of cases) {
    let exact: ReturnType<typeof exactCorrelators> | undefined; // one moment computation serves every width
    for (const N of c.widths)
      it(`${c.arch} N = ${N}, M = 20000`, async () => {
        const spec: CorrelatorRunSpec = { ...base, arch: c.arch, width: N, sigmaW: c.sigmaW, sigmaB: c.sigmaB, inputs: c.inputs, orders: [2, 4, 6], ensemble: 20000, chunkSize: 5000, seed: `mc-${c.arch}-${N}` };
        const { partial } = await run(spec);
        expect(partial.complete).toBe(true);
        const mc = finalizeCorrelators(partial);
        expect(mc.kernel.source).toBe('analytic');
        exact ??= exactCorrelators(neuronFamily(c.act, { sigmaW: c.sigmaW, sigmaB: c.sigmaB, dIn: 1 }), c.inputs, { orders: [2, 4, 6] });
        const ex = exactResult(exact, c.arch, N, c.inputs);
        for (const n of ['2', '4']) {
          const m = mc.orders[n];
          m.estimate.forEach((v, t) => expect(Math.abs(v - ex.orders[n].estimate[t])).toBeLessThan(4 * m.stderr[t]!));
        }
        for (const n of ['4', '6']) {
          const s = mc.orders[n].summary;
          expect(Math.abs(s.meanDeviation - ex.orders[n].summary.meanDeviation)).toBeLessThan(4 * s.meanDeviationStderr!);
        }
      });
  }
});

describe('shards, merge, checkpoint and resume', () => {
  const spec: CorrelatorRunSpec = { ...base, arch: 'erf-net', width: 7, sigmaW: 1, sigmaB: 1, inputs: [[-0.5], [0.5]], orders: [2, 4], ensemble: 2500, chunkSize: 300, seed: 11 };

  it('three shards merged equal one run to float64 rounding; a merge of different runs is refused naming the field', async () => {
    const one = (await run(spec)).partial;
    const shards = await Promise.all([0, 1, 2].map(async (i) => (await run(spec, { shard: { index: i, count: 3 } })).partial));
    expect(shards.map((s) => s.complete)).toEqual([false, false, false]);
    const merged = mergePartials(JSON.parse(JSON.stringify(shards)) as CorrelatorPartial[]);
    expect(merged.complete).toBe(true);
    expect(merged.done).toEqual(one.done);
    const a = fromPartial(one).totals();
    const b = fromPartial(merged).totals();
    expect(b.count).toBe(a.count);
    for (let k = 0; k < a.mean.length; k++) {
      expect(Math.abs(a.mean[k] - b.mean[k])).toBeLessThanOrEqual(1e-13 * Math.abs(a.mean[k]) + 1e-16);
      expect(Math.abs(a.m2[k] - b.m2[k])).toBeLessThanOrEqual(1e-12 * a.m2[k]);
    }
    const other = (await run({ ...spec, seed: 12 }, { shard: { index: 1, count: 3 } })).partial;
    expect(() => mergePartials([shards[0], other])).toThrow(/"seed" differs \(11 vs 12\)/);
    expect(() => mergePartials([shards[0], shards[0]])).toThrow(/chunk 0 is in more than one partial/);
  });

  it('an interrupted run keeps what it computed; resuming it is bit-identical to an uninterrupted run; tensors are not leaked', async () => {
    const tensors = tf.memory().numTensors;
    const one = (await run(spec)).partial;
    const ac = new AbortController();
    const saved: CorrelatorPartial[] = [];
    let chunks = 0;
    const cut = await new Promise<CorrelatorEvent[]>((resolve, reject) => {
      const out: CorrelatorEvent[] = [];
      correlators$({ spec, signal: ac.signal, checkpoint: { every: 3, write: (p) => void saved.push(JSON.parse(JSON.stringify(p)) as CorrelatorPartial) } }).subscribe({
        next: (e) => {
          out.push(e);
          if (e.type === 'progress' && ++chunks === 4) ac.abort(); // Ctrl-C after the fourth chunk
        },
        error: reject,
        complete: () => resolve(out),
      });
    });
    const end = cut[cut.length - 1];
    if (end.type !== 'run-end') throw new Error('no run-end');
    const partial = end.summary.partial;
    expect(end.interrupted).toBe(true);
    expect(partial.interrupted).toBe(true);
    expect(partial.complete).toBe(false);
    expect(partial.done).toEqual([0, 1, 2, 3]);
    // a checkpoint after chunk 3, and the interrupted state written on the way out
    expect(cut.filter((e) => e.type === 'checkpoint').length).toBe(1);
    expect(saved.map((p) => p.done.length)).toEqual([3, 4]);
    expect(saved[1].interrupted).toBe(true);
    // The interrupted partial is itself a usable (incomplete) result.
    expect(finalizeCorrelators(partial).networks).toBe(1200);
    // Resume from the last checkpoint file (3 chunks) and from the interrupted state (4 chunks): both bit-identical.
    for (const from of [saved[0], partial]) {
      const resumed = (await run(spec, { resume: JSON.parse(JSON.stringify(from)) as CorrelatorPartial })).partial;
      expect(resumed.complete).toBe(true);
      expect(resumed.state).toEqual(one.state);
    }
    await expect(run({ ...spec, width: 8 }, { resume: partial })).rejects.toThrow(/"width" differs \(7 vs 8\)/);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

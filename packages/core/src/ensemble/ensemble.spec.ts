import { lastValueFrom, toArray, take, filter } from 'rxjs';
import { initBackend, tf, Rng } from '../index';
import { createArchitecture } from '../nn/create-architecture';
import { sampleHostParams } from '../nn/params';
import { parseInputs } from '../inputs/parse';
import { ensembleChunks, evaluateChunk } from './chunks';
import { ensemble$, isEnsembleChunk } from './observable';
import { OutputMoments } from './moments';
import { chunkRng, planEnsemble, defaultChunkSize } from './plan';
import type { EnsembleChunk } from './types';

beforeAll(async () => {
  await initBackend();
});

const arch = () => createArchitecture('tanh-net', { width: 12, dIn: 2, dOut: 2 });
const inputs = () => parseInputs('[[0.1, 0.2], [1, -1], [0, 0.5]]', { dIn: 2 });

function collect(it: Iterable<EnsembleChunk>): EnsembleChunk[] {
  return [...it];
}

describe('ensemble runner', () => {
  test('same seed, same outputs; another seed, other outputs', () => {
    const a = collect(ensembleChunks({ arch: arch(), inputs: inputs(), ensemble: 50, chunkSize: 16, seed: 3 }));
    const b = collect(ensembleChunks({ arch: arch(), inputs: inputs(), ensemble: 50, chunkSize: 16, seed: 3 }));
    const c = collect(ensembleChunks({ arch: arch(), inputs: inputs(), ensemble: 50, chunkSize: 16, seed: 4 }));
    expect(a.map((ch) => [ch.chunk, ch.start, ch.count])).toEqual([[0, 0, 16], [1, 16, 16], [2, 32, 16], [3, 48, 2]]);
    expect(a.every((ch, i) => ch.outputs.length === ch.count * 3 * 2 && Buffer.compare(Buffer.from(ch.outputs.buffer), Buffer.from(b[i].outputs.buffer)) === 0)).toBe(true);
    expect(a[0].outputs).not.toEqual(c[0].outputs);
  });

  test('a chunk regenerated alone equals the same chunk of the full run; shards partition the run', () => {
    const A = arch();
    const full = collect(ensembleChunks({ arch: A, inputs: inputs(), ensemble: 70, chunkSize: 10, seed: 'abc' }));
    const x = tf.tensor2d([[0.1, 0.2], [1, -1], [0, 0.5]]);
    const alone = evaluateChunk(A, x, 'abc', { ensemble: 70, chunkSize: 10 }, 5);
    x.dispose();
    expect(alone.outputs).toEqual(full[5].outputs);
    const shards = [0, 1, 2].flatMap((index) => collect(ensembleChunks({ arch: A, inputs: inputs(), ensemble: 70, chunkSize: 10, seed: 'abc', shard: { index, count: 3 } })));
    expect(shards.map((c) => c.chunk).sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const s of shards) expect(s.outputs).toEqual(full[s.chunk].outputs);
    expect(planEnsemble(70, 10, { index: 1, count: 3 })).toEqual({ ensemble: 70, chunkSize: 10, chunks: 7, mine: [1, 4], networks: 20 });
  });

  test('keepParams returns the chunk parameters drawn from Rng.derive(seed, "ensemble", c, name)', () => {
    const A = arch();
    const [, ch] = collect(ensembleChunks({ arch: A, inputs: inputs(), ensemble: 9, chunkSize: 5, seed: 1, keepParams: true }));
    const host = sampleHostParams(A.layout(), chunkRng(1, 1), 4);
    expect(Object.keys(ch.params!)).toEqual(['W0', 'b0', 'W1', 'b1']);
    expect(ch.params!.W1).toEqual(host.W1);
    expect(ch.params!.W0).toEqual(Rng.derive(1, 'ensemble', 1, 'W0').normalArray(4 * 12 * 2, 0, 1 / Math.SQRT2));
  });

  test.each([
    ['tfjs', 1], // the uploaded inputs only
    ['host', 0], // no tensors at all
  ] as const)('no tensor leaks on the %s path: numTensors is flat over chunks, and after an early break', (path, live) => {
    const before = tf.memory().numTensors;
    const during: number[] = [];
    for (const _ of ensembleChunks({ arch: arch(), inputs: inputs(), ensemble: 40, chunkSize: 4, seed: 0, path })) during.push(tf.memory().numTensors);
    expect(new Set(during).size).toBe(1);
    expect(during[0]).toBe(before + live);
    expect(tf.memory().numTensors).toBe(before);
    for (const _ of ensembleChunks({ arch: arch(), inputs: inputs(), ensemble: 40, chunkSize: 4, seed: 0, path })) break;
    expect(tf.memory().numTensors).toBe(before);
  });

  test('ensemble$: run-start, chunk + progress per chunk, run-end; same chunks as the generator; unsubscribe cleans up', async () => {
    const opts = { arch: arch(), inputs: inputs(), ensemble: 25, chunkSize: 10, seed: 9 };
    const before = tf.memory().numTensors;
    const events = await lastValueFrom(ensemble$(opts).pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual(['run-start', 'chunk', 'progress', 'chunk', 'progress', 'chunk', 'progress', 'run-end']);
    const gen = collect(ensembleChunks(opts));
    events.filter(isEnsembleChunk).forEach((e, i) => expect(e.chunk.outputs).toEqual(gen[i].outputs));
    expect(events[6]).toMatchObject({ type: 'progress', done: 25, total: 25, unit: 'networks' });
    await lastValueFrom(ensemble$(opts).pipe(filter(isEnsembleChunk), take(1)));
    await new Promise((r) => setImmediate(r));
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a failing chunk errors the stream and frees everything', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const sampler = (L: { shape: readonly number[] }, rng: Rng, m: number) => {
      if (++calls > 4) throw new Error('sampler failed');
      return rng.normalArray(m * L.shape.reduce((a, b) => a * b, 1));
    };
    await expect(lastValueFrom(ensemble$({ arch: arch(), inputs: inputs(), ensemble: 30, chunkSize: 10, seed: 0, sampler }))).rejects.toThrow('sampler failed');
    expect(tf.memory().numTensors).toBe(before);
    calls = 0;
    expect(() => collect(ensembleChunks({ arch: arch(), inputs: inputs(), ensemble: 30, chunkSize: 10, seed: 0, sampler }))).toThrow('sampler failed');
    expect(tf.memory().numTensors).toBe(before);
  });

  test('OutputMoments agrees with a direct two-pass computation', () => {
    const rng = new Rng(5);
    const data = rng.normalArray(301 * 2 * 3, 4, 2); // 301 networks, P = 2, d_out = 3
    const m = new OutputMoments(2, 3).addOutputs(data.subarray(0, 100 * 6), 100).addOutputs(data.subarray(100 * 6), 201).result();
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let i = 0; i < 301; i++) s += data[i * 6 + j];
      const mean = s / 301;
      let v = 0;
      let m4 = 0;
      for (let i = 0; i < 301; i++) {
        v += (data[i * 6 + j] - mean) ** 2;
        m4 += (data[i * 6 + j] - mean) ** 4;
      }
      expect(m.mean[j]).toBeCloseTo(mean, 10);
      expect(m.variance[j]).toBeCloseTo(v / 300, 9);
      expect(m.meanSE[j]).toBeCloseTo(Math.sqrt(v / 300 / 301), 10);
      expect(m.varianceSE[j]).toBeCloseTo(Math.sqrt((m4 / 301 - (v / 301) ** 2) / 301), 9);
    }
  });

  test('Monte Carlo vs closed form: the Gauss-net two-point function is σ_b² + σ_w² exp(−σ_w²|x−x\'|²/(2 d_in)) at every N', () => {
    // E[φ(z)φ(z')] = E[e^{z+z'}] e^{−q−q'} = e^{(q + q' + 2c)/2 − q − q'} = e^{−(q + q' − 2c)/2}, with
    // c = σ_b² + σ_w² x·x'/d_in, so q + q' − 2c = σ_w²|x − x'|²/d_in; the readout adds σ_b² + σ_w²·(mean over N).
    const sw = 1.2;
    const sb = 0.6;
    const A = createArchitecture('gauss-net', { width: 6, dIn: 2, sigmaW: sw, sigmaB: sb });
    const xs = [[0.2, -0.4], [0.9, 0.3]];
    const M = 6000;
    const outs: number[][] = [];
    for (const ch of ensembleChunks({ arch: A, inputs: xs, ensemble: M, chunkSize: 2000, seed: 2 })) {
      for (let i = 0; i < ch.count; i++) outs.push([ch.outputs[i * 2], ch.outputs[i * 2 + 1]]);
    }
    const d2 = (0.2 - 0.9) ** 2 + (-0.4 - 0.3) ** 2;
    const exact = [sb * sb + sw * sw, sb * sb + sw * sw * Math.exp((-sw * sw * d2) / 4), sb * sb + sw * sw];
    const prods = [outs.map((o) => o[0] * o[0]), outs.map((o) => o[0] * o[1]), outs.map((o) => o[1] * o[1])];
    prods.forEach((p, k) => {
      const mean = p.reduce((s, v) => s + v, 0) / M;
      const se = Math.sqrt(p.reduce((s, v) => s + (v - mean) ** 2, 0) / (M - 1) / M);
      expect(Math.abs(mean - exact[k])).toBeLessThan(4 * se);
    });
  });

  test('plan errors and the default chunk size', () => {
    expect(() => planEnsemble(0, 10)).toThrow(/ensemble size must be a positive integer/);
    expect(() => planEnsemble(10, 0)).toThrow(/chunk size/);
    expect(() => planEnsemble(10, 5, { index: 2, count: 2 })).toThrow(/shard must be i\/n/);
    const big = createArchitecture('gauss-net', { width: 1000, dIn: 3 });
    const cs = defaultChunkSize(big, 8);
    // params 3000 + 1000 + 1000 + 1 floats, activations 3·1000·8 + 16: ≈ 116 kB per network in 64 MB.
    expect(cs).toBe(Math.floor((64 * 1024 * 1024) / (4 * (5001 + 24016))));
    expect(() => collect(ensembleChunks({ arch: big, inputs: [[1, 2]], ensemble: 1, seed: 0 }))).toThrow(/^inputs: points have dimension 2 but the architecture has d_in = 3$/);
  });
});

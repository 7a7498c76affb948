import { z } from 'zod';
import { initBackend, PluginHost, Rng, tf, type DataSplit, type Tensor } from '@nnsym/core';
import { zeros, type Mat } from '@nnsym/numerics';
import { sampleFamilyMember } from './families';
import { forwardMlp, type MlpF64 } from '../nets/mlp';
import { stitchNetworks } from './stitch';
import { applyIntertwiner } from './weight-space';

const relu = (v: number) => Math.max(0, v);

function randomMlp(sizes: number[], seed: number): MlpF64 {
  const rng = new Rng(seed);
  return {
    sigma: relu,
    activation: 'relu',
    layers: sizes.slice(1).map((out, l) => {
      const w = zeros(out, sizes[l]);
      rng.fillNormal(w.data, 0, 1 / Math.sqrt(sizes[l]));
      return { in: sizes[l], out, W: w.data, b: rng.fillNormal(new Float64Array(out), 0, 0.3) };
    }),
  };
}

/** Gaussian inputs labelled by the teacher's argmax (so the teacher is 100% accurate). */
function split(teacher: MlpF64, n: number, seed: number): DataSplit {
  const d = teacher.layers[0].in;
  const x = new Rng(seed).normalArray(n * d);
  const out = forwardMlp(teacher, { rows: n, cols: d, data: Float64Array.from(x) } as Mat).out;
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < out.cols; k++) if (out.data[i * out.cols + k] > out.data[i * out.cols + best]) best = k;
    y[i] = best;
  }
  return { n, d, x, scale: 1, y };
}

describe('stitching (G_relu, full, low-rank, identity)', () => {
  const host = new PluginHost();
  host.register({
    meta: { id: 'relu', kind: 'activation', description: 'relu', version: '1.0.0' },
    configSchema: z.object({}),
    create: () => ({ id: 'relu', apply: (t: Tensor) => tf.relu(t), scalar: relu, traits: {} }),
  });
  const a = randomMlp([6, 12, 8, 3], 1);
  // B = g . A with g in G_relu on both hidden layers: the same function, other weights and representations.
  let b = a;
  for (const [layer, width] of [
    [0, 12],
    [1, 8],
  ]) {
    const { a: g } = sampleFamilyMember('positive-scaling', width, new Rng(2, [layer]));
    b = applyIntertwiner(b, layer, g, g);
  }
  const train = split(a, 600, 3);
  const test = split(a, 400, 4);
  beforeAll(async () => {
    await initBackend();
  });

  it('a G_relu stitch between G_relu-related networks is exact (penalty 0) and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const r = await stitchNetworks(a, b, { kind: 'grelu', layer: 0, train, test, numClasses: 3, epochs: 1, host });
    expect(r.accuracyA).toBe(1);
    expect(r.accuracyB).toBe(1);
    expect(r.accuracyInit).toBe(1);
    expect(r.penalty).toBe(0);
    expect(r.trainableParameters).toBe(12);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without a stitch the representations do not fit (identity stitch loses accuracy); the untrained full stitch is exact; every kind leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const id = await stitchNetworks(a, b, { kind: 'identity', layer: 1, train, test, numClasses: 3, host });
    expect(id.penalty).toBeGreaterThan(0.05);
    // Least squares finds h_B = P D h_A exactly, so the untrained full stitch is exact; training on 600 examples
    // then only moves it by what the cross-entropy gradient does to the margins (no assertion on that).
    const full = await stitchNetworks(a, b, { kind: 'full', layer: 1, train, test, numClasses: 3, epochs: 0, host });
    expect(full.accuracyInit).toBe(1);
    expect(full.penalty).toBe(0);
    const low = await stitchNetworks(a, b, { kind: 'low-rank', rank: 2, layer: 1, train, test, numClasses: 3, epochs: 2, host });
    expect(low.trainableParameters).toBe(8 * 2 + 2 * 8 + 8);
    expect(Number.isFinite(low.penalty)).toBe(true);
    const rnd = await stitchNetworks(a, b, { kind: 'grelu-random', layer: 1, train, test, numClasses: 3, epochs: 1, host });
    expect(rnd.trainableParameters).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checks layer, rank and architectures', async () => {
    await expect(stitchNetworks(a, b, { kind: 'full', layer: 2, train, test, numClasses: 3, host })).rejects.toThrow(
      /^layer must be a hidden layer in 0..1/,
    );
    await expect(stitchNetworks(a, b, { kind: 'low-rank', rank: 99, layer: 0, train, test, numClasses: 3, host })).rejects.toThrow(
      /^rank must be in 1..12/,
    );
    await expect(stitchNetworks(a, randomMlp([6, 12, 3], 5), { kind: 'full', layer: 0, train, test, numClasses: 3, host })).rejects.toThrow(
      /different architectures/,
    );
    // An input-dependent activation (gauss: exp(z - q(x))) is refused with a clear message, not run with q = 0.
    host.register({
      meta: { id: 'gauss-ctx', kind: 'activation', description: 'exp(z - q)', version: '1.0.0' },
      configSchema: z.object({}),
      create: () => ({ id: 'gauss-ctx', apply: (t: Tensor) => tf.exp(t), scalar: Math.exp, traits: {}, needsContext: true }),
    });
    const g = { ...b, activation: 'gauss-ctx' };
    await expect(stitchNetworks(a, g, { kind: 'full', layer: 0, train, test, numClasses: 3, host })).rejects.toThrow(
      /depends on the input/,
    );
  });
});

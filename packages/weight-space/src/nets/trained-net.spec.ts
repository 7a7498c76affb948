import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import {
  createFromPlugin,
  initBackend,
  plugins,
  PluginHost,
  readCheckpoint,
  readDenseNet64,
  registerCorePlugins,
  teacherStudentDataset,
  trainMlp,
  type Dataset,
} from '@nnsym/core';
import { zeros, type Mat, type ScalarFn } from '@nnsym/numerics';
import { resolveScalarActivation } from '../intertwiners/activation';
import { alignMlp } from '../intertwiners/align';
import { loadMlpCheckpoint } from '../intertwiners/checkpoint';
import { functionDiscrepancy } from '../intertwiners/weight-space';
import { flatten, forward64, lossAndGrad64 } from '../noether/mlp64';
import { mlpGenerators, charge } from '../noether/generators';
import { compareLayerLists, compareNetworks } from '../similarity/networks';
import { forwardMlp } from './mlp';

// ---- The adapter path before move 4 (54bd19a: intertwiners/checkpoint.ts loadMlpCheckpoint and nets/mlp.ts
// forwardMlp), copied verbatim except for its `fp.arch !== 'mlp'` refusal, as the reference: a checkpoint became a
// private float64 type with Mat layers and a resolved sigma, and had its own forward pass.
interface OldLayer {
  w: Mat;
  b?: Float64Array;
}
interface OldMlp {
  layers: OldLayer[];
  sigma: ScalarFn;
  activation?: string;
}
function oldLoad(dir: string, host: PluginHost): OldMlp {
  const ck = readCheckpoint(dir);
  const fp = ck.meta.fingerprint;
  const { scalar } = resolveScalarActivation(fp.activation, { host });
  return {
    sigma: scalar,
    activation: fp.activation,
    layers: ck.params.map((l) => {
      const w: Mat = { rows: l.out, cols: l.in, data: Float64Array.from(l.w) };
      return { w, b: l.b ? Float64Array.from(l.b) : undefined };
    }),
  };
}
function oldDense(a: Mat, layer: OldLayer): Mat {
  const { w, b } = layer;
  const z = zeros(a.rows, w.rows);
  for (let s = 0; s < a.rows; s++) {
    for (let o = 0; o < w.rows; o++) {
      let acc = b ? b[o] : 0;
      for (let k = 0; k < w.cols; k++) acc += w.data[o * w.cols + k] * a.data[s * a.cols + k];
      z.data[s * w.rows + o] = acc;
    }
  }
  return z;
}
function oldForward(net: OldMlp, x: Mat): { out: Mat; hidden: Mat[] } {
  const hidden: Mat[] = [];
  let a = x;
  net.layers.forEach((layer, l) => {
    const z = oldDense(a, layer);
    if (l < net.layers.length - 1) {
      const h = zeros(z.rows, z.cols);
      for (let i = 0; i < z.data.length; i++) h.data[i] = net.sigma(z.data[i]);
      hidden.push(h);
      a = h;
    } else {
      a = z;
    }
  });
  return { out: a, hidden };
}
const oldFlatten = (net: OldMlp) => Float64Array.from(net.layers.flatMap((l) => [...l.w.data, ...(l.b ?? [])]));
// ----

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength)));
const relDistance = (a: Float64Array, b: Float64Array) => {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += a[i] ** 2;
  }
  return Math.sqrt(d / n);
};

describe('a network trained by nnsym train feeds the weight-space analyses as it is (core DenseNet64)', () => {
  // The process-wide registry, as the CLI fills it: a DenseNet64's activation id is looked up there.
  const host = plugins;
  if (!host.kind('activation').has('tanh')) registerCorePlugins(host);
  const root = mkdtempSync(join(tmpdir(), 'nnsym-trained-net-'));
  const dirs = [join(root, 'seed1'), join(root, 'seed2')];
  let ds: Dataset;
  let x: Mat;
  beforeAll(async () => {
    await initBackend();
    ds = await createFromPlugin(teacherStudentDataset, { d: 6, hidden: 5, classes: 3, nTrain: 192, nTest: 64, seed: 3 }).load();
    for (const [i, dir] of dirs.entries()) {
      await lastValueFrom(
        trainMlp({
          dataset: ds,
          arch: 'tanh-net',
          hidden: [8],
          epochs: 2,
          batchSize: 32,
          lr: 0.01,
          seed: i + 1,
          checkpointDir: dir,
          host,
        }).pipe(toArray()),
      );
    }
    x = zeros(40, 6);
    for (let i = 0; i < x.data.length; i++) x.data[i] = ds.test.x[i] * ds.test.scale;
  }, 60000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the checkpoint reads as a tanh-net DenseNet64 and loadMlpCheckpoint returns that same net', () => {
    const { net, fingerprint } = readDenseNet64(dirs[0]);
    expect(fingerprint.arch).toBe('tanh-net');
    expect(net.activation).toBe('tanh');
    expect(net.arch?.id).toBe('tanh-net');
    const loaded = loadMlpCheckpoint(dirs[0]).net;
    net.layers.forEach((l, i) => expect(bits(loaded.layers[i].W)).toEqual(bits(l.W)));
  });

  it('forward pass, similarity and alignment give the old adapter path numbers exactly', () => {
    const [a, b] = dirs.map((d) => readDenseNet64(d).net);
    const [oa, ob] = dirs.map((d) => oldLoad(d, host));
    const fa = forwardMlp(a, x);
    const ref = oldForward(oa, x);
    expect(bits(fa.out.data)).toEqual(bits(ref.out.data));
    expect(bits(fa.hidden[0].data)).toEqual(bits(ref.hidden[0].data));
    const metrics = ['cka', 'cka-unbiased', 'procrustes', 'grelu-cka', 'grelu-procrustes'] as const;
    expect(compareNetworks(a, b, x, metrics)).toEqual(compareLayerLists(ref.hidden, oldForward(ob, x).hidden, metrics));
    const r = alignMlp(a, b, { method: 'weights', scaling: false });
    expect(r.distanceBefore).toBe(relDistance(oldFlatten(oa), oldFlatten(ob)));
    expect(functionDiscrepancy(b, r.aligned, x)).toBeLessThan(1e-12);
  });

  it('the Noether functions take it too: forward64 is the same forward pass, and its symmetry generators apply', () => {
    const { net } = readDenseNet64(dirs[0]);
    const X = Float64Array.from(x.data);
    expect(bits(forward64(net, X, x.rows))).toEqual(bits(oldForward(oldLoad(dirs[0], host), x).out.data));
    const Y = new Float64Array(x.rows * 3);
    const { loss, grad } = lossAndGrad64(net, X, Y, x.rows, 'mse');
    expect(Number.isFinite(loss) && grad.every(Number.isFinite)).toBe(true);
    // The symmetry generators of the trained tanh-net and their charges at its parameters.
    const { generators, families } = mlpGenerators(net, { loss: 'mse' });
    expect(families.length).toBeGreaterThan(0);
    const theta = flatten(net);
    for (const g of generators) expect(Number.isFinite(charge(g, theta))).toBe(true);
  });

  it('a trained gauss-net is evaluated with its q(x): W1 exp(W0 x + b0 - q(x)) + b1, q = sb^2 + sw^2 |x|^2 / d_in', async () => {
    const dir = join(root, 'gauss');
    await lastValueFrom(
      trainMlp({ dataset: ds, arch: 'gauss-net', hidden: [8], epochs: 1, batchSize: 32, lr: 0.01, seed: 5, checkpointDir: dir, host }).pipe(
        toArray(),
      ),
    );
    const net = loadMlpCheckpoint(dir).net;
    expect([net.activation, net.arch]).toEqual(['gauss', { id: 'gauss-net', sigmaW: 1, sigmaB: 1 }]);
    const { out } = forwardMlp(net, x);
    // The closed form (arXiv 2008.08601 eq. 2.14 with sw = sb = 1, biases on), written out from the parameters.
    const [L0, L1] = net.layers;
    for (let r = 0; r < x.rows; r++) {
      let sq = 0;
      for (let k = 0; k < 6; k++) sq += x.data[r * 6 + k] ** 2;
      const q = 1 + sq / 6;
      const h = Array.from({ length: 8 }, (_, j) => {
        let z = L0.b![j];
        for (let k = 0; k < 6; k++) z += L0.W[j * 6 + k] * x.data[r * 6 + k];
        return Math.exp(z - q);
      });
      for (let c = 0; c < 3; c++) {
        const f = h.reduce((acc, hj, j) => acc + L1.W[c * 8 + j] * hj, L1.b![c]);
        // The same float64 operations in the same order, up to a few ulps of association: 1e-14 relative.
        expect(Math.abs(out.data[r * 3 + c] - f)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(f)));
      }
    }
    // Similarity works on it; alignment needs an elementwise phi and says so.
    expect(compareNetworks(net, net, x, ['cka'])[0].values.cka).toBeCloseTo(1, 12);
    expect(() => alignMlp(net, net)).toThrow(/activation "gauss" depends on the input/);
  });
});

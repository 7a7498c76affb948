import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { PluginHost } from '../registry/kinds';
import { registerNnPlugins } from '../nn/register-all';
import { createFromPlugin } from '../registry/plugin';
import { denseArchitecture } from '../nn/dense';
import { cloneDenseNet64, denseNet64Sizes, flattenDenseNet64, scalarActivation64, validateDenseNet64, type DenseNet64 } from '../nn/dense64';
import type { ArchitectureConfig, ArchitecturePlugin } from '../nn/types';
import { Rng } from '../rng/rng';
import { teacherStudentDataset } from '../datasets/teacher-student';
import type { Dataset } from '../datasets/types';
import type { NnsymEvent } from '../events/events';
import { trainArchitecture, trainableArchitectures } from './architecture';
import { readCheckpoint, writeCheckpoint, type ModelFingerprint } from './checkpoint';
import { denseNet64FromHost, denseNet64FromTensors, denseNet64MetaOf, denseNet64Shapes, denseNet64ToHost, denseNet64ToTensors, readDenseNet64 } from './dense64';
import { defaultMlpInit, mlpShapes } from './mlp';
import { registerTrainPlugins } from './register-all';
import { trainMlp, type TrainConfig } from './trainer';
import type { HostParams } from './types';

const host = new PluginHost();
registerNnPlugins(host);
registerTrainPlugins(host);

/** The bit patterns of float32 values (so -0, subnormals and infinities are compared exactly). */
const bits32 = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
const bits64 = (a: Float64Array) => Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength)));

/** Float32 parameters with awkward values: -0, the smallest subnormal, the largest finite float32, +-Infinity. */
function hostParams(sizes: number[], bias: boolean[], seed: number): HostParams {
  const rng = new Rng(seed);
  return sizes.slice(1).map((out, l) => {
    const w = rng.normalArray(out * sizes[l], 0, 1);
    if (l === 0) w.set([-0, 1.401298464324817e-45, 3.4028234663852886e38, -Infinity, Infinity]);
    return { out, in: sizes[l], w, b: bias[l] ? rng.normalArray(out, 0, 1) : undefined };
  });
}

describe('DenseNet64: the float64 dense-network value type', () => {
  const params = hostParams([3, 4, 2], [true, false], 1);

  it('float32 host parameters -> DenseNet64 -> float32 is bit-exact (widening to float64 is lossless)', () => {
    const net = denseNet64FromHost(params, { activation: 'tanh', arch: { id: 'tanh-net' } });
    expect(denseNet64Sizes(net)).toEqual([3, 4, 2]);
    expect(net.layers[1].b).toBeUndefined();
    net.layers.forEach((l, i) => expect(bits32(l.W)).toEqual(bits32(params[i].w)));
    const back = denseNet64ToHost(net);
    back.forEach((l, i) => {
      expect([l.out, l.in]).toEqual([params[i].out, params[i].in]);
      expect(bits32(l.w)).toEqual(bits32(params[i].w));
      expect(l.b === undefined).toBe(params[i].b === undefined);
      if (l.b) expect(bits32(l.b)).toEqual(bits32(params[i].b!));
    });
  });

  it('float64 values that are float32 numbers survive DenseNet64 -> float32 -> DenseNet64 bit for bit; others round to nearest', () => {
    const net = denseNet64FromHost(params, { activation: 'relu' });
    const again = denseNet64FromHost(denseNet64ToHost(net), { activation: 'relu' });
    again.layers.forEach((l, i) => expect(bits64(l.W)).toEqual(bits64(net.layers[i].W)));
    // A value between two float32 numbers goes to the nearest one (Math.fround is the IEEE round-to-nearest-even).
    const odd: DenseNet64 = { activation: 'relu', layers: [{ in: 2, out: 1, W: Float64Array.of(0.1, 1 + 2 ** -30) }] };
    expect(Array.from(denseNet64ToHost(odd)[0].w)).toEqual([Math.fround(0.1), 1]);
  });

  it("the trainer's tensors (internal [in, out] layout) -> DenseNet64 -> tensors is bit-exact and leaks no tensor", async () => {
    await initBackend();
    const net = denseNet64FromHost(params, { activation: 'tanh' });
    const before = tf.memory().numTensors;
    const tensors = denseNet64ToTensors(net);
    expect(tensors.map((t) => t.shape)).toEqual([[3, 4], [4], [4, 2]]);
    const back = denseNet64FromTensors(tensors, denseNet64Shapes(net), { activation: 'tanh' });
    tensors.forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    back.layers.forEach((l, i) => expect(bits64(l.W)).toEqual(bits64(net.layers[i].W)));
    expect(bits64(back.layers[0].b!)).toEqual(bits64(net.layers[0].b!));
  });

  it('a checkpoint reads back as the same bits, with its activation and architecture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-dense64-'));
    try {
      const fingerprint: ModelFingerprint = { arch: 'gauss-net', sizes: [3, 4, 2], bias: true, activation: 'gauss(sw=2,sb=0.5)', loss: 'xent', optimizer: 'adam', dataset: 'd', numClasses: 2 };
      const p = hostParams([3, 4, 2], [true, true], 2);
      writeCheckpoint(dir, { fingerprint, epoch: 3, batch: 0, step: 9, seed: 0, optimizerScalars: {}, history: [{ epoch: 2, testAccuracy: 0.5 }] }, p, []);
      const { net, epoch, lastMetrics } = readDenseNet64(dir);
      expect(net.activation).toBe('gauss');
      expect(net.arch).toEqual({ id: 'gauss-net', sigmaW: 2, sigmaB: 0.5 });
      expect([epoch, lastMetrics?.['testAccuracy']]).toEqual([3, 0.5]);
      expect(bits32(denseNet64ToHost(net).flatMap((l) => [...l.w, ...l.b!]))).toEqual(bits32(readCheckpoint(dir).params.flatMap((l) => [...l.w, ...l.b!])));
      expect(() => readDenseNet64(join(dir, 'nope'), { flag: '--a' })).toThrow(/^--a: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses the fingerprint label of an elementwise and of an input-dependent activation', () => {
    const fp = (activation: string, arch = 'mlp') => ({ arch, sizes: [1, 1], bias: true, activation, loss: 'xent', optimizer: 'adam', dataset: 'd', numClasses: 1 });
    expect(denseNet64MetaOf(fp('leaky-relu'))).toEqual({ activation: 'leaky-relu', arch: { id: 'mlp' } });
    expect(denseNet64MetaOf(fp('gauss(sw=1,sb=1)', 'gauss-net'))).toEqual({ activation: 'gauss', arch: { id: 'gauss-net', sigmaW: 1, sigmaB: 1 } });
  });

  it('validates shapes, clones deeply and flattens W_0, b_0, W_1, ...', () => {
    const net: DenseNet64 = { activation: 'relu', layers: [{ in: 2, out: 2, W: Float64Array.of(1, 2, 3, 4), b: Float64Array.of(5, 6) }, { in: 2, out: 1, W: Float64Array.of(7, 8) }] };
    expect(() => validateDenseNet64(net)).not.toThrow();
    expect(Array.from(flattenDenseNet64(net))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const c = cloneDenseNet64(net);
    c.layers[0].W[0] = 99;
    expect(net.layers[0].W[0]).toBe(1);
    expect(() => validateDenseNet64({ layers: [net.layers[0], { in: 3, out: 1, W: new Float64Array(3) }] })).toThrow(/layer 1 expects 3 inputs but layer 0 has 2 outputs/);
    expect(() => validateDenseNet64({ layers: [{ in: 2, out: 2, W: new Float64Array(3) }] })).toThrow(/layer 0 weight has 3 entries, expected 2x2/);
  });

  it("resolves a registry activation's float64 value and derivative", () => {
    const t = scalarActivation64('tanh', { host });
    // tanh'(z) = 1 - tanh(z)^2.
    expect(t.df(0.3)).toBeCloseTo(1 - Math.tanh(0.3) ** 2, 12);
    expect(t.f(0.3)).toBeCloseTo(Math.tanh(0.3), 14);
    expect(() => scalarActivation64('nope', { host, flag: '--activation' })).toThrow(/^--activation: unknown activation "nope"/);
  });
});

describe('trainArchitecture: what the trainer takes from a dense architecture', () => {
  it('every built-in is dense; families fix activation and depth, mlp takes them', () => {
    expect(trainableArchitectures(host)).toEqual(expect.arrayContaining(['relu-net', 'tanh-net', 'gauss-net', 'erf-net', 'mlp']));
    expect(trainArchitecture('gauss-net', { hidden: [16] }, host)).toEqual({ id: 'gauss-net', activation: 'gauss', sigmaW: 1, sigmaB: 1 });
    expect(trainArchitecture('mlp', { hidden: [8, 8], activation: 'erf' }, host)).toEqual({ id: 'mlp', activation: 'erf', sigmaW: 1, sigmaB: 1 });
    expect(() => trainArchitecture('tanh-net', { hidden: [8, 8] }, host)).toThrow(/^--hidden: tanh-net has exactly 1 hidden layer; got --hidden 8,8$/);
    expect(() => trainArchitecture('tanh-net', { hidden: [8], activation: 'relu' }, host)).toThrow(/^--activation: tanh-net uses tanh/);
    expect(() => trainArchitecture('nope', { hidden: [8] }, host)).toThrow(/^--arch: unknown architecture "nope"/);
  });

  it('refuses an architecture that does not declare itself dense, naming --arch', () => {
    const h = new PluginHost();
    registerNnPlugins(h);
    const plugin: ArchitecturePlugin = { meta: { id: 'conv-ish', kind: 'architecture', description: 'not dense', version: '1.0.0' }, configSchema: z.object({}), create: () => denseArchitecture('conv-ish', { width: 2, dIn: 1, dOut: 1, depth: 1, sigmaW: 1, sigmaB: 1, parameterization: 'standard', bias: true, activation: 'relu' }) };
    h.kind('architecture').register(plugin);
    expect(() => trainArchitecture('conv-ish', { hidden: [4] }, h)).toThrow(/^--arch: "conv-ish" is not a dense architecture, so it cannot be trained; trainable: .*tanh-net/);
  });
});

describe('trainMlp with an architecture', () => {
  let ds: Dataset;
  beforeAll(async () => {
    await initBackend();
    ds = await createFromPlugin(teacherStudentDataset, { d: 8, hidden: 6, classes: 3, nTrain: 256, nTest: 64, seed: 1 }).load();
  });
  const base = (over: Partial<TrainConfig> = {}): TrainConfig => ({ dataset: ds, hidden: [6], epochs: 2, batchSize: 32, optimizer: 'adam', lr: 0.01, seed: 7, host, ...over });
  const finalParams = async (c: TrainConfig): Promise<{ params: HostParams; events: NnsymEvent[] }> => {
    let params!: HostParams;
    const events = await lastValueFrom(trainMlp({ ...c, onFinish: (p) => (params = p) }).pipe(toArray()));
    return { params, events };
  };

  it('tanh-net trains exactly the mlp with --activation tanh (same init, same steps), recorded as tanh-net', async () => {
    const a = await finalParams(base({ arch: 'tanh-net' }));
    const b = await finalParams(base({ activation: 'tanh' }));
    expect(bits32(a.params.flatMap((l) => [...l.w, ...l.b!]))).toEqual(bits32(b.params.flatMap((l) => [...l.w, ...l.b!])));
    const start = a.events[0] as Extract<NnsymEvent, { type: 'run-start' }>;
    expect(start.config['arch']).toBe('tanh-net');
    expect(start.config['activation']).toBe('tanh');
  });

  it("gauss-net trains (q(x) from the architecture's sigma's) and its loss decreases", async () => {
    const { events } = await finalParams(base({ arch: 'gauss-net', hidden: [16], epochs: 6, lr: 0.02 }));
    const epochs = events.filter((e): e is Extract<NnsymEvent, { type: 'epoch-end' }> => e.type === 'epoch-end').map((e) => e.metrics['loss']);
    expect(epochs).toHaveLength(6);
    expect(epochs.every(Number.isFinite)).toBe(true);
    expect(epochs[5]).toBeLessThan(0.9 * epochs[0]);
    const start = events[0] as Extract<NnsymEvent, { type: 'run-start' }>;
    expect(start.config['activation']).toBe('gauss(sw=1,sb=1)');
  });

  it("the default init is the architecture's own N(0, sigma_w^2/fan_in), N(0, sigma_b^2)", async () => {
    const h = new PluginHost();
    registerNnPlugins(h);
    registerTrainPlugins(h);
    // A dense family whose config defaults to sigma_w = 2, sigma_b = 0.5.
    const schema = z
      .object({ width: z.number().default(4), dIn: z.number().default(1), dOut: z.number().default(1), bias: z.boolean().default(true) })
      .transform((c) => ({ ...c, depth: 1, sigmaW: 2, sigmaB: 0.5, parameterization: 'standard' as const, activation: 'tanh' })) as unknown as z.ZodType<ArchitectureConfig>;
    h.kind('architecture').register({ meta: { id: 'wide-tanh', kind: 'architecture', description: 'tanh, sigma_w 2', version: '1.0.0' }, configSchema: schema, create: (c: ArchitectureConfig) => denseArchitecture('wide-tanh', c), capabilities: { dense: { activation: 'tanh', depth: 1 } } } as ArchitecturePlugin);
    let initial!: HostParams;
    await lastValueFrom(trainMlp(base({ arch: 'wide-tanh', epochs: 1, host: h, hooks: [{ name: 'init', every: 1e9, compute: (c) => (c.step === 0 && (initial = c.params()), {}) }] })).pipe(toArray()));
    const expected = defaultMlpInit(mlpShapes({ sizes: [8, 6, 3], bias: true }), 7, { sw: 2, sb: 0.5 });
    expect(bits32(initial.flatMap((l) => [...l.w, ...l.b!]))).toEqual(bits32(expected.flatMap((l) => [...l.w, ...l.b!])));
  });
});

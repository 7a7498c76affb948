import { initBackend, tf, Rng } from '../index';
import { createArchitecture } from '../nn/create-architecture';
import { createActivation } from '../nn/resolve';
import { sampleHostParams } from '../nn/params';
import { erf } from '../nn/special';
import type { Activation, Architecture, HostParamSet, ParamLayout } from '../nn/types';
import { ensembleChunks, evaluateChunk, evaluateChunkTfjs } from './chunks';
import { chunkRng } from './plan';
import { chooseEnsemblePath, parseEnsemblePath } from './path';
import { compileHostNet, hostForward, hostForwardLoops } from './host-net';
import { evaluateChunkHost } from './host-chunk';
import { fastErf64, fastTanh64, hostActivation } from './host-activations';

beforeAll(async () => {
  await initBackend();
});

const X3 = [[0.1, 0.2, -0.3], [1, -1, 0.5], [0, 0.5, 2], [-0.7, 0.3, 0.1]];

/**
 * Independent float64 reference of a dense net from its sampled parameters (naive loops written from
 * docs/conventions.md, φ = `activation.scalar`, the Gauss-net q(x) = σ_b² [bias] + σ_w²|x|²/d_in), plus the scale
 * Σ|terms| of each output, which bounds the rounding error of any evaluation order.
 */
function reference(arch: Architecture, params: HostParamSet, i: number, x: number[][]): { f: number[]; scale: number[] } {
  const s = arch.spec;
  const L = arch.layout();
  const by = (n: string) => L.find((l) => l.name === n) as ParamLayout;
  const f: number[] = [];
  const scale: number[] = [];
  for (const xp of x) {
    const q = (s.bias ? s.sigmaB ** 2 : 0) + (s.sigmaW ** 2 * xp.reduce((a, v) => a + v * v, 0)) / s.dIn;
    let h = xp.slice();
    for (let l = 0; l <= s.depth; l++) {
      const W = by(`W${l}`);
      const [fo, fi] = W.shape;
      const w = params[`W${l}`].subarray(i * fo * fi, (i + 1) * fo * fi);
      const b = s.bias ? params[`b${l}`].subarray(i * fo, (i + 1) * fo) : undefined;
      const z: number[] = [];
      const zs: number[] = [];
      for (let j = 0; j < fo; j++) {
        let acc = 0;
        let abs = 0;
        for (let k = 0; k < fi; k++) {
          acc += w[j * fi + k] * h[k];
          abs += Math.abs(w[j * fi + k] * h[k]);
        }
        acc *= W.forwardScale;
        abs *= W.forwardScale;
        if (b) {
          acc += by(`b${l}`).forwardScale * b[j];
          abs += Math.abs(by(`b${l}`).forwardScale * b[j]);
        }
        z.push(acc);
        zs.push(abs);
      }
      if (l === s.depth) {
        f.push(...z);
        scale.push(...zs);
      } else h = z.map((v) => (arch.activation.needsContext ? arch.activation.scalar(v, q) : arch.activation.scalar(v)));
    }
  }
  return { f, scale };
}

const CASES: [string, Record<string, unknown>][] = [
  ['tanh-net', { width: 12, dIn: 3 }],
  ['gauss-net', { width: 9, dIn: 3, sigmaW: 1.3, sigmaB: 0.4 }],
  ['exp-net', { width: 7, dIn: 3, sigmaW: 0.8 }],
  ['erf-net', { width: 10, dIn: 3, dOut: 3, parameterization: 'ntk' }],
  ['relu-net', { width: 11, dIn: 3, dOut: 2, bias: false }],
  ['shallow', { width: 8, dIn: 3, activation: 'gelu' }],
  ['shallow', { width: 8, dIn: 3, activation: 'sigmoid', parameterization: 'ntk', sigmaB: 0.5 }],
  ['shallow', { width: 8, dIn: 3, activation: 'leaky-relu', activationConfig: { alpha: 0.2 } }],
  ['shallow', { width: 8, dIn: 3, activation: 'power', activationConfig: { degree: 3 } }],
  ['shallow', { width: 8, dIn: 3, activation: 'identity', dOut: 2 }],
  ['mlp', { width: 9, dIn: 3, depth: 3, activation: 'tanh', dOut: 2 }],
  ['linear-net', { width: 6, dIn: 3, depth: 0, dOut: 2 }],
  ['linear-net', { width: 6, dIn: 3, depth: 2, parameterization: 'ntk' }],
];

describe('host ensemble path', () => {
  test.each(CASES)('%s %j: same parameters as tfjs; both match the float64 reference to float32 rounding', (id, cfg) => {
    const arch = createArchitecture(id, cfg);
    const plan = { ensemble: 23, chunkSize: 10 };
    const x = tf.tensor2d(X3);
    const before = tf.memory().numTensors;
    const host = evaluateChunk(arch, x, 'h', plan, 1, undefined, true, { path: 'host' });
    expect(tf.memory().numTensors).toBe(before); // the host path creates no tensors
    const tfj = evaluateChunk(arch, x, 'h', plan, 1, undefined, true, { path: 'tfjs' });
    x.dispose();
    expect([host.path, tfj.path]).toEqual(['host', 'tfjs']);
    expect(host.params).toEqual(tfj.params); // bit-identical float32 parameters: same Rng streams
    expect(host.params).toEqual(sampleHostParams(arch.layout(), chunkRng('h', 1), 10));
    for (let i = 0; i < host.count; i++) {
      const { f, scale } = reference(arch, host.params as HostParamSet, i, X3);
      f.forEach((v, k) => {
        // float32 outputs (half-ulp 6e-8 relative) + float32 parameters and compute on tfjs (~eps32 · Σ|terms| per
        // layer) + the rational tanh/erf kernels (≤ 2.6e-7 absolute per unit, times the readout weights).
        const tol = 2e-6 * (Math.abs(v) + scale[k]) + 1e-6;
        expect(Math.abs(host.outputs[i * f.length + k] - v)).toBeLessThan(tol);
        expect(Math.abs(tfj.outputs[i * f.length + k] - v)).toBeLessThan(tol);
      });
    }
  });

  test('fused runs equal chunk-by-chunk regeneration, shards and the tfjs run (to float32 rounding)', () => {
    const arch = createArchitecture('tanh-net', { width: 20, dIn: 3, dOut: 2 });
    const opts = { arch, inputs: X3, ensemble: 45, chunkSize: 8, seed: 5 };
    const host = [...ensembleChunks({ ...opts, path: 'host' })];
    const tfj = [...ensembleChunks({ ...opts, path: 'tfjs' })];
    const net = compileHostNet(arch, X3.flat());
    const odd = [...ensembleChunks({ ...opts, path: 'host', shard: { index: 1, count: 2 } })];
    expect(odd.map((c) => c.chunk)).toEqual([1, 3, 5]);
    for (const c of odd) expect(c.outputs).toEqual(host[c.chunk].outputs);
    expect(evaluateChunkHost(net, 5, opts, 4).outputs).toEqual(host[4].outputs);
    host.forEach((c, k) => c.outputs.forEach((v, j) => expect(Math.abs(v - tfj[k].outputs[j])).toBeLessThan(5e-6 * (1 + Math.abs(v)))));
  });

  test('a custom sampler is used as given on the host path (chunk arrays, then the loops)', () => {
    const arch = createArchitecture('gauss-net', { width: 6, dIn: 3 });
    const sampler = (L: { shape: readonly number[]; name: string }, rng: Rng, m: number) => rng.uniformArray(m * L.shape.reduce((a, b) => a * b, 1), -1, 1);
    const x = tf.tensor2d(X3);
    const h = evaluateChunk(arch, x, 1, { ensemble: 5, chunkSize: 5 }, 0, sampler, true, { path: 'host' });
    const t = evaluateChunkTfjs(arch, x, 1, { ensemble: 5, chunkSize: 5 }, 0, sampler, true);
    x.dispose();
    expect(h.params).toEqual(t.params);
    h.outputs.forEach((v, j) => expect(Math.abs(v - t.outputs[j])).toBeLessThan(2e-6 * (1 + Math.abs(v))));
  });

  test('out: the outputs are a view of the caller buffer, reused chunk after chunk', () => {
    const arch = createArchitecture('relu-net', { width: 5, dIn: 3 });
    const net = compileHostNet(arch, X3.flat());
    const out = new Float32Array(100);
    const a = evaluateChunkHost(net, 0, { ensemble: 7, chunkSize: 4 }, 1, undefined, false, out);
    expect(a.outputs.buffer).toBe(out.buffer);
    expect(a.outputs.length).toBe(3 * 4);
    expect(Array.from(a.outputs)).toEqual(Array.from(evaluateChunkHost(net, 0, { ensemble: 7, chunkSize: 4 }, 1).outputs));
    expect(() => evaluateChunkHost(net, 0, { ensemble: 7, chunkSize: 4 }, 0, undefined, false, new Float32Array(3))).toThrow(/out has 3 floats/);
  });

  test('the generated one-hidden-layer kernel equals the generic loops; large P·d_out falls back to the loops', () => {
    for (const [id, cfg] of CASES.filter(([, c]) => c.depth === undefined)) {
      const arch = createArchitecture(id, cfg);
      const net = compileHostNet(arch, X3.flat());
      expect(net.shallow).toBeDefined();
      const rng = new Rng(9);
      const params = net.layout.map((L, k) => rng.normalArray(net.sizes[k]));
      const a = new Float32Array(net.P * net.dOut);
      const b = new Float32Array(net.P * net.dOut);
      hostForward(net, params, params.map(() => 0), a, 0);
      hostForwardLoops(net, params, params.map(() => 0), b, 0);
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v))));
    }
    const wide = compileHostNet(createArchitecture('tanh-net', { width: 4, dIn: 1, dOut: 2 }), Array.from({ length: 40 }, (_, i) => i / 40));
    expect(wide.shallow).toBeUndefined();
  });

  test('fast kernels: tanh within 3e-7 and erf within 1e-7 of float64 references; a changed built-in id falls back to its scalar', () => {
    let et = 0;
    let ee = 0;
    for (let z = -12; z <= 12; z += 0.0037) {
      et = Math.max(et, Math.abs(fastTanh64(z) - Math.tanh(z)));
      ee = Math.max(ee, Math.abs(fastErf64(z) - erf(z)));
    }
    expect(et).toBeLessThan(3e-7);
    expect(ee).toBeLessThan(1e-7);
    expect(hostActivation(createActivation('tanh')).kind).toBe('fast');
    const impostor: Activation = { ...createActivation('tanh'), scalar: (z: number) => Math.tanh(2 * z) };
    const h = hostActivation(impostor);
    expect(h.kind).toBe('scalar');
    const z = Float64Array.from([0.3]);
    h.kernel(z, 1, 1, new Float64Array(1));
    expect(z[0]).toBeCloseTo(Math.tanh(0.6), 14);
  });

  test('path choice: explicit request, env override, the measured rule, non-dense architectures', () => {
    const small = createArchitecture('erf-net', { width: 100, dIn: 3 });
    expect(chooseEnsemblePath(small, 8, 'auto', '').path).toBe('host');
    expect(chooseEnsemblePath(small, 8, 'auto', 'tfjs')).toEqual({ path: 'tfjs', reason: 'NNSYM_ENSEMBLE_PATH=tfjs' });
    expect(chooseEnsemblePath(small, 8, 'host', 'tfjs').path).toBe('host');
    expect(() => chooseEnsemblePath(small, 8, 'auto', 'gpu')).toThrow(/NNSYM_ENSEMBLE_PATH must be host, tfjs or auto/);
    expect(parseEnsemblePath(' HOST ')).toBe('host');
    const copy: Architecture = { ...small }; // same fields, not built by denseArchitecture: apply could be anything
    expect(chooseEnsemblePath(copy, 8, 'auto', 'host').path).toBe('tfjs');
    expect(() => chooseEnsemblePath(copy, 8, 'host', '')).toThrow(/needs a built-in dense architecture/);
    // the measured rule: one hidden layer, erf or gelu, few inputs
    expect(chooseEnsemblePath(small, 64, 'auto', '').path).toBe('tfjs');
    expect(chooseEnsemblePath(createArchitecture('relu-net', { width: 100, dIn: 3 }), 8, 'auto', '').path).toBe('tfjs');
    expect(chooseEnsemblePath(createArchitecture('shallow', { width: 100, dIn: 1, activation: 'gelu' }), 6, 'auto', '').path).toBe('host');
    expect(chooseEnsemblePath(createArchitecture('tanh-net', { width: 100, dIn: 3 }), 8, 'auto', '').path).toBe('tfjs');
    expect(chooseEnsemblePath(createArchitecture('mlp', { width: 100, depth: 2, dIn: 3, activation: 'erf' }), 8, 'auto', '').path).toBe('tfjs');
  });
});

describe('Rng.fillNormal (inlined)', () => {
  test('is bit-identical to mean + std · normal() draw by draw, for float32 and float64 targets', () => {
    const a = new Rng(11, ['x']);
    const b = new Rng(11, ['x']);
    const f64 = a.fillNormal(new Float64Array(50000), 0.5, 1.7);
    for (let i = 0; i < f64.length; i++) if (f64[i] !== 0.5 + 1.7 * b.normal()) throw new Error(`draw ${i} differs`);
    const f32 = a.fillNormal(new Float32Array(30000), 0, 0.3);
    const ref = new Float32Array(30000);
    for (let i = 0; i < ref.length; i++) ref[i] = 0 + 0.3 * b.normal();
    expect(f32).toEqual(ref);
    expect(a.nextUint32()).toBe(b.nextUint32()); // state written back, tails included (~800 tail draws here)
  });
});

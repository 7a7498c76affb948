import { initBackend, tf, Rng } from '../../index';
import type { Tensor } from '../../tf';
import { createArchitecture } from '../create-architecture';
import { sampleHostParams, uploadParams, disposeParams } from '../params';
import type { Architecture, ArchitecturePlugin, HostParamSet } from '../types';
import type { Tensor3D } from '../../tf';
import { PluginHost } from '../../registry/kinds';
import type { ConfigOf } from '../../registry/plugin';
import { reluNetArchitecture } from './relu-net';
import { BUILTIN_ARCHITECTURES } from './builtin';
import { runArchitectureConformance } from '../../testing/nn-conformance';

beforeAll(async () => {
  await initBackend();
});

/**
 * Independent float64 reference of the conventions in docs/conventions.md: h_0 = x,
 * z_l = s_W,l W_l h_l + s_b,l b_l (s = forward scales: 1 standard; σ_w/√fan_in and σ_b for ntk),
 * h_{l+1} = φ(z_l) for hidden layers; the Gauss-net φ(z; x) = exp(z − σ_b² − σ_w²|x|²/d_in).
 */
function reference(arch: Architecture, host: HostParamSet, m: number, x: number[][]): number[][] {
  const { spec } = arch;
  const sizes = [spec.dIn, ...Array(spec.depth).fill(spec.width), spec.dOut];
  const ntk = spec.parameterization === 'ntk';
  const act = arch.activation;
  return x.map((xp) => {
    const q = (spec.bias ? spec.sigmaB ** 2 : 0) + (spec.sigmaW ** 2 * xp.reduce((s, v) => s + v * v, 0)) / spec.dIn;
    let h = xp.slice();
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fi, fo] = [sizes[l], sizes[l + 1]];
      const W = host[`W${l}`];
      const b = host[`b${l}`];
      const sw = ntk ? spec.sigmaW / Math.sqrt(fi) : 1;
      const sb = ntk ? spec.sigmaB : 1;
      const z = Array.from({ length: fo }, (_, o) => {
        let s = 0;
        for (let i = 0; i < fi; i++) s += W[m * fo * fi + o * fi + i] * h[i];
        return sw * s + (spec.bias ? sb * b[m * fo + o] : 0);
      });
      h = l + 2 === sizes.length ? z : z.map((v) => act.scalar(v, q));
    }
    return h; // [d_out]
  });
}

function evaluate(arch: Architecture, host: HostParamSet, m: number, x: number[][]): Float32Array {
  const params = uploadParams(arch.layout(), host, m);
  const xt = tf.tensor2d(x);
  const f = arch.apply(params, xt);
  expect(f.shape).toEqual([m, x.length, arch.spec.dOut]);
  const v = f.dataSync() as Float32Array;
  f.dispose();
  xt.dispose();
  disposeParams(params);
  return v;
}

const CASES: [string, Record<string, unknown>][] = [
  ['gauss-net', { sigmaW: 1.3, sigmaB: 0.7 }],
  ['exp-net', { sigmaW: 0.8, sigmaB: 0.5 }],
  ['erf-net', {}],
  ['relu-net', { parameterization: 'ntk' }],
  ['tanh-net', { bias: false }],
  ['shallow', { activation: 'leaky-relu', activationConfig: { alpha: 0.3 } }],
  ['shallow', { activation: 'power', activationConfig: { degree: 2 }, parameterization: 'ntk', sigmaW: 1.5 }],
  ['mlp', { depth: 3, activation: 'gelu' }],
  ['mlp', { depth: 2, activation: 'sigmoid', parameterization: 'ntk', sigmaB: 0.3 }],
  ['linear-net', { depth: 2 }],
  ['linear-net', { depth: 0, dOut: 1 }],
];

describe('architectures', () => {
  test('relu-net and gauss-net on a 2-unit network, computed by hand', () => {
    // W0 = [1, −1]^T, b0 = [0, 0.5], W1 = [[2, 3]], b1 = [0.1], x = 0.5:
    // z = [0.5, 0]; relu: h = [0.5, 0], f = 2·0.5 + 0.1 = 1.1.
    // gauss (σ_w = σ_b = 1, d_in = 1): q = 1 + 0.25; f = 2 e^{0.5−1.25} + 3 e^{−1.25} + 0.1.
    const host: HostParamSet = { W0: Float32Array.of(1, -1), b0: Float32Array.of(0, 0.5), W1: Float32Array.of(2, 3), b1: Float32Array.of(0.1) };
    const relu = createArchitecture('relu-net', { width: 2 });
    expect(evaluate(relu, host, 1, [[0.5]])[0]).toBeCloseTo(1.1, 6);
    const gauss = createArchitecture('gauss-net', { width: 2 });
    expect(evaluate(gauss, host, 1, [[0.5]])[0]).toBeCloseTo(2 * Math.exp(-0.75) + 3 * Math.exp(-1.25) + 0.1, 6);
    // NTK parameterisation (σ_w = 2, σ_b = 0.5, N = 2): z = 2·W0 x + 0.5 b0 = [1, −0.75]; h = [1, 0];
    // f = (2/√2)·(2·1) + 0.5·0.1 = 2√2 + 0.05.
    const ntk = createArchitecture('relu-net', { width: 2, sigmaW: 2, sigmaB: 0.5, parameterization: 'ntk' });
    expect(evaluate(ntk, host, 1, [[0.5]])[0]).toBeCloseTo(2 * Math.SQRT2 + 0.05, 5);
  });

  for (const [id, cfg] of CASES) {
    test(`${id} ${JSON.stringify(cfg)}: matches the float64 reference forward pass on 3 networks`, () => {
      const arch = createArchitecture(id, { width: 7, dIn: 2, dOut: 2, ...cfg });
      const m = 3;
      const host = sampleHostParams(arch.layout(), new Rng(11), m);
      const x = [[0.3, -0.2], [1, 0.5], [-0.7, 0.1], [0, 0]];
      const before = tf.memory().numTensors;
      const got = evaluate(arch, host, m, x);
      expect(tf.memory().numTensors).toBe(before);
      const P = x.length;
      const dOut = arch.spec.dOut;
      for (let net = 0; net < m; net++) {
        const ref = reference(arch, host, net, x);
        for (let p = 0; p < P; p++) {
          for (let d = 0; d < dOut; d++) {
            const r = ref[p][d];
            expect(Math.abs(got[(net * P + p) * dOut + d] - r)).toBeLessThan(1e-5 * Math.max(1, Math.abs(r)));
          }
        }
      }
    });
  }

  test('layout: shapes [fan_out, fan_in], std σ_w/√fan_in (standard) or 1 with the scale in the forward pass (ntk)', () => {
    const s = createArchitecture('mlp', { width: 16, dIn: 4, dOut: 3, depth: 2, sigmaW: 2, sigmaB: 0.5 }).layout();
    expect(s.map((L) => [L.name, L.shape, L.fanIn, L.role, L.layer, L.output])).toEqual([
      ['W0', [16, 4], 4, 'weight', 0, false],
      ['b0', [16], 4, 'bias', 0, false],
      ['W1', [16, 16], 16, 'weight', 1, false],
      ['b1', [16], 16, 'bias', 1, false],
      ['W2', [3, 16], 16, 'weight', 2, true],
      ['b2', [3], 16, 'bias', 2, true],
    ]);
    expect(s[0].std).toBeCloseTo(1, 12); // 2/√4
    expect(s[2].std).toBeCloseTo(0.5, 12); // 2/√16
    expect(s[1].std).toBe(0.5);
    const n = createArchitecture('mlp', { width: 16, dIn: 4, sigmaW: 2, sigmaB: 0.5, parameterization: 'ntk' }).layout();
    expect(n.map((L) => L.std)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(n[0].forwardScale).toBeCloseTo(1, 12);
    expect(n[1].forwardScale).toBe(0.5);
  });

  test('singleHidden: the exact-in-N view with the Gauss-net normalisation', () => {
    const a = createArchitecture('gauss-net', { dIn: 2, sigmaW: 2, sigmaB: 0.5, width: 10 });
    const sh = a.singleHidden!;
    expect(sh.preVariance([1, 1])).toBeCloseTo(0.25 + (4 * 2) / 2, 12);
    expect(sh.phi(0.3, [1, 1])).toBeCloseTo(Math.exp(0.3 - 4.25), 12);
    expect({ ...sh, activation: undefined, phi: undefined, preVariance: undefined }).toMatchObject({ sigmaW: 2, sigmaB: 0.5, dIn: 2, dOut: 1, width: 10, bias: true, parameterization: 'standard' });
    expect(a.capabilities).toMatchObject({ singleHidden: true, inputDependentActivation: true, depth: 1 });
    expect(createArchitecture('mlp', { depth: 2 }).singleHidden).toBeUndefined();
  });

  test('bad configs and inputs: one-line errors naming the field', () => {
    expect(() => createArchitecture('relu-nett')).toThrow(/unknown architecture "relu-nett" \(did you mean "relu-net"\?\); known: gauss-net/);
    expect(() => createArchitecture('relu-net', { width: 0 })).toThrow(/architecture "relu-net": config.width: width must be positive/);
    expect(() => createArchitecture('relu-net', { sigmaW: Infinity })).toThrow(/config.sigmaW/);
    expect(() => createArchitecture('relu-net', { activation: 'tanh' })).toThrow(/^architecture "relu-net": config.activation: this family uses relu \(use shallow or mlp/);
    expect(() => createArchitecture('relu-net', { depth: 2 })).toThrow(/config.depth: this family has exactly one hidden layer/);
    expect(createArchitecture('relu-net', { depth: 1, activation: 'relu' }).spec).toMatchObject({ depth: 1, activation: 'relu' }); // NetSpec-shaped configs
    expect(createArchitecture('linear-net', { activation: 'identity', depth: 0 }).spec.depth).toBe(0);
    expect(() => createArchitecture('mlp', { activation: 'gauss', depth: 2 })).toThrow(/needs exactly one hidden layer/);
    expect(() => createArchitecture('shallow', { activation: 'nope' })).toThrow(/unknown activation "nope"/);
    const arch = createArchitecture('relu-net', { dIn: 3 });
    const p = arch.init(new Rng(0), 2);
    const x = tf.tensor2d([[1, 2]]);
    expect(() => arch.apply(p, x)).toThrow(/expected \[P, 3\]/);
    x.dispose();
    disposeParams(p);
  });

  test('apply does not leak across repeated calls', () => {
    const arch = createArchitecture('mlp', { depth: 2, width: 8, dIn: 2, dOut: 3, activation: 'tanh' });
    const p = arch.init(new Rng(1), 5);
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) (arch.apply(p, x) as Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    disposeParams(p);
  });
});

describe('conformance', () => {
  test.each(BUILTIN_ARCHITECTURES.map((p) => [p.meta.id, p] as const))('%s passes runArchitectureConformance', (_id, p) => {
    expect(runArchitectureConformance(p, { width: 5, dIn: 2, dOut: 2 })).toEqual([]);
  });

  test('every built-in declares its capabilities, and the conformance suite checks them (wrong declarations fail)', () => {
    for (const p of BUILTIN_ARCHITECTURES) expect([p.meta.id, p.capabilities?.dense !== undefined, p.capabilities?.symmetry !== undefined]).toEqual([p.meta.id, true, true]);
    const relu = BUILTIN_ARCHITECTURES.find((p) => p.meta.id === 'relu-net') as ArchitecturePlugin;
    const mlp = BUILTIN_ARCHITECTURES.find((p) => p.meta.id === 'mlp') as ArchitecturePlugin;
    const cfg = { width: 5, dIn: 2, dOut: 2 };
    expect(runArchitectureConformance({ ...relu, capabilities: { dense: { activation: 'tanh', depth: 1 } } }, cfg)).toEqual([
      'capabilities.dense.activation is "tanh" but the instance uses "relu"',
    ]);
    expect(runArchitectureConformance({ ...mlp, capabilities: { engines: { exact: true } } }, { ...cfg, depth: 2 })).toEqual([
      'capabilities.engines (exact) need one hidden layer with singleHidden, got depth 2',
    ]);
    // A read-out that is not linear (tanh of the outputs) and a first layer that sees |x_0|: both declarations fail.
    const bent: ArchitecturePlugin = {
      ...relu,
      create: (c) => {
        const a = relu.create(c);
        return { ...a, apply: (params, x) => tf.tidy(() => tf.tanh(a.apply(params, tf.abs(x) as typeof x))) as Tensor3D };
      },
      capabilities: { symmetry: { firstLayerLinear: true, lastLayerLinear: true } },
    };
    expect(runArchitectureConformance(bent, cfg)).toEqual([
      'capabilities.symmetry.lastLayerLinear: doubling the output layer does not double f',
      'capabilities.symmetry.firstLayerLinear: f(ρx; W0) ≠ f(x; W0 ρ) for the reflection ρ of coordinate 0',
    ]);
  });

  test('typed lookups: the id map of a kind types get() by id (ArchitectureMap is augmented in each plugin file)', () => {
    const host = new PluginHost();
    for (const p of BUILTIN_ARCHITECTURES) host.kind('architecture').register(p);
    // Checked by `typecheck`: a mapped id gets its plugin's own config type, an unmapped id the kind's (any config).
    type IsAny<T> = 0 extends 1 & T ? true : false;
    const relu = host.kind('architecture').get('relu-net');
    const mapped: IsAny<ConfigOf<typeof relu>> = false;
    const widthIsNumber: ConfigOf<typeof relu>['width'] = 5;
    const other = host.kind('architecture').get(String('mlp'));
    const unmapped: IsAny<ConfigOf<typeof other>> = true;
    expect([relu === reluNetArchitecture, other.meta.id, mapped, unmapped, widthIsNumber]).toEqual([true, 'mlp', false, true, 5]);
  });
});

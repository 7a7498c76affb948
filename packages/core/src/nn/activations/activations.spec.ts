import { initBackend, tf } from '../../index';
import { PluginHost } from '../../registry/kinds';
import { createActivation } from '../resolve';
import { erf, normalCdf } from '../special';
import { registerNnPlugins } from '../register-all';
import { BUILTIN_ACTIVATIONS } from './builtin';
import { reluActivation } from './relu';
import { fastExp } from './exp';
import { fastTanh } from './tanh';
import type { Tensor } from '../../tf';
import { runActivationConformance } from '../../testing/nn-conformance';

beforeAll(async () => {
  await initBackend();
});

const Z = [-2.5, -1, -0.3, 0, 0.4, 1, 3];

/**
 * Hand values. erf(1) = 0.8427007929497149 and Φ(1) = 0.8413447460685429 are the tabulated values (Abramowitz &
 * Stegun 7.1, 26.2); tanh(1) = (e² − 1)/(e² + 1); sigmoid(x) = 1/(1 + e^{−x}).
 */
const HAND: Record<string, { config?: Record<string, unknown>; f: (z: number) => number; at: [number, number][] }> = {
  relu: { f: (z) => (z > 0 ? z : 0), at: [[-1, 0], [2, 2]] },
  'leaky-relu': { config: { alpha: 0.2 }, f: (z) => (z > 0 ? z : 0.2 * z), at: [[-1, -0.2], [3, 3]] },
  gelu: { f: (z) => z * normalCdf(z), at: [[1, 0.8413447460685429], [-1, -0.15865525393145707]] },
  tanh: { f: (z) => (Math.exp(2 * z) - 1) / (Math.exp(2 * z) + 1), at: [[1, (Math.E ** 2 - 1) / (Math.E ** 2 + 1)]] },
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), at: [[0, 0.5], [Math.log(3), 0.75]] },
  erf: { f: (z) => erf(z), at: [[1, 0.8427007929497149], [-0.5, -0.5204998778130465], [3, 0.9999779095030014]] },
  exp: { f: Math.exp, at: [[1, Math.E], [0, 1]] },
  identity: { f: (z) => z, at: [[0.3, 0.3]] },
  power: { config: { degree: 3 }, f: (z) => z * z * z, at: [[-2, -8], [0.5, 0.125]] },
};

describe('activations', () => {
  for (const [id, h] of Object.entries(HAND)) {
    test(`${id}: scalar matches hand values, tensor form matches scalar in float32`, () => {
      const act = createActivation(id, h.config ?? {});
      for (const [z, v] of h.at) expect(act.scalar(z)).toBeCloseTo(v, 12);
      for (const z of Z) expect(act.scalar(z)).toBeCloseTo(h.f(z), 12);
      const before = tf.memory().numTensors;
      const out = tf.tidy(() => act.apply(tf.tensor1d(Z)));
      const got = out.dataSync();
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      Z.forEach((z, i) => expect(Math.abs(got[i] - h.f(z))).toBeLessThan(2e-6 * Math.max(1, Math.abs(h.f(z)))));
    });

    test(`${id}: derivative matches a central difference; declared traits hold`, () => {
      const act = createActivation(id, h.config ?? {});
      for (const z of Z.filter((v) => v !== 0)) {
        const e = 1e-6;
        const fd = (act.scalar(z + e) - act.scalar(z - e)) / (2 * e);
        expect(act.derivative?.(z)).toBeCloseTo(fd, 5);
      }
      const t = act.traits;
      for (const z of Z) {
        if (t.odd) expect(act.scalar(-z)).toBeCloseTo(-act.scalar(z), 12);
        if (t.even) expect(act.scalar(-z)).toBeCloseTo(act.scalar(z), 12);
        if (t.positivelyHomogeneous) expect(act.scalar(2.5 * z)).toBeCloseTo(2.5 ** (t.degree as number) * act.scalar(z), 10);
      }
    });
  }

  test('traits are not over-claimed: tanh is odd, not even; relu is not odd; gelu has no symmetry', () => {
    expect(createActivation('tanh').traits).toEqual({ odd: true });
    expect(createActivation('relu').traits.odd).toBeUndefined();
    expect(createActivation('gelu').traits).toEqual({});
    expect(createActivation('power', { degree: 2 }).traits).toMatchObject({ even: true, odd: false, degree: 2 });
  });

  test('gauss: exp(z − q) with the per-input q broadcast on the last axis; needs its context', () => {
    const g = createActivation('gauss');
    expect(g.needsContext).toBe(true);
    expect(g.scalar(1, 1)).toBe(1);
    expect(g.scalar(0.5, 2)).toBeCloseTo(Math.exp(-1.5), 14);
    const out = tf.tidy(() => g.apply(tf.tensor2d([[0, 1], [2, 3]]), { preVar: tf.tensor1d([1, 2]) }));
    const v = out.dataSync();
    out.dispose();
    [Math.exp(-1), Math.exp(-1), Math.exp(1), Math.exp(1)].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 5));
    expect(() => g.apply(tf.scalar(0))).toThrow(/depends on the input/);
  });

  test('erf in float64 against tabulated values, both branches of the implementation', () => {
    // A&S table 7.1 and erfc(4) = 1.541725790028002e-8.
    expect(erf(0.1)).toBeCloseTo(0.1124629160182849, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(1 - erf(4)).toBeCloseTo(1.541725790028002e-8, 15);
    expect(erf(-2.6)).toBeCloseTo(-0.9997639655834707, 15);
  });

  test('unknown ids and bad configs are one-line errors naming the known ids / field', () => {
    expect(() => createActivation('relux')).toThrow(/unknown activation "relux" \(did you mean "relu"\?\); known: relu, leaky-relu/);
    expect(() => createActivation('power', { degree: 1.5 })).toThrow(/activation "power": config.degree/);
    expect(() => createActivation('relu', { alpha: 1 })).toThrow(/config/);
  });

  test('registerNnPlugins registers every built-in once (idempotent)', () => {
    const host = new PluginHost();
    registerNnPlugins(host);
    registerNnPlugins(host);
    expect(host.kind('activation').ids()).toEqual(BUILTIN_ACTIVATIONS.map((p) => p.meta.id));
    expect(host.kind('architecture').ids()).toEqual(['gauss-net', 'exp-net', 'erf-net', 'relu-net', 'tanh-net', 'shallow', 'mlp', 'linear-net']);
  });
});

describe('conformance', () => {
  test.each(BUILTIN_ACTIVATIONS.map((p) => [p.meta.id, p] as const))('%s passes runActivationConformance', (_id, p) => {
    const cfg = p.meta.id === 'power' ? { degree: 3 } : {};
    expect(runActivationConformance(p, cfg)).toEqual([]);
  });

  test('catches a wrong plugin: relu declared odd with a tanh tensor form', () => {
    const bad = { ...reluActivation, create: () => ({ ...reluActivation.create({}), apply: (z: Tensor) => tf.tanh(z), traits: { odd: true } }) };
    const f = runActivationConformance(bad);
    expect(f.some((m) => m.startsWith('apply(-3)'))).toBe(true);
    expect(f.some((m) => m.startsWith('declared odd'))).toBe(true);
  });

  test('fast float32 forms: σ(z)/σ(−z) = e^z and 2σ(2z) − 1 = tanh z over the float32 range', () => {
    const zs = Array.from({ length: 1601 }, (_, i) => -80 + i * 0.1);
    const [e, t] = tf.tidy(() => [fastExp(tf.tensor1d(zs)).dataSync(), fastTanh(tf.tensor1d(zs)).dataSync()]);
    zs.forEach((z, i) => {
      const zf = Math.fround(z);
      expect(Math.abs(e[i] - Math.exp(zf)) / Math.exp(zf)).toBeLessThan(1e-6);
      expect(Math.abs(t[i] - Math.tanh(zf))).toBeLessThan(3e-7);
    });
  });
});

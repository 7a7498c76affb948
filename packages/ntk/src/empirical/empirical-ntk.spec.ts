import { erf, initBackend, tf, type Tensor, type Tensor3D } from '@nnsym/core';
import { mlpKernels } from '../analytic/mlp-kernels';
import { denseTestNet } from '../testing/dense-test-net';
import { empiricalNtk } from './empirical-ntk';
import { KernelAccumulator } from './kernel-accumulator';
import { mlpStructuredNtk } from './structured-mlp';

const X = [[1, 0], [0.6, 0.8], [-0.5, 0.3]];

beforeAll(async () => {
  await initBackend();
});

describe('empirical NTK (generic VJP path)', () => {
  it('one network, one hidden erf layer: equals the hand-derived per-network NTK', () => {
    // NTK parameterisation, f = (σ_w/√N) Σ_j v_j φ(z_j) + σ_b c, z_j = (σ_w/√d) w_j·x + σ_b b_j. Gradients:
    // ∂f/∂v_j = (σ_w/√N) φ_j, ∂f/∂c = σ_b, ∂f/∂w_jk = (σ_w/√N) v_j φ'_j (σ_w/√d) x_k, ∂f/∂b_j = (σ_w/√N) v_j φ'_j σ_b, so
    // Θ(x,x') = σ_w²/N Σ_j φ_j φ'_j + σ_b² + σ_w²/N Σ_j v_j² φ'_j(x) φ'_j(x') (σ_w² x·x'/d + σ_b²).
    const [sw, sb, N, d] = [1.3, 0.4, 16, 2];
    const { arch, params } = denseTestNet({ dIn: d, width: N, depth: 1, dOut: 1, M: 1, seed: 7, activation: 'erf', sigmaW: sw, sigmaB: sb });
    const r = empiricalNtk(arch, params, X, { mode: 'trace' });
    const W = params.W0.arraySync() as number[][][];
    const b = params.b0.arraySync() as number[][];
    const v = params.W1.arraySync() as number[][][];
    const z = (x: number[], j: number) => (sw / Math.sqrt(d)) * (W[0][0][j] * x[0] + W[0][1][j] * x[1]) + sb * b[0][j];
    const dphi = (t: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t);
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        let t = sb * sb;
        const base = (sw * sw * (X[i][0] * X[k][0] + X[i][1] * X[k][1])) / d + sb * sb;
        for (let j = 0; j < N; j++) {
          t += ((sw * sw) / N) * erf(z(X[i], j)) * erf(z(X[k], j));
          t += ((sw * sw) / N) * v[0][j][0] ** 2 * dphi(z(X[i], j)) * dphi(z(X[k], j)) * base;
        }
        expect(Math.abs(r.mean[i * 3 + k] - t)).toBeLessThan(1e-5 * Math.max(1, Math.abs(t)));
      }
    }
    expect(r.paramCount).toBe(2 * N + N + N + 1);
    Object.values(params).forEach((p) => p.dispose());
  });

  it('full, trace and diagonal modes agree; multi-output blocks; blocks of 2 equal one block; no tensor leaks', () => {
    const { arch, params } = denseTestNet({ dIn: 2, width: 8, depth: 2, dOut: 3, M: 2, seed: 3, activation: 'tanh' });
    const before = tf.memory().numTensors;
    const full = empiricalNtk(arch, params, X, { mode: 'full' });
    const trace = empiricalNtk(arch, params, X, { mode: 'trace', batchSize: 2 });
    const diag = empiricalNtk(arch, params, X, { mode: 'diagonal', batchSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const S = 9;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let a = 0; a < 3; a++) s += full.mean[(i * 3 + a) * S + j * 3 + a];
        expect(trace.mean[i * 3 + j]).toBeCloseTo(s / 3, 4);
      }
      expect(diag.mean[i]).toBeCloseTo(trace.mean[i * 3 + i], 4);
    }
    Object.values(params).forEach((p) => p.dispose());
  });

  it('ensemble mean equals the analytic NTK within 4 standard errors (one hidden relu layer, N = 32, M = 64)', () => {
    // For one hidden layer the expected empirical NTK equals the analytic one at every width (layer-1
    // pre-activations are exactly Gaussian), so the check is exact up to Monte-Carlo error.
    const [sw, sb] = [1.2, 0.5];
    const acc = new KernelAccumulator(9);
    for (let chunk = 0; chunk < 2; chunk++) {
      const { arch, params } = denseTestNet({ dIn: 2, width: 32, depth: 1, dOut: 1, M: 32, seed: 100 + chunk, activation: 'relu', sigmaW: sw, sigmaB: sb });
      empiricalNtk(arch, params, X, { mode: 'trace', acc });
      Object.values(params).forEach((p) => p.dispose());
    }
    const ana = mlpKernels({ activation: 'relu', depth: 1, sigmaW: sw, sigmaB: sb, parameterization: 'ntk' }, X);
    const mean = acc.mean();
    const se = acc.stderr();
    expect(acc.count).toBe(64);
    for (let i = 0; i < 9; i++) expect(Math.abs(mean[i] - (ana.ntk as Float64Array)[i])).toBeLessThan(4 * se[i]);
  });

  it('standard parameterisation: ensemble mean equals the width-dependent analytic NTK within 4 SE', () => {
    const [sw, sb, N] = [1, 0.7, 24];
    const { arch, params } = denseTestNet({ dIn: 2, width: N, depth: 1, dOut: 1, M: 64, seed: 11, activation: 'erf', sigmaW: sw, sigmaB: sb, parameterization: 'standard' });
    const r = empiricalNtk(arch, params, X, { mode: 'trace' });
    const ana = mlpKernels({ activation: 'erf', depth: 1, sigmaW: sw, sigmaB: sb, width: N, parameterization: 'standard' }, X);
    for (let i = 0; i < 9; i++) expect(Math.abs(r.mean[i] - (ana.ntk as Float64Array)[i])).toBeLessThan(4 * r.stderr[i]);
    Object.values(params).forEach((p) => p.dispose());
  });
});

describe('KernelAccumulator', () => {
  it('addFilled (fill in place) equals add, bit for bit, from the first sample on', () => {
    const xs = [[1, 5, -2], [2, 3, 0.5], [4, 4, 1e-3], [0, -1, 7]];
    const a = new KernelAccumulator(3);
    const b = new KernelAccumulator(3);
    xs.forEach((x) => (a.add(x), b.addFilled((out) => out.set(x))));
    expect(b.count).toBe(4);
    expect(Array.from(b.mean())).toEqual(Array.from(a.mean()));
    expect(Array.from(b.stderr())).toEqual(Array.from(a.stderr()));
    // one sample: the mean is the sample, the standard error undefined
    const c = new KernelAccumulator(2);
    c.addFilled((out) => out.set([3, -4]));
    expect(Array.from(c.mean())).toEqual([3, -4]);
    expect(Array.from(c.stderr()).every(Number.isNaN)).toBe(true);
  });

  it('merging two halves equals accumulating all (exactly, up to rounding)', () => {
    const a = new KernelAccumulator(2);
    const b = new KernelAccumulator(2);
    const all = new KernelAccumulator(2);
    const xs = [[1, 5], [2, 3], [4, 4], [0, -1], [7, 2]];
    xs.forEach((x, i) => ((i < 2 ? a : b).add(x), all.add(x)));
    a.merge(b);
    expect(Array.from(a.mean())).toEqual(Array.from(all.mean()).map((v) => expect.closeTo(v, 12)));
    expect(Array.from(a.stderr())).toEqual(Array.from(all.stderr()).map((v) => expect.closeTo(v, 12)));
    expect(all.mean()[0]).toBeCloseTo(2.8, 14);
  });
});

describe('structured MLP NTK (closed-form layer Jacobians) vs the generic VJP path', () => {
  for (const [parameterization, M] of [['ntk', 2], ['standard', 2], ['ntk', 1]] as const) {
    it(`depth 2, 3 outputs, ${parameterization}, M = ${M}: full, trace and diagonal agree to float32 accuracy`, () => {
      const o = { dIn: 2, width: 6, depth: 2, dOut: 3, M, seed: 5, activation: 'erf' as const, sigmaW: 1.4, sigmaB: 0.3, parameterization };
      const { arch, params } = denseTestNet(o);
      const net = { weights: [0, 1, 2].map((l) => params[`W${l}`]) as Tensor3D[], biases: [0, 1, 2].map((l) => params[`b${l}`]), phi: (z: Tensor) => tf.erf(z), parameterization, sigmaW: 1.4, sigmaB: 0.3 };
      const before = tf.memory().numTensors;
      for (const mode of ['full', 'trace', 'diagonal'] as const) {
        const a = empiricalNtk(arch, params, X, { mode });
        const b = mlpStructuredNtk(net, X, { mode });
        expect(b.mean.length).toBe(a.mean.length);
        expect(b.M).toBe(M);
        if (M === 1) expect(Array.from(b.stderr).every(Number.isNaN)).toBe(true);
        else for (let i = 0; i < a.stderr.length; i++) expect(Math.abs(a.stderr[i] - b.stderr[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(a.stderr[i])));
        for (let i = 0; i < a.mean.length; i++) expect(Math.abs(a.mean[i] - b.mean[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(a.mean[i])));
        expect(b.paramCount).toBe(a.paramCount);
      }
      expect(tf.memory().numTensors).toBe(before);
      Object.values(params).forEach((p) => p.dispose());
    });
  }
});

describe('structured MLP NTK, full mode above the ssyrk threshold', () => {
  it('P 8, d_out 4, width 40 (Grams of 32 x 40 on ssyrk with BLAS, only their upper triangles read): equals the generic VJP path', () => {
    const Xs = Array.from({ length: 8 }, (_, i) => [Math.cos(i), Math.sin(2 * i), 0.3 * i - 1]);
    const o = { dIn: 3, width: 40, depth: 2, dOut: 4, M: 1, seed: 8, activation: 'tanh' as const, sigmaW: 1.3, sigmaB: 0.2, parameterization: 'ntk' as const };
    const { arch, params } = denseTestNet(o);
    const net = { weights: [0, 1, 2].map((l) => params[`W${l}`]) as Tensor3D[], biases: [0, 1, 2].map((l) => params[`b${l}`]), phi: (z: Tensor) => tf.tanh(z), parameterization: 'ntk' as const, sigmaW: 1.3, sigmaB: 0.2 };
    const a = empiricalNtk(arch, params, Xs, { mode: 'full' });
    const b = mlpStructuredNtk(net, Xs, { mode: 'full' });
    expect(b.mean.length).toBe(32 * 32);
    let scale = 0;
    for (let i = 0; i < a.mean.length; i++) {
      expect(Math.abs(a.mean[i] - b.mean[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(a.mean[i])));
      scale = Math.max(scale, Math.abs(a.mean[i]));
    }
    for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) expect(b.mean[i * 32 + j]).toBe(b.mean[j * 32 + i]);
    expect(scale).toBeGreaterThan(0.1);
    Object.values(params).forEach((p) => p.dispose());
  });
});

describe('structured MLP NTK without hidden layers', () => {
  it('linear readout, M = 3: every member gets Θ = (σ_w²/d) x·x′ + σ_b² (trace), its diagonal, and Θ δ_ab (full)', () => {
    // f_a = (σ_w/√d) x·W[:, a] + σ_b b_a; ∂f_a/∂W_ka = (σ_w/√d) x_k, ∂f_a/∂b_a = σ_b, so Θ_ab = ((σ_w²/d) x·x′ + σ_b²) δ_ab
    // for every network: the input Gram is shared by the ensemble and must still be reported once per member.
    const [M, d, dOut, sw, sb] = [3, 2, 2, 1.3, 0.4];
    const W = tf.randomNormal([M, d, dOut], 0, 1, 'float32', 1) as Tensor3D;
    const b = tf.randomNormal([M, dOut], 0, 1, 'float32', 2);
    const net = { weights: [W], biases: [b], phi: (z: Tensor) => z, parameterization: 'ntk' as const, sigmaW: sw, sigmaB: sb };
    const theta = (x: number[], y: number[]) => ((sw * sw) / d) * (x[0] * y[0] + x[1] * y[1]) + sb * sb;
    const before = tf.memory().numTensors;
    for (const mode of ['trace', 'diagonal', 'full'] as const) {
      const members: Float64Array[] = [];
      const r = mlpStructuredNtk(net, X, { mode, onMember: (k) => members.push(k) });
      expect(members).toHaveLength(M);
      const fullWant = X.flatMap((x) => Array.from({ length: dOut }, (_, a) => X.flatMap((y) => Array.from({ length: dOut }, (_, b) => (a === b ? theta(x, y) : 0)))).flat());
      const want = mode === 'trace' ? X.flatMap((x) => X.map((y) => theta(x, y))) : mode === 'diagonal' ? X.map((x) => theta(x, x)) : fullWant;
      expect(r.mean.length).toBe(want.length);
      for (const k of [...members, r.mean]) want.forEach((t, i) => expect(Math.abs(k[i] - t)).toBeLessThan(1e-6 * Math.max(1, Math.abs(t))));
    }
    expect(tf.memory().numTensors).toBe(before);
    W.dispose();
    b.dispose();
  });
});

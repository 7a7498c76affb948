import { Rng } from '@nnsym/core';
import { mlpKernels } from './mlp-kernels';
import { scalarActivation } from './scalar-activations';
import { NoAnalyticKernelError } from './errors';

const X = [
  [1, 0],
  [0.6, 0.8],
];
const at = (k: Float64Array | undefined, i: number, j: number, P = 2) => (k as Float64Array)[i * P + j];

describe('mlpKernels: closed forms derived independently', () => {
  it('one hidden relu layer, NTK parameterisation, unit inputs, σ_w = √2, σ_b = 0: Θ = (sin γ + 2(π − γ) cos γ)/π', () => {
    // Derivation: q = σ_w²|x|²/d = 1, so ρ = cos γ = x·x' (γ the input angle).
    // K = σ_w² E[relu relu] = 2 · (sin γ + (π − γ) cos γ)/(2π); Θ = K + σ_w² E[step step] Θ_1, E[step step] = (π − γ)/(2π),
    // Θ_1 = K_1 = cos γ, so Θ = (sin γ + (π − γ) cos γ)/π + (π − γ) cos γ / π.
    const k = mlpKernels({ activation: 'relu', depth: 1, sigmaW: Math.SQRT2, sigmaB: 0, parameterization: 'ntk' }, X);
    const g = Math.acos(0.6);
    expect(at(k.nngp, 0, 1)).toBeCloseTo((Math.sin(g) + (Math.PI - g) * 0.6) / Math.PI, 14);
    expect(at(k.ntk, 0, 1)).toBeCloseTo((Math.sin(g) + 2 * (Math.PI - g) * 0.6) / Math.PI, 14);
    expect(at(k.ntk, 0, 0)).toBeCloseTo(2, 14); // γ = 0: (0 + 2π)/π
    expect(k.precision).toBe('float64');
    expect(k.method).toBe('closed-form');
  });

  it('two hidden relu layers: the recursion by hand (golden numbers)', () => {
    // Same setting; q = 1 at every layer, so each layer maps c -> (sin γ + (π − γ) c)/π with γ = acos c and
    // Θ -> c' + (π − γ)/π · Θ. Values from:
    //   python3 -c "from math import *; g=acos(.6); c2=(sin(g)+(pi-g)*.6)/pi; t2=c2+(pi-g)/pi*.6;
    //   g2=acos(c2); c3=(sin(g2)+(pi-g2)*c2)/pi; print(c3, c3+(pi-g2)/pi*t2)"
    const k = mlpKernels({ activation: 'relu', depth: 2, sigmaW: Math.SQRT2, sigmaB: 0, parameterization: 'ntk' }, X);
    expect(at(k.nngp, 0, 1)).toBeCloseTo(0.7334337858255623, 13);
    expect(at(k.ntk, 0, 1)).toBeCloseTo(1.5444163006772103, 13);
    expect(at(k.ntk, 1, 1)).toBeCloseTo(3, 13); // diagonal: 1 + 1 + 1
  });

  it('one hidden erf layer, standard parameterisation at width N: Θ = N E + 1 + σ_w² D (x·x\' + 1)', () => {
    // Gradients: ∂f/∂W1_j = φ_j (sum N E), ∂f/∂b1 = 1, ∂f/∂W0_jk = W1_j φ'_j x_k (sum σ_w² D x·x'), ∂f/∂b0_j = W1_j φ'_j.
    const [sw, sb, N] = [1.5, 0.5, 7];
    const k = mlpKernels({ activation: 'erf', depth: 1, sigmaW: sw, sigmaB: sb, width: N }, X);
    const q1 = sb * sb + (sw * sw * 1) / 2;
    const c = sb * sb + (sw * sw * 0.6) / 2;
    const E = (2 / Math.PI) * Math.asin((2 * c) / (1 + 2 * q1));
    const D = 4 / Math.PI / Math.sqrt((1 + 2 * q1) ** 2 - 4 * c * c);
    expect(at(k.nngp, 0, 1)).toBeCloseTo(sb * sb + sw * sw * E, 14);
    expect(at(k.ntk, 0, 1)).toBeCloseTo(N * E + 1 + sw * sw * D * (0.6 + 1), 13);
  });

  it('standard parameterisation without a width: NNGP only, with a note', () => {
    const k = mlpKernels({ activation: 'erf', depth: 1 }, X);
    expect(k.ntk).toBeUndefined();
    expect(k.notes.join(' ')).toMatch(/width/);
  });

  it('gauss-net: K = σ_b² + σ_w² exp(−σ_w²|x − x\'|²/(2 d_in)) (derived in duals/gauss.ts, restated here)', () => {
    const [sw, sb] = [1.3, 0.7];
    const x = [[0.3, -1, 2], [1, 0.5, -0.2], [0, 0, 0]];
    const k = mlpKernels({ activation: 'gauss', depth: 1, sigmaW: sw, sigmaB: sb }, x);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const d2 = x[i].reduce((s, v, t) => s + (v - x[j][t]) ** 2, 0);
        expect(at(k.nngp, i, j, 3)).toBeCloseTo(sb * sb + sw * sw * Math.exp((-sw * sw * d2) / 6), 13);
      }
    }
    expect(() => mlpKernels({ activation: 'gauss', depth: 2 }, x)).toThrow(NoAnalyticKernelError);
  });

  it('exp-net: K = σ_b² + σ_w² exp(2σ_b² + σ_w²|x + x\'|²/(2 d_in))', () => {
    const [sw, sb] = [0.8, 0.3];
    const k = mlpKernels({ activation: 'exp', depth: 1, sigmaW: sw, sigmaB: sb }, X);
    const s2 = (1 + 0.6) ** 2 + 0.8 ** 2;
    expect(at(k.nngp, 0, 1)).toBeCloseTo(sb * sb + sw * sw * Math.exp(2 * sb * sb + (sw * sw * s2) / 4), 13);
  });

  it('linear: depth 0 is σ_b² + σ_w² x·x\'/d; depth 1 applies the affine map twice; standard Θ_1 = x·x\' + 1', () => {
    const [sw, sb] = [2, 0.5];
    const k0 = mlpKernels({ activation: 'identity', depth: 0, sigmaW: sw, sigmaB: sb, parameterization: 'standard' }, X);
    expect(at(k0.nngp, 0, 1)).toBeCloseTo(0.25 + (4 * 0.6) / 2, 14);
    expect(at(k0.ntk, 0, 1)).toBeCloseTo(1.6, 14);
    const k1 = mlpKernels({ activation: 'linear', depth: 1, sigmaW: sw, sigmaB: sb, bias: false, parameterization: 'ntk' }, X);
    // No bias: K_1 = σ_w² x·x'/d = 1.2, K_2 = σ_w² K_1 = 4.8, Θ_2 = K_2 + σ_w² Θ_1 = 9.6.
    expect(at(k1.nngp, 0, 1)).toBeCloseTo(4.8, 14);
    expect(at(k1.ntk, 0, 1)).toBeCloseTo(9.6, 14);
  });

  it('tanh (quadrature) through the same recursion agrees with Hermite quadrature at depth 3', () => {
    const a = mlpKernels({ activation: 'tanh', depth: 3, parameterization: 'ntk' }, X);
    const b = mlpKernels({ activation: 'tanh', depth: 3, parameterization: 'ntk', quadrature: { rule: 'hermite', order: 160 } }, X);
    expect(a.method).toBe('quadrature');
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(a.nngp[i] - b.nngp[i])).toBeLessThan(1e-8);
      expect(Math.abs((a.ntk as Float64Array)[i] - (b.ntk as Float64Array)[i])).toBeLessThan(1e-8);
    }
  });

  it('wrong input dimension is a one-line error naming the field', () => {
    expect(() => mlpKernels({ activation: 'relu', depth: 1 }, X, { dIn: 3, field: '--inputs' })).toThrow(/--inputs: inputs have dimension 2 but .* d_in = 3/);
  });
});

describe('mlpKernels vs Monte Carlo over one hidden unit (float64 on the host)', () => {
  // K = σ_b² + σ_w² E[φ(w·x + b) φ(w·x' + b)], w ~ N(0, σ_w²/d I), b ~ N(0, σ_b²). Tolerance: 4 standard errors of
  // the sample mean of φφ (times σ_w²), from the sample itself.
  const x = [[0.5, -1, 0.25], [1, 0.2, -0.7], [-0.3, 0.4, 0.9]];
  const cases: [string, (z: number) => number][] = [
    ['relu', scalarActivation('relu')!.scalar],
    ['erf', scalarActivation('erf')!.scalar],
    ['tanh', Math.tanh],
  ];
  for (const [id, phi] of cases) {
    it(`${id}: every entry within 4 standard errors (S = 40000)`, () => {
      const [sw, sb, S, d] = [1.4, 0.6, 40000, 3];
      const rng = new Rng(20260401, ['mc', id]);
      const P = x.length;
      const sum = new Float64Array(P * P);
      const sumSq = new Float64Array(P * P);
      const w = new Float64Array(d);
      const h = new Float64Array(P);
      for (let s = 0; s < S; s++) {
        rng.fillNormal(w, 0, sw / Math.sqrt(d));
        const b = sb * rng.normal();
        for (let i = 0; i < P; i++) h[i] = phi(x[i][0] * w[0] + x[i][1] * w[1] + x[i][2] * w[2] + b);
        for (let i = 0; i < P * P; i++) {
          const v = h[Math.floor(i / P)] * h[i % P];
          sum[i] += v;
          sumSq[i] += v * v;
        }
      }
      const k = mlpKernels({ activation: id, depth: 1, sigmaW: sw, sigmaB: sb }, x);
      for (let i = 0; i < P * P; i++) {
        const mean = sum[i] / S;
        const se = Math.sqrt((sumSq[i] / S - mean * mean) / (S - 1));
        expect(Math.abs(sb * sb + sw * sw * mean - k.nngp[i])).toBeLessThan(4 * sw * sw * se);
      }
    });
  }
});

import { lastValueFrom, toArray } from 'rxjs';
import { initBackend } from '@nnsym/core';
import { eftCouplings, eftIntegrals, gramDeterminant, leastSquares } from './eft';
import { exactCorrelators } from './exact';
import { neuronFamily } from './family';
import { exactResult, finalizeCorrelators } from './finalize';
import type { CorrelatorRunSpec } from './partial';
import { correlators$ } from './run';
import { tuplesOfOrder } from './tuples';

jest.setTimeout(60_000);

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('EFT integrals against closed forms', () => {
  it('gauss-net at Λ = ∞: I0, I2 and INL are Gaussian integrals', () => {
    const sw = 1.3;
    const xs = [[0.2], [-0.5], [0.9], [1.4]];
    const tuples = [[0, 0, 0, 0], [0, 1, 2, 3], [1, 1, 2, 3], [0, 2, 2, 3]];
    const I = eftIntegrals({ arch: 'gauss-net', sigmaW: sw, sigmaB: 1, dIn: 1 }, xs, tuples, Infinity);
    const s2 = sw * sw;
    // K_EFT(x, a) = σ_w² exp(−σ_w² (x − a)² / 2); Π_k = σ_w⁸ exp(−(σ_w²/2)(Σa² − (Σa)²/4)) exp(−2σ_w²(x − m)²), m = Σa/4
    tuples.forEach((t, k) => {
      const a = t.map((i) => xs[i][0]);
      const S = a.reduce((s, v) => s + v, 0);
      const S2 = a.reduce((s, v) => s + v * v, 0);
      const m = S / 4;
      const C = s2 ** 4 * Math.exp(-(s2 / 2) * (S2 - (S * S) / 4));
      const g = Math.sqrt(Math.PI / (2 * s2));
      expect(rel(I.local0[k], 24 * C * g)).toBeLessThan(1e-12);
      expect(rel(I.local2[k], 24 * C * g * (m * m + 1 / (4 * s2)))).toBeLessThan(1e-12);
      const A = (p: number, q: number) => s2 * s2 * Math.sqrt(Math.PI / s2) * Math.exp(-(s2 / 4) * (a[p] - a[q]) ** 2);
      expect(rel(I.nonlocal[k], 8 * (A(0, 1) * A(2, 3) + A(0, 2) * A(1, 3) + A(1, 2) * A(0, 3)))).toBeLessThan(1e-12);
      expect(I.local0Error[k]).toBeLessThan(1e-12 * I.local0[k]);
    });
  });

  it('relu-net with σ_b = 0 and positive inputs: K_EFT = σ_w⁴ x x′/2 on x > 0, 0 on x < 0, so I0 = 24 (σ_w⁴/2)⁴ Πx Λ⁵/5', () => {
    const sw = 0.8;
    const xs = [[0.2], [0.6], [1.2]];
    const tuples = [[0, 0, 1, 2], [2, 2, 2, 2]];
    for (const L of [7, 100, 1e5]) {
      const I = eftIntegrals({ arch: 'relu-net', sigmaW: sw, sigmaB: 0, dIn: 1 }, xs, tuples, L);
      tuples.forEach((t, k) => {
        const prod = t.reduce((p, i) => p * xs[i][0], 1);
        expect(rel(I.local0[k], (24 * (sw ** 4 / 2) ** 4 * prod * L ** 5) / 5)).toBeLessThan(1e-11);
        expect(rel(I.local2[k], (24 * (sw ** 4 / 2) ** 4 * prod * L ** 7) / 7)).toBeLessThan(1e-11);
      });
    }
  });

  it('relu-net with σ_b = 1: the composite rule matches a brute-force midpoint Riemann sum', () => {
    const fam = { arch: 'relu-net', sigmaW: 1, sigmaB: 1, dIn: 1 };
    const xs = [[0.2], [0.8], [1.2]];
    const tuples = [[0, 1, 1, 2]];
    const L = 7;
    const I = eftIntegrals(fam, xs, tuples, L);
    // midpoint rule with 20000 cells of the same integrand (K from the closed-form arc-cosine kernel, independently)
    const kRelu = (x: number, y: number) => {
      const qx = Math.sqrt(1 + x * x);
      const qy = Math.sqrt(1 + y * y);
      const c = Math.min(1, (1 + x * y) / (qx * qy));
      const th = Math.acos(c);
      return ((qx * qy) / (2 * Math.PI)) * (Math.sin(th) + (Math.PI - th) * c); // K − σ_b², σ_w = 1
    };
    const n = 20000;
    const h = (2 * L) / n;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const x = -L + (i + 0.5) * h;
      s += h * tuples[0].reduce((p, j) => p * kRelu(x, xs[j][0]), 1);
    }
    expect(rel(I.local0[0], 24 * s)).toBeLessThan(1e-6); // midpoint error ~ h² f''/24 relative ≈ 1e-7
    expect(I.local0Error[0]).toBeLessThan(1e-10 * I.local0[0]);
  });

  it('rejects Λ = ∞ where the integral diverges and d_in ≠ 1, naming the flag', () => {
    expect(() => eftIntegrals({ arch: 'erf-net', sigmaW: 1, sigmaB: 1, dIn: 1 }, [[0.1]], [[0, 0, 0, 0]], Infinity)).toThrow(/--eft-cutoffs.*diverges/);
    expect(() => eftIntegrals({ arch: 'relu-net', sigmaW: 1, sigmaB: 1, dIn: 1 }, [[0.1]], [[0, 0, 0, 0]], Infinity)).toThrow(/--eft-cutoffs.*does not vanish.*diverges/);
    expect(() => eftIntegrals({ arch: 'relu-net', sigmaW: 1, sigmaB: 1, dIn: 2 }, [[0.1, 0.2]], [[0, 0, 0, 0]], 10)).toThrow(/d_in = 1/);
  });

  it('leastSquares recovers an exact linear combination', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [1, 0, 1, 0, 3];
    const y = a.map((v, i) => 2 * v - 0.5 * b[i]);
    const [p, q] = leastSquares([a, b], y);
    expect(gramDeterminant([a, b])).toBeCloseTo(1 - (a.reduce((s, v, i) => s + v * b[i], 0) ** 2) / (a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0)), 12);
    expect(gramDeterminant([a, a.map((v) => 2 * v)])).toBeCloseTo(0, 12);
    expect(p).toBeCloseTo(2, 12);
    expect(q).toBeCloseTo(-0.5, 12);
  });
});

describe('λ from exact-in-N and from Monte Carlo', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('relu-net σ_b = 0, positive inputs: exact λ is the same for every tuple and runs exactly as Λ⁻⁵', () => {
    const xs = [[0.2], [0.6], [1.0]];
    const ex = exactCorrelators(neuronFamily('relu', { sigmaW: 1, sigmaB: 0, dIn: 1 }), xs, { orders: [2, 4] });
    const res = exactResult(ex, 'relu-net', 20, xs);
    const rep = eftCouplings(res, { arch: 'relu-net', sigmaW: 1, sigmaB: 0, dIn: 1 }, [10, 100, 1000]);
    expect(rep.tuples).toEqual(tuplesOfOrder(3, 4).map((t) => Array.from(t)));
    for (const row of rep.cutoffs) expect(row.spread).toBeLessThan(1e-9 * Math.abs(row.mean));
    expect(rep.running!.slope).toBeCloseTo(-5, 9);
    expect(rep.running!.r2).toBeCloseTo(1, 12);
    // f(x) = x g on x > 0 with g = Σ_j w_j relu(v_j): ΔG4 = Πx (E g⁴ − 3 (E g²)²) = Πx · 3·(E relu⁴ ... ) / N; check via the kernel:
    // E g² = K(1,1) = 1/2, κ4(g) = (3 E[w⁴]E[relu(v)⁴] − 3 (E[w²]E[relu(v)²])²)/N = (3·3/2 − 3/4)/N = 3.75/N
    const lambda = (3.75 / 20) / ((24 * (1 / 2) ** 4 * 10 ** 5) / 5);
    expect(rel(rep.cutoffs[0].mean, lambda)).toBeLessThan(1e-9);
    // I0, I2, INL are all ∝ x1x2x3x4 here: the three-coupling fit is degenerate, and says so
    expect(rep.fit!.gramDeterminant).toBeLessThan(1e-9);
  });

  it('relu-net σ_b = 1, N = 5 at Λ = 100: Monte Carlo λ (M = 20000) agrees with exact within 4 standard errors per tuple', async () => {
    const xs = [[0.2], [0.6], [1.2]];
    const spec: CorrelatorRunSpec = { depth: undefined, dOut: 1, dIn: 1, parameterization: 'standard', groups: 8, arch: 'relu-net', width: 5, sigmaW: 1, sigmaB: 1, inputs: xs, orders: [2, 4], ensemble: 20000, chunkSize: 5000, seed: 'eft-relu-5' };
    const events = await lastValueFrom(correlators$({ spec }).pipe(toArray()));
    const end = events[events.length - 1];
    if (end.type !== 'run-end') throw new Error('no run-end');
    const mc = eftCouplings(finalizeCorrelators(end.summary.partial), { arch: 'relu-net', sigmaW: 1, sigmaB: 1, dIn: 1 }, [100]);
    const ex = eftCouplings(exactResult(exactCorrelators(neuronFamily('relu', { sigmaW: 1, sigmaB: 1, dIn: 1 }), xs, { orders: [2, 4] }), 'relu-net', 5, xs), { arch: 'relu-net', sigmaW: 1, sigmaB: 1, dIn: 1 }, [100]);
    const m = mc.cutoffs[0];
    const e = ex.cutoffs[0];
    m.lambda.forEach((v, t) => expect(Math.abs(v - e.lambda[t])).toBeLessThan(4 * m.lambdaStderr[t]!));
    expect(Math.abs(m.mean - e.mean)).toBeLessThan(4 * m.meanStderrBound);
    // the comparison has power: exact λ is more than 3 of the (conservative, correlation-free) error bounds from 0
    expect(Math.abs(e.mean)).toBeGreaterThan(3 * m.meanStderrBound);
  });
});

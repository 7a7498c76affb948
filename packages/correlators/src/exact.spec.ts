import { analyticKernel } from '@nnsym/ntk';
import { analyzeCorrelators } from './analysis';
import { exactCorrelators } from './exact';
import { exactResult } from './finalize';
import { fitInversePowers } from './fit';
import { sweepSummary } from './sweep';
import { neuronFamily } from './family';
import { kernelLevel } from './layout';
import { singleNeuronMoments } from './neuron-moments';
import { sliceOrder } from './wick';

/*
 * Closed form, derived independently of the implementation (which goes through cumulants and Möbius inversion).
 * relu-net, d_in = 1, σ_b = 0, inputs x_i > 0: z_j(x) = w_j x, relu(w_j x) = x relu(w_j), and b1 = 0, so
 * f(x) = x F with F = Σ_j a_j r_j, a_j ~ N(0, s²/N), r_j = relu(w_j), w_j ~ N(0, s²) (s = σ_w). Every correlator is
 * G^(n)(x_1..x_n) = Π x_i · E[F^n]. Expanding F^n over which neuron each factor uses (blocks of equal j; odd
 * blocks vanish since a is symmetric), with E a^k = (k−1)!! s^k / N^{k/2}, E r^k = ½ (k−1)!! s^k:
 *   E F² = N (s²/N)(s²/2) = s⁴/2                                     = K(x, x') / (x x'), every N;
 *   E F⁴ = N E a⁴ E r⁴ + 3 N(N−1) (E a² E r²)² = s⁸ (9/(2N) + 3(N−1)/(4N)) = (3/4) s⁸ (1 + 5/N);
 *   E F⁶ = N E a⁶ E r⁶ + 15 N(N−1) E a⁴ E r⁴ E a² E r² + 15 N(N−1)(N−2) (E a² E r²)³
 *        = s¹² (225/(2N²) + 135(N−1)/(4N²) + 15(N−1)(N−2)/(8N²)) = (15/8) s¹² (1 + 15/N + 44/N²).
 * So the 4-pt deviation from GP is exactly 5/N on every tuple, the 6-pt deviation 15/N + 44/N², and the connected
 * 6-pt over the GP (G6 − Σ15 G4 K + 2 Σ15 K³ = κ6 = E F⁶ − 15 E F⁴ E F² + 30 (E F²)³ times Π x) is 44/N².
 */
describe('exact-in-N correlators: relu-net, σ_b = 0, positive inputs (closed form)', () => {
  const xs = [[0.2], [0.5], [1.2]];
  const s = 1.3;
  const fam = neuronFamily('relu', { sigmaW: s, sigmaB: 0, dIn: 1 });
  const ex = exactCorrelators(fam, xs, { orders: [2, 4, 6] });
  const L = ex.layout;
  it.each([1, 2, 5, 10, 1000])('N = %d: G2 = K, G4 = (1 + 5/N) G4_GP, G6 = (1 + 15/N + 44/N²) G6_GP', (N) => {
    const v = ex.valuesAt(N);
    const k = analyticKernel('relu-net', xs, { sigmaW: s, sigmaB: 0, dIn: 1 }).nngp;
    const rep = analyzeCorrelators(L, { mean: v }, kernelLevel(L, k));
    for (let t = 0; t < L.count(2); t++) {
      const [i, j] = rep['2'].tuples[t];
      expect(rep['2'].estimate[t]).toBeCloseTo((xs[i][0] * xs[j][0] * s ** 4) / 2, 12);
    }
    for (let t = 0; t < L.count(4); t++) {
      const px = rep['4'].tuples[t].reduce((p, i) => p * xs[i][0], 1);
      expect(rep['4'].estimate[t] / (px * 0.75 * s ** 8)).toBeCloseTo(1 + 5 / N, 11);
      expect(rep['4'].deviation[t]).toBeCloseTo(5 / N, 11);
    }
    for (let t = 0; t < L.count(6); t++) {
      const px = rep['6'].tuples[t].reduce((p, i) => p * xs[i][0], 1);
      expect(rep['6'].estimate[t] / (px * (15 / 8) * s ** 12)).toBeCloseTo(1 + 15 / N + 44 / N ** 2, 10);
      expect(rep['6'].connected[t] / rep['6'].gp[t]).toBeCloseTo(44 / N ** 2, 10);
    }
  });
  it('the coefficients are the exact polynomial: c0 = GP, c1/c0 = 5 (order 4)', () => {
    const [c0, c1] = ex.coefficients.get(4)!;
    for (let t = 0; t < c0.length; t++) expect(c1[t] / c0[t]).toBeCloseTo(5, 12);
  });
});

describe('exact engine: the 2-point function equals the analytic NNGP kernel (independent closed forms)', () => {
  const xsErf = [[-1], [-0.6], [-0.2], [0.2], [0.6], [1]];
  it.each([
    ['erf', 'erf-net', xsErf, 1, 1],
    ['relu', 'relu-net', xsErf, 1.2, 0.7],
    ['gauss', 'gauss-net', xsErf.map(([x]) => [0.5 * x]), 1, 1],
    ['exp', 'exp-net', xsErf.map(([x]) => [0.3 * x]), 0.8, 0.6],
  ] as const)('%s: G2 = σ_b² + σ_w² E[φφ] (quadrature or log-normal) vs %s closed form', (act, arch, xs, sw, sb) => {
    const ex = exactCorrelators(neuronFamily(act, { sigmaW: sw, sigmaB: sb, dIn: 1 }), xs as number[][], { orders: [2] });
    const k = analyticKernel(arch, xs as number[][], { sigmaW: sw, sigmaB: sb, dIn: 1 }).nngp;
    const K = kernelLevel(ex.layout, k);
    const g2 = sliceOrder(ex.layout, ex.valuesAt(7), 2);
    for (let t = 0; t < K.length; t++) expect(Math.abs(g2[t] - K[t])).toBeLessThan(1e-11 * Math.abs(K[t]) + 1e-13);
  });

  it('gauss: polar quadrature agrees with the log-normal closed form up to order 4', () => {
    const xs = [[-0.5], [0.1], [0.4]];
    const fam = neuronFamily('gauss', { dIn: 1 });
    const a = singleNeuronMoments(fam, xs, 4);
    const b = singleNeuronMoments(fam, xs, 4, { method: 'quadrature' });
    expect(a.method).toBe('closed-form');
    expect(b.method).toBe('quadrature');
    for (let k = 0; k < a.mean.length; k++) expect(b.mean[k] / a.mean[k]).toBeCloseTo(1, 10);
  });

  it('d_in = 2, three inputs (rank 3): single-neuron Monte Carlo moments, G2 within 4 standard errors of the arc-cosine K', () => {
    const xs = [
      [1, 0],
      [0, 1],
      [0.6, -0.8],
    ];
    const ex = exactCorrelators(neuronFamily('relu', { dIn: 2 }), xs, { orders: [2, 4], samples: 200_000, seed: 3 });
    expect(ex.moments.method).toBe('montecarlo');
    expect(ex.moments.rank).toBe(3);
    const K = kernelLevel(ex.layout, analyticKernel('relu-net', xs, { dIn: 2 }).nngp);
    const rep = analyzeCorrelators(ex.layout, { mean: ex.valuesAt(10), replicas: ex.replicasAt(10) }, K);
    for (let t = 0; t < K.length; t++) {
      const se = rep['2'].stderr[t]!;
      expect(se).toBeGreaterThan(0);
      expect(Math.abs(rep['2'].estimate[t] - K[t])).toBeLessThan(4 * se);
    }
  });
});

describe('width sweep fits', () => {
  it('recover the exact 1/N polynomial of relu-net (σ_b = 0): 4-pt deviation 5/N, connected 6-pt 44/N², slopes −1 and −2', () => {
    const xs = [[0.4], [1]];
    const ex = exactCorrelators(neuronFamily('relu', { sigmaB: 0, dIn: 1 }), xs, { orders: [2, 4, 6] });
    const widths = [2, 3, 5, 10, 100, 1000];
    const sweep = sweepSummary(widths.map((N) => exactResult(ex, 'relu-net', N, xs)));
    const dev4 = sweep.fits.find((f) => f.order === 4 && f.quantity === 'deviation')!;
    expect(dev4.fit.weights).toBe('unweighted');
    expect(dev4.fit.coefficients[0]).toBeCloseTo(0, 10);
    expect(dev4.fit.coefficients[1]).toBeCloseTo(5, 10);
    expect(dev4.slope.slope).toBeCloseTo(-1, 10);
    const dev6 = sweep.fits.find((f) => f.order === 6 && f.quantity === 'deviation')!;
    expect(dev6.fit.coefficients[1]).toBeCloseTo(15, 8);
    expect(dev6.fit.coefficients[2]).toBeCloseTo(44, 8);
    const conn = sweep.fits.find((f) => f.order === 6 && f.quantity === 'connected')!;
    expect(conn.fit.coefficients[1]).toBeCloseTo(44, 8);
    expect(conn.slope.slope).toBeCloseTo(-2, 10);
  });

  it('weighted least squares: errors of a straight line through noisy points match the closed form', () => {
    // y = a + b x with x = 1/N, σ_i = 1: var(b) = 1 / Σ (x_i − x̄)² (ordinary least squares with unit errors).
    const widths = [1, 2, 4];
    const x = widths.map((N) => 1 / N);
    const xbar = x.reduce((s, v) => s + v, 0) / 3;
    const fit = fitInversePowers(widths, [1.1, 0.4, 0.3], [1, 1, 1], [0, 1]);
    expect(fit.stderr[1]).toBeCloseTo(1 / Math.sqrt(x.reduce((s, v) => s + (v - xbar) ** 2, 0)), 12);
    expect(fit.dof).toBe(1);
  });
});

describe('exact connected 6-point function: straight from the cumulants, no float64 cancellation', () => {
  it('relu-net (σ_b = 0): G6_c / G6_GP = 44/N² to 1e-10 relative at N = 10⁴, 10⁶ (closed form in the header)', () => {
    const xs = [[0.2], [0.5], [1.2]];
    const ex = exactCorrelators(neuronFamily('relu', { sigmaW: 1.3, sigmaB: 0, dIn: 1 }), xs, { orders: [2, 4, 6] });
    for (const N of [1e4, 1e6]) {
      const r = exactResult(ex, 'relu-net', N, xs).orders['6'];
      r.connected.forEach((c, t) => expect(Math.abs((c / r.gp[t]) * N * N - 44)).toBeLessThan(44e-10));
    }
  });

  it('erf-net at N = 10⁶: equals the 1/N² coefficient read at N = 1 (G6 − ΣG4K + 2ΣKKK, no N² amplification there) to 1e-10, within its reported bound; a sweep to 10⁶ has slope −2', () => {
    const xs = [[-1], [-0.6], [-0.2], [0.2], [0.6], [1]];
    const ex = exactCorrelators(neuronFamily('erf', { dIn: 1 }), xs, { orders: [2, 4, 6] });
    const ref = analyzeCorrelators(ex.layout, { mean: ex.valuesAt(1) }, ex.kernelLevel)['6'].connected; // = κ̃6 · 1
    const N = 1e6;
    const r = exactResult(ex, 'erf-net', N, xs).orders['6'];
    const big = Math.max(...ref.map(Math.abs));
    let checked = 0;
    r.connected.forEach((c, t) => {
      if (Math.abs(ref[t]) < 1e-6 * big) return; // tuples where the cumulant vanishes by symmetry
      const rel = Math.abs((c * N * N) / ref[t] - 1);
      expect(rel).toBeLessThan(1e-10);
      // The reported bound (quadrature 16 vs 12 points + rounding) covers the discrepancy up to the N = 1 path's own rounding.
      expect(rel).toBeLessThan(2 * (r.connectedStderr[t] as number) / Math.abs(c) + 1e-12);
      checked++;
    });
    expect(checked).toBeGreaterThan(400);
    const sweep = sweepSummary([10, 100, 1e3, 1e4, 1e5, 1e6].map((w) => exactResult(ex, 'erf-net', w, xs)));
    const conn = sweep.fits.find((f) => f.order === 6 && f.quantity === 'connected')!;
    expect(conn.slope.slope).toBeCloseTo(-2, 10);
  });
});

import { createSpecialOrthogonal, createTranslations } from '@nnsym/groups';
import { exactCorrelators, neuronFamily } from '@nnsym/correlators';
import { ExactCorrelatorEngine, gaussianMoment } from './exact-correlators';
import { exactSymmetryStudy } from './exact-invariance';
import { designInvarianceTest } from './design';
import { referenceEnsembleChunks } from './reference-ensemble';
import { Rng } from '@nnsym/core';

jest.setTimeout(60_000);

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);

describe('ExactCorrelatorEngine', () => {
  it('Gaussian moments with a mean: E W³ = μ³ + 3μv, E W⁴ = μ⁴ + 6μ²v + 3v²', () => {
    expect(gaussianMoment(3, 0.3, 0.2)).toBeCloseTo(0.027 + 3 * 0.3 * 0.2, 15);
    expect(gaussianMoment(4, 0.3, 0.2)).toBeCloseTo(0.0081 + 6 * 0.09 * 0.2 + 3 * 0.04, 15);
    expect(gaussianMoment(6, 0, 2)).toBe(15 * 8);
  });

  // Independent method: correlators' exact engine (cumulants κ̃ combined as a polynomial in 1/N, zero-mean W1) vs
  // this engine's falling-factorial sum over unit assignments, for closed-form (gauss) and quadrature (relu) moments.
  // The stated bound must cover the actual difference (both engines round and share the quadrature rule, so the
  // difference is rounding) and stay meaningful (below 1e-9 relative).
  it.each([
    ['gauss', 1, 1, [[0.3], [0.8]], [2, 4, 6]],
    ['relu', 1, 0, [[0.4], [0.9], [1.5]], [2, 4, 6]],
  ] as const)('%s at mu = 0 equals the 1/N polynomial of @nnsym/correlators within its error bound', (act, sw, sb, xs, orders) => {
    const pts = xs.map((x) => [...x]);
    const fam = neuronFamily(act, { sigmaW: sw, sigmaB: sb, dIn: 1 });
    const ref = exactCorrelators(fam, pts, { orders });
    const eng = new ExactCorrelatorEngine({ family: fam, width: 7 }, pts, Math.max(...orders));
    const vals = ref.valuesAt(7);
    const L = ref.layout;
    for (const n of orders) {
      const lvl = L.tree.levels[n - 1];
      for (let t = 0; t < lvl.count; t++) {
        const g = eng.correlator(lvl.indices.subarray(t * n, (t + 1) * n));
        const want = vals[L.offset(n) + t];
        expect(rel(g.value, want)).toBeLessThan(1e-11);
        expect(Math.abs(g.value - want)).toBeLessThanOrEqual(g.error);
        expect(g.error).toBeLessThan(1e-9 * Math.abs(g.value));
      }
    }
  });

  // Closed form with a mean: one unit (N = 1), no biases: f = w1 e^{w0 x}, so G(x, x) = E[w1²] E[e^{2 w0 x}]
  // = (μ² + σ²) e^{2σ² x²} (exp-net, W0 ~ N(0, σ²), W1 ~ N(μ, σ²)), and odd orders E[f] = μ e^{σ² x²/2}.
  it('exp-net with a W1 mean at N = 1: G1 and G2 in closed form', () => {
    const fam = { ...neuronFamily('exp', { sigmaW: 0.8, sigmaB: 0, dIn: 1, bias: false }) };
    const eng = new ExactCorrelatorEngine({ family: fam, width: 1, rowMeans: [0.3] }, [[0.7]], 2);
    const s2 = 0.64;
    expect(rel(eng.correlator([0]).value, 0.3 * Math.exp((s2 * 0.49) / 2))).toBeLessThan(1e-14);
    expect(rel(eng.correlator([0, 0]).value, (0.09 + s2) * Math.exp(2 * s2 * 0.49))).toBeLessThan(1e-14);
  });
});

describe('exactSymmetryStudy', () => {
  const gaussInputs = [Float64Array.of(0.3), Float64Array.of(0.8)];

  it('Gauss-net translations on inputs: G2 invariant at N = 10; G4 is not (its 1/N part depends on (Σx)²)', () => {
    const base = { ensemble: { arch: 'gauss-net', dIn: 1, dOut: 1, width: 10, networks: 0 }, inputs: gaussInputs, group: createTranslations(1), on: 'inputs' as const, seed: 1 };
    const r2 = exactSymmetryStudy({ ...base, orders: [2] });
    expect(r2.verdict).toBe('invariant');
    expect(r2.method).toBe('exact');
    expect(r2.orderTests).toHaveLength(1);
    expect(r2.orderTests[0].components).toBeGreaterThan(0);
    expect(r2.orderTests[0].maxRatio).toBeLessThan(1);
    expect(r2.agree).toBe(true);
    // G4 at finite width: κ̃4 M_{ijkl} = exp(Σ_{a<b} C_ab − ½ Σ c_a) has exponent σ²(½(Σx)² − Σx²) + const, not shift-invariant.
    const r4 = exactSymmetryStudy({ ...base, orders: [2, 4] });
    expect(r4.orderTests.map((o) => [o.order, o.rejects])).toEqual([
      [2, false],
      [4, true],
    ]);
    expect(r4.verdict).toBe('broken');
    expect(r4.orderTests[1].maxRelativeDifference).toBeGreaterThan(1e-3);
  });

  it('W1 row mean 0.1 under SO(3) on outputs: broken at every order, per-order rows; mean 0: invariant', () => {
    const ens = { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 0, breakMean: 0.1, breakRows: 1 };
    const r = exactSymmetryStudy({ ensemble: ens, inputs: [Float64Array.of(1)], group: createSpecialOrthogonal(3), on: 'outputs', orders: [2, 4], seed: 2 });
    expect(r.verdict).toBe('broken');
    expect(r.orderTests.map((o) => o.rejects)).toEqual([true, true]);
    expect(r.orderTests[0].maxRatio).toBeGreaterThan(1e6);
    expect(r.predicted).toBe('broken');
    const r0 = exactSymmetryStudy({ ensemble: { ...ens, breakMean: undefined }, inputs: [Float64Array.of(1)], group: createSpecialOrthogonal(3), on: 'outputs', orders: [2, 4], seed: 2 });
    expect(r0.verdict).toBe('invariant');
    expect(r0.orderTests.every((o) => o.maxRatio < 1)).toBe(true);
  });

  it('relu-net (quadrature moments, odd orders via the φ ≡ 1 point): mean 0.1 breaks SO(2), mean 0 does not', () => {
    const ens = { arch: 'relu-net', dIn: 1, dOut: 2, width: 5, networks: 0, sb: 0.5, breakMean: 0.1 };
    const args = { inputs: [Float64Array.of(0.5), Float64Array.of(1.2)], group: createSpecialOrthogonal(2), on: 'outputs' as const, orders: [2, 4], seed: 3 };
    expect(exactSymmetryStudy({ ensemble: ens, ...args }).verdict).toBe('broken');
    expect(exactSymmetryStudy({ ensemble: { ...ens, breakMean: undefined }, ...args }).verdict).toBe('invariant');
  });

  /*
   * Independent check: float64 host Monte Carlo (referenceEnsembleChunks, M = 10⁵ networks) of the same ΔG2
   * components (ρ f)_a (ρ f)_b − f_a f_b, against the exact differences: each within 4 standard errors, and the
   * largest one with the same sign and significantly non-zero.
   */
  // μ = 0.2 (ΔG2 ∝ μ²: at μ = 0.1 the largest |ΔG2| is ~3 SE at this M, too close to call for a test).
  it('agrees with float64 Monte Carlo (M = 1e5) on ΔG2 for a W1 mean-0.2 breaking', () => {
    const ens = { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 0, breakMean: 0.2, breakRows: 1 };
    const inputs = [Float64Array.of(1)];
    const group = createSpecialOrthogonal(3);
    const r = exactSymmetryStudy({ ensemble: ens, inputs, group, on: 'outputs', orders: [2], seed: 4, samples: 2 });
    const design = designInvarianceTest({ group, on: 'outputs', inputs, dOut: 3, orders: [2], samples: 2, maxComponents: 120, seed: Rng.derive(4, 'design', group.id).nextUint32() });
    const M = 100_000;
    const K = design.components.length;
    const s1 = new Float64Array(K);
    const s2 = new Float64Array(K);
    for (const ch of referenceEnsembleChunks({ arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, rowMeans: [0.2, 0, 0] }, inputs, M, 'exact-vs-mc', 5000)) {
      const o = ch.outputs;
      for (let m = 0; m < ch.count; m++) {
        const f0 = o[m * 3];
        const f1 = o[m * 3 + 1];
        const f2 = o[m * 3 + 2];
        for (let k = 0; k < K; k++) {
          const c = design.components[k];
          const rho = design.rhos![c.element];
          const a = c.slots[0];
          const b = c.slots[1];
          const ga = rho[a * 3] * f0 + rho[a * 3 + 1] * f1 + rho[a * 3 + 2] * f2;
          const gb = rho[b * 3] * f0 + rho[b * 3 + 1] * f1 + rho[b * 3 + 2] * f2;
          const d = ga * gb - o[m * 3 + a] * o[m * 3 + b];
          s1[k] += d;
          s2[k] += d * d;
        }
      }
    }
    // the exact engine's worst component per order is reported; recompute every component's exact ΔG through the engine
    const eng = new ExactCorrelatorEngine({ family: neuronFamily('gauss', { sigmaW: 1, sigmaB: 1, dIn: 1, dOut: 3 }), width: 10, rowMeans: [0.2, 0, 0] }, [[1]], 2);
    let biggest = { z: 0, exact: 0, mc: 0 };
    design.components.forEach((c, k) => {
      const rho = design.rhos![c.element];
      let t = 0;
      for (let b0 = 0; b0 < 3; b0++) for (let b1 = 0; b1 < 3; b1++) t += rho[c.slots[0] * 3 + b0] * rho[c.slots[1] * 3 + b1] * eng.correlator([b0, b1]).value;
      const exact = t - eng.correlator(c.slots).value;
      const mean = s1[k] / M;
      const se = Math.sqrt((s2[k] / M - mean * mean) / (M - 1));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
      if (Math.abs(exact) > Math.abs(biggest.exact)) biggest = { z: mean / se, exact, mc: mean };
    });
    expect(Math.sign(biggest.mc)).toBe(Math.sign(biggest.exact));
    expect(Math.abs(biggest.z)).toBeGreaterThan(6);
    expect(r.orderTests[0].worst.difference).not.toBe(0);
  }, 120_000);

  it('refuses architectures without the exact engine, --init, and W0 means on quadrature families', () => {
    const base = { inputs: [Float64Array.of(1)], group: createSpecialOrthogonal(2), on: 'outputs' as const, orders: [2] };
    expect(() => exactSymmetryStudy({ ...base, ensemble: { arch: 'mlp', dIn: 1, dOut: 2, width: 5, networks: 0 } })).toThrow(/does not declare the exact engine/);
    expect(() => exactSymmetryStudy({ ...base, ensemble: { arch: 'relu-net', dIn: 1, dOut: 2, width: 5, networks: 0, inputMean: 0.2 } })).toThrow(/--input-mean/);
  });
});

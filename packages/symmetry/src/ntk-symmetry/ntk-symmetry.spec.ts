import { createFromPlugin, initBackend, PluginHost, registerCorePlugins, teacherStudentDataset, tf } from '@nnsym/core';
import { analyticKernel } from '@nnsym/ntk';
import { createPermutations, createSpecialOrthogonal, createTranslations } from '@nnsym/groups';
import { analyticNtkInvariance } from './analytic';
import { empiricalNtkInvariance } from './empirical';
import { ntkDriftVsWidth } from './drift-study';
import { groupGeometry, predictNtkInvariance } from './predict';

const X = [
  [1, 0, 0.5],
  [0.3, -1.2, 0.8],
  [-0.7, 0.4, 1.1],
];

beforeAll(async () => {
  await initBackend();
});

describe('group geometry and prediction', () => {
  it('reads what each group preserves', () => {
    expect(groupGeometry(createSpecialOrthogonal(3))).toEqual({ preservesDot: true, preservesDistance: true });
    expect(groupGeometry(createTranslations(3, 1))).toEqual({ preservesDot: false, preservesDistance: true });
  });
  it('predicts from the kernel form', () => {
    const so3 = createSpecialOrthogonal(3);
    const tr = createTranslations(3, 1);
    expect(predictNtkInvariance('relu-net', 'ntk', so3).predicted).toBe('invariant');
    expect(predictNtkInvariance('relu-net', 'ntk', tr).predicted).toBe('broken');
    expect(predictNtkInvariance('gauss-net', 'nngp', tr).predicted).toBe('invariant');
    expect(predictNtkInvariance('gauss-net', 'ntk', tr).predicted).toBe('broken');
  });
});

describe('analytic NTK invariance (deterministic, float64)', () => {
  it.each(['relu-net', 'erf-net'])('%s NTK and NNGP are SO(3)- and S_3-invariant to rounding', (arch) => {
    for (const group of [createSpecialOrthogonal(3), createPermutations(3)]) {
      const r = analyticNtkInvariance({ arch, group, inputs: X, samples: 6, seed: 1 });
      // Closed forms in x·x', |x|, |x'| evaluated in float64: only rounding (~1e-16 relative) can differ.
      expect(r.ntk.relDeviation).toBeLessThan(1e-12);
      expect(r.nngp.relDeviation).toBeLessThan(1e-12);
      expect(r.ntk.measured).toBe('invariant');
      expect(r.ntk.agrees && r.nngp.agrees).toBe(true);
    }
  });
  it('detects translation non-invariance of the relu NTK, and its predicted size', () => {
    const r = analyticNtkInvariance({ arch: 'relu-net', group: createTranslations(3, 1), inputs: X, samples: 4, seed: 2 });
    expect(r.ntk.measured).toBe('broken');
    expect(r.ntk.agrees).toBe(true);
    expect(r.ntk.relDeviation).toBeGreaterThan(1e-2);
  });
  it('reports the deviation Θ(x+t, x\'+t) − Θ(x, x\') that analyticKernel gives on the shifted points', () => {
    // A fixed translation t (the group's sampler replaced by a constant), so the reported numbers can be recomputed
    // directly: max_ij |Θ(x_i+t, x_j+t) − Θ(x_i, x_j)| and its ratio to max_ij |Θ(x_i, x_j)|, from two calls of
    // analyticKernel outside analyticNtkInvariance. Both are float64 differences of the same numbers: ≲ 1e-15.
    const t = Float64Array.of(0.4, -0.3, 0.25);
    const fixed = { ...createTranslations(3, 1), sample: () => t };
    const r = analyticNtkInvariance({ arch: 'relu-net', group: fixed, inputs: X, samples: 1 });
    const opts = { dIn: 3, parameterization: 'ntk' as const };
    const base = analyticKernel('relu-net', X, opts).ntk as Float64Array;
    const moved = analyticKernel('relu-net', X.map((x) => x.map((v, i) => v + t[i])), opts).ntk as Float64Array;
    let maxAbs = 0;
    let scale = 0;
    for (let i = 0; i < base.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(moved[i] - base[i]));
      scale = Math.max(scale, Math.abs(base[i]));
    }
    expect(maxAbs / scale).toBeGreaterThan(1e-2);
    expect(Math.abs(r.ntk.maxAbsDeviation - maxAbs)).toBeLessThan(1e-12);
    expect(Math.abs(r.ntk.relDeviation - maxAbs / scale)).toBeLessThan(1e-12);
  });
  it('deep mlp (depth 3, erf, NTK parameterisation) stays rotation invariant', () => {
    const r = analyticNtkInvariance({ arch: 'mlp', kernel: { activation: 'erf', depth: 3, parameterization: 'ntk' }, group: createSpecialOrthogonal(3), inputs: X, samples: 4 });
    expect(r.ntk.relDeviation).toBeLessThan(1e-12);
  });
  it('gauss-net: NNGP translation invariant, NTK not (as predicted)', () => {
    const r = analyticNtkInvariance({ arch: 'gauss-net', group: createTranslations(3, 1), inputs: X, samples: 4 });
    expect(r.nngp.measured).toBe('invariant');
    expect(r.nngp.agrees).toBe(true);
    expect(r.ntk.measured).toBe('broken');
    expect(r.ntk.agrees).toBe(true);
  });
  it('gauss-net kernels equal their closed forms (NNGP a function of x − x\' only)', () => {
    // Gauss-net (2106.00694 Sec. 3.2): φ(z; x) = exp(z − q(x)), z = w·x + b, q(x) = Var z = σ_b² + σ_w²|x|²/d.
    // With u = z(x), v = z(x'), c = Cov(u, v) = σ_b² + σ_w² x·x'/d: E[e^{u+v}] = e^{(q + q')/2 + c}, so
    //   E[φφ] = exp(c − (q + q')/2) = exp(−σ_w²|x − x'|²/(2d)),   K = σ_b² + σ_w² exp(−σ_w²|x − x'|²/(2d)).
    // ∂φ/∂z = φ, so the NTK (one hidden layer, NTK parameterisation) is Θ = K + c · σ_w² exp(−σ_w²|x − x'|²/(2d)):
    // the factor c = K0(x, x') depends on x·x', not only on x − x' (hence broken under translations).
    const [sw, sb, d] = [1.3, 0.6, 3];
    const k = analyticKernel('gauss-net', X, { dIn: d, parameterization: 'ntk', sigmaW: sw, sigmaB: sb });
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const dist2 = X[i].reduce((s, v, a) => s + (v - X[j][a]) ** 2, 0);
        const dot = X[i].reduce((s, v, a) => s + v * X[j][a], 0);
        const e = Math.exp((-sw * sw * dist2) / (2 * d));
        const K = sb * sb + sw * sw * e;
        // Float64 evaluations of one closed form in different orders: rounding only.
        expect(Math.abs(k.nngp[i * 3 + j] - K)).toBeLessThan(1e-13 * K);
        const theta = K + (sb * sb + (sw * sw * dot) / d) * sw * sw * e;
        expect(Math.abs((k.ntk as Float64Array)[i * 3 + j] - theta)).toBeLessThan(1e-13 * Math.abs(theta) + 1e-15);
      }
    }
  });
});

describe('empirical NTK invariance (Monte Carlo, the invariance area statistic)', () => {
  const net = { dIn: 3, dOut: 1, width: 32, depth: 1, activation: 'relu', sigmaW: 1, sigmaB: 1, bias: true, parameterization: 'ntk' as const };
  it('relu NTK under SO(3): invariant within errors; translations: broken', async () => {
    const before = tf.memory().numTensors;
    const rot = await empiricalNtkInvariance({ net, group: createSpecialOrthogonal(3), inputs: X, ensemble: 96, samples: 2, seed: 3 });
    expect(rot.verdict).toBe('invariant');
    // Every entry within 4 standard errors of zero (a fixed-seed draw; |z| > 4 has probability ~6e-5 per entry).
    for (const d of rot.deltas) expect(Math.abs(d.estimate)).toBeLessThan(4 * d.stderr);
    const tr = await empiricalNtkInvariance({ net, group: createTranslations(3, 1), inputs: X, ensemble: 96, samples: 2, seed: 3 });
    expect(tr.verdict).toBe('broken');
    expect(tr.pValue).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('ensemble mean matches the analytic NTK at the base points within its error', async () => {
    const r = await empiricalNtkInvariance({ net: { ...net, width: 256 }, group: createSpecialOrthogonal(3), inputs: X, ensemble: 48, samples: 1, seed: 4 });
    const a = analyticKernel('relu-net', X, { dIn: 3, parameterization: 'ntk', sigmaW: 1, sigmaB: 1 }).ntk as Float64Array;
    // Base means (pairs i <= j of element 0) against the infinite-width Θ: Monte-Carlo error (4 standard errors) plus
    // the O(1/N) finite-width bias of the mean NTK (Dyer & Gur-Ari 2019), bounded by 2|Θ|/N.
    for (const d of r.deltas) {
      const a_ij = a[d.i * 3 + d.j];
      expect(Math.abs(d.base - a_ij)).toBeLessThan(4 * d.baseStderr + (2 * Math.abs(a_ij)) / 256);
    }
  });
  it('refuses an ensemble too small for the number of entries', async () => {
    await expect(empiricalNtkInvariance({ net, group: createSpecialOrthogonal(3), inputs: X, ensemble: 8, samples: 3 })).rejects.toThrow(/--ensemble/);
  });
});

describe('kernel drift during training', () => {
  it('emits ntk-drift metrics and the drift falls with width between the 1/√N bound and 1/N', async () => {
    const ds = await createFromPlugin(teacherStudentDataset, { d: 8, hidden: 6, classes: 3, nTrain: 64, nTest: 16, seed: 1 }).load();
    const events: string[] = [];
    const before = tf.memory().numTensors;
    const host = new PluginHost();
    registerCorePlugins(host);
    const widths = [32, 128, 512];
    const repeats = 6;
    const r = await ntkDriftVsWidth({ host, dataset: ds, widths, steps: 20, every: 10, lr: 1, nTrain: 64, probe: 8, seed: 5, repeats, onEvent: (e) => e.type === 'metric' && events.push(e.name) });
    expect(events.filter((n) => n === 'ntk-drift').length).toBe(widths.length * repeats * 3); // steps 0, 10, 20 per run
    expect(r.rows[0].trajectory[0]).toEqual([0, 0]);
    // r.slope is the weighted log-log fit (logLogSlope of correlators/fit, weights from the 6 repeats' standard errors).
    // Two one-sided, derived bounds on the exponent of drift ∝ N^slope (NTK parameterisation, ntk-sgd):
    //  - Lee et al. 2019 (arXiv 1902.06720, Thm. 2.1): drift = O(N^{-1/2}), and the NTK hierarchy (Dyer & Gur-Ari
    //    2019, arXiv 1909.11304) makes dΘ/dt = O(1/N), so the drift falls strictly faster than 1/√N: slope < −1/2;
    //  - the O(1/N) term of dΘ/dt is generically non-zero, so it cannot fall faster than 1/N: slope > −1.
    // Each is asserted at 3 standard errors. Not asserted: |slope + 1| < 3 se. At these small widths the O(1/N²)
    // corrections bias the slope upwards: over seeds 5..10 (6 and 10 repeats) it measured −0.75 .. −1.05, mean ≈ −0.9,
    // one seed 3.4-4 se above −1 (the CLI run of docs/experiments/ntk.md, widths 64..4096, gives −1.07 ± 0.12).
    // This seed: −1.05 ± 0.08.
    expect(Number.isFinite(r.slopeStderr) && r.slopeStderr > 0).toBe(true);
    expect(r.slope + 3 * r.slopeStderr).toBeLessThan(-0.5);
    expect(r.slope + 3 * r.slopeStderr).toBeGreaterThan(-1);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000); // trains 2 repeats x 3 widths; about 1 s alone, far more on a loaded 2-core machine
});

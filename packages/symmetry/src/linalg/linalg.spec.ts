import { Rng } from '@nnsym/core';
import { linearAssignment } from './assignment';
import { inverse, lstsq, nuclearNorm, svd } from './decompositions';
import { eye, frobenius, matFrom, matmul, matmulTN, sub, transpose, zeros, type Mat } from './matrix';

const randn = (rng: Rng, r: number, c: number): Mat => ({ rows: r, cols: c, data: rng.fillNormal(new Float64Array(r * c)) });

describe('float64 linear algebra', () => {
  it('lstsq solves the normal equations (line fit by hand)', () => {
    // Fit y = a + b t through (0,1), (1,3), (2,5), (3,6): by hand, t_mean = 1.5, y_mean = 3.75,
    // b = sum (t - 1.5)(y - 3.75) / sum (t - 1.5)^2 = 8.5 / 5 = 1.7, a = 3.75 - 1.7 * 1.5 = 1.2.
    const a = matFrom([[1, 0], [1, 1], [1, 2], [1, 3]]);
    const { x, residual } = lstsq(a, matFrom([[1], [3], [5], [6]]));
    expect(x.data[0]).toBeCloseTo(1.2, 12);
    expect(x.data[1]).toBeCloseTo(1.7, 12);
    // residuals: 1 - 1.2, 3 - 2.9, 5 - 4.6, 6 - 6.3 = -0.2, 0.1, 0.4, -0.3 -> sum of squares 0.3
    expect(residual).toBeCloseTo(Math.sqrt(0.3), 12);
  });

  it('lstsq refuses a rank-deficient matrix', () => {
    expect(() => lstsq(matFrom([[1, 2], [2, 4], [3, 6]]), matFrom([[1], [2], [3]]))).toThrow(/rank deficient/);
  });

  it('inverse times matrix is the identity', () => {
    const a = randn(new Rng(1), 6, 6);
    expect(frobenius(sub(matmul(a, inverse(a)), eye(6)))).toBeLessThan(1e-12);
    expect(() => inverse(matFrom([[1, 2], [2, 4]]))).toThrow(/singular/);
  });

  it('svd reconstructs, has orthonormal factors and the singular values of a known matrix', () => {
    for (const [r, c] of [[7, 4], [4, 7], [5, 5]]) {
      const a = randn(new Rng(r * 10 + c), r, c);
      const { u, s, v } = svd(a);
      const us = zeros(u.rows, u.cols);
      for (let i = 0; i < u.rows; i++) for (let j = 0; j < u.cols; j++) us.data[i * u.cols + j] = u.data[i * u.cols + j] * s[j];
      expect(frobenius(sub(matmul(us, transpose(v)), a))).toBeLessThan(1e-12);
      expect(frobenius(sub(matmulTN(u, u), eye(s.length)))).toBeLessThan(1e-12);
      expect(frobenius(sub(matmulTN(v, v), eye(s.length)))).toBeLessThan(1e-12);
      for (let k = 1; k < s.length; k++) expect(s[k]).toBeLessThanOrEqual(s[k - 1]);
    }
    // [[3, 4], [0, 0]] has A A^T = diag(25, 0): singular values 5 and 0, nuclear norm 5.
    expect(Array.from(svd(matFrom([[3, 4], [0, 0]])).s)).toEqual([expect.closeTo(5, 12), expect.closeTo(0, 12)]);
    expect(nuclearNorm(matFrom([[0, -2], [3, 0]]))).toBeCloseTo(5, 12);
  });
});

describe('linearAssignment (Jonker-Volgenant / Hungarian)', () => {
  const brute = (c: Mat, maximize: boolean): number => {
    let best = maximize ? -Infinity : Infinity;
    const cols = Array.from({ length: c.cols }, (_, i) => i);
    const rec = (row: number, used: Set<number>, acc: number) => {
      if (row === c.rows) {
        best = maximize ? Math.max(best, acc) : Math.min(best, acc);
        return;
      }
      for (const j of cols) if (!used.has(j)) rec(row + 1, new Set([...used, j]), acc + c.data[row * c.cols + j]);
    };
    rec(0, new Set(), 0);
    return best;
  };

  it('matches brute force on random square and rectangular problems', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 20; t++) {
      const n = 2 + (t % 5);
      const m = n + (t % 3);
      const c = randn(rng, n, m);
      for (const maximize of [false, true]) {
        const { rowToCol, total } = linearAssignment(c, { maximize });
        expect(new Set(rowToCol).size).toBe(n);
        expect(total).toBeCloseTo(brute(c, maximize), 10);
      }
    }
  });

  it('recovers a hidden permutation and solves a hand case', () => {
    // [[4, 1], [2, 3]]: identity costs 7, swap costs 1 + 2 = 3.
    expect(Array.from(linearAssignment(matFrom([[4, 1], [2, 3]])).rowToCol)).toEqual([1, 0]);
    const perm = new Rng(3).permutation(50);
    const c = zeros(50, 50);
    const rng = new Rng(4);
    for (let i = 0; i < 50; i++) for (let j = 0; j < 50; j++) c.data[i * 50 + j] = rng.uniform() + (j === perm[i] ? 1 : 0);
    expect(Array.from(linearAssignment(c, { maximize: true }).rowToCol)).toEqual(Array.from(perm));
  });
});

import { blasKernelsActive, initBackend, Rng } from '@nnsym/core';
import { inverse, lstsq, nuclearNorm, svd } from './decompositions';
import { eyeSquare, matmulSquare, matvecSquare, orthonormalize, transposeSquare } from './square';
import { eye, frobenius, GEMM64_MIN_FLOPS, matFrom, matmul, matmulNT, matmulTN, sub, transpose, zeros, type Mat } from './matrix';

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

describe('square adapters (bare Float64Array + n)', () => {
  it('agree with hand products and with the Mat kernels', () => {
    // [[1, 2], [3, 4]] [[0, 1], [1, 0]] = [[2, 1], [4, 3]] (right multiplication by the swap swaps columns).
    const a = Float64Array.from([1, 2, 3, 4]);
    expect(Array.from(matmulSquare(a, Float64Array.from([0, 1, 1, 0]), 2))).toEqual([2, 1, 4, 3]);
    expect(Array.from(transposeSquare(a, 2))).toEqual([1, 3, 2, 4]);
    expect(Array.from(eyeSquare(2))).toEqual([1, 0, 0, 1]);
    expect(Array.from(matvecSquare(a, Float64Array.from([1, -1]), 2))).toEqual([-1, -1]);
    const b = randn(new Rng(5), 4, 4);
    expect(Array.from(matmulSquare(b.data, transposeSquare(b.data, 4), 4))).toEqual(Array.from(matmul(b, transpose(b)).data));
  });
});

describe('orthonormalize', () => {
  it('skips dependent vectors and returns an orthonormal basis of the span', () => {
    // (1, 1, 0) -> (1, 1, 0)/sqrt 2; (2, 2, 0) is dependent (dropped); (1, 0, 1) - (1/2)(1, 1, 0) = (1/2, -1/2, 1),
    // norm sqrt(3/2).
    const b = orthonormalize([Float64Array.of(1, 1, 0), Float64Array.of(2, 2, 0), Float64Array.of(1, 0, 1)], 3);
    expect(b).toHaveLength(2);
    const r = Math.SQRT1_2;
    const c = 1 / Math.sqrt(1.5);
    [r, r, 0].forEach((v, i) => expect(b[0][i]).toBeCloseTo(v, 15));
    [0.5 * c, -0.5 * c, c].forEach((v, i) => expect(b[1][i]).toBeCloseTo(v, 15));
  });
});

describe('matmul, matmulTN, matmulNT on dgemm (BLAS path) for large products', () => {
  it('agree with a naive triple loop within 2 k u sum|a||b| (u = 2^-53), above and below the dgemm threshold', async () => {
    await initBackend();
    if (!blasKernelsActive()) console.info('linalg.spec: no BLAS library loaded; the JS loops are checked');
    const rng = new Rng(21);
    const u = 2 ** -53;
    for (const [m, k, n] of [[3, 4, 5], [40, 30, 50], [64, 65, 33]]) {
      expect(m * n * k >= GEMM64_MIN_FLOPS).toBe(m > 3); // one case below the threshold, two above
      const a = randn(rng, m, k);
      const b = randn(rng, k, n);
      const at = transpose(a);
      const bt = transpose(b);
      for (const [name, c] of [['matmul', matmul(a, b)], ['matmulTN', matmulTN(at, b)], ['matmulNT', matmulNT(a, bt)]] as const) {
        expect([c.rows, c.cols]).toEqual([m, n]);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let ref = 0;
            let mag = 0;
            for (let p = 0; p < k; p++) {
              ref += a.data[i * k + p] * b.data[p * n + j];
              mag += Math.abs(a.data[i * k + p] * b.data[p * n + j]);
            }
            const err = Math.abs(c.data[i * n + j] - ref);
            const bound = 2 * ((k * u) / (1 - k * u)) * mag; // each side within gamma_k sum|a||b| of the exact product
            if (err > bound) throw new Error(`${name} ${m}x${k}x${n} (${i}, ${j}): |diff| ${err} > ${bound}`);
          }
        }
      }
    }
  });
});

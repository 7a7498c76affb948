import { Rng } from '@nnsym/core';
import { svd, matFrom, matmul, normalizeColumns, matScale as scale, type Mat } from '@nnsym/numerics';
import { cka } from './cka';
import { gReluCka, gReluProcrustes } from './grelu';
import { hsic, linearGram } from './hsic';
import { compareRepresentations, SIMILARITY_METRICS } from './metrics';
import { procrustesDistance } from './procrustes';

const randn = (rng: Rng, r: number, c: number): Mat => ({ rows: r, cols: c, data: rng.fillNormal(new Float64Array(r * c)) });
const orthogonal = (rng: Rng, n: number): Mat => svd(randn(rng, n, n)).u;
const relu = (m: Mat): Mat => ({ rows: m.rows, cols: m.cols, data: m.data.map((v) => Math.max(0, v)) });
/** X P D: permute the columns by `perm` and scale column j by d[j] > 0. */
const permScale = (x: Mat, perm: Int32Array, d: Float64Array): Mat => {
  const y = { rows: x.rows, cols: x.cols, data: new Float64Array(x.data.length) };
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) y.data[i * x.cols + j] = d[j] * x.data[i * x.cols + perm[j]];
  return y;
};

describe('CKA', () => {
  it('closed form for one feature: linear CKA = squared correlation (hand computation)', () => {
    // x = (1,2,3,4), y = x^2 = (1,4,9,16). Centred: xc = (-1.5,-.5,.5,1.5), yc = (-6.5,-3.5,1.5,8.5);
    // sum xc yc = 25, sum xc^2 = 5, sum yc^2 = 129  =>  CKA = 25^2 / (5 * 129) = 625 / 645.
    const x = matFrom([[1], [2], [3], [4]]);
    const y = matFrom([[1], [4], [9], [16]]);
    expect(cka(x, y)).toBeCloseTo(625 / 645, 14);
    // Gram route (tr(KHLH)) must agree with the feature-space identity.
    expect(
      hsic(linearGram(x), linearGram(y)) / Math.sqrt(hsic(linearGram(x), linearGram(x)) * hsic(linearGram(y), linearGram(y))),
    ).toBeCloseTo(625 / 645, 12);
    // Orthogonal Procrustes for one feature: d^2 = 2 - 2 |corr|.
    expect(procrustesDistance(x, y)).toBeCloseTo(Math.sqrt(2 - 2 * (25 / Math.sqrt(645))), 12);
  });

  it('is invariant to orthogonal transforms and isotropic scaling (linear, RBF, unbiased)', () => {
    const rng = new Rng(11);
    const x = randn(rng, 40, 6);
    const y = relu(matmul(x, randn(rng, 6, 5)));
    const xq = scale(matmul(x, orthogonal(rng, 6)), 3.7);
    for (const opts of [
      {},
      { estimator: 'unbiased' as const },
      { kernel: 'rbf' as const },
      { kernel: 'rbf' as const, estimator: 'unbiased' as const },
    ]) {
      expect(cka(x, xq, opts)).toBeCloseTo(1, 10);
      expect(cka(xq, y, opts)).toBeCloseTo(cka(x, y, opts), 10);
      expect(cka(x, y, opts)).toBeLessThan(0.99);
    }
  });

  it('unbiased HSIC is unbiased (Monte Carlo, linear kernel: population HSIC = ||Cov(x, y)||_F^2 = 1)', () => {
    // x ~ N(0,1), y = x + e, e ~ N(0,1): Cov(x, y) = 1. For linear kernels and zero means,
    // HSIC = E[(x x')(y y')] = (E[x y])^2 = 1. Small n = 8 so that the biased estimator's bias is visible.
    const rng = new Rng(5);
    const reps = 20000;
    const n = 8;
    let su = 0;
    let su2 = 0;
    let sb = 0;
    for (let r = 0; r < reps; r++) {
      const xs = rng.fillNormal(new Float64Array(n));
      const ys = xs.map((v) => v + rng.normal());
      const k = linearGram({ rows: n, cols: 1, data: xs });
      const l = linearGram({ rows: n, cols: 1, data: ys });
      const u = hsic(k, l, 'unbiased');
      su += u;
      su2 += u * u;
      sb += hsic(k, l, 'biased');
    }
    const mean = su / reps;
    const se = Math.sqrt((su2 / reps - mean * mean) / reps);
    expect(Math.abs(mean - 1)).toBeLessThan(4 * se);
    // The biased estimator is off by much more than that at n = 8.
    expect(Math.abs(sb / reps - 1)).toBeGreaterThan(8 * se);
  });
});

describe('Procrustes and the G_relu metrics', () => {
  const rng = new Rng(21);
  const x = relu(randn(rng, 60, 8));
  const perm = rng.permutation(8);
  const d = Float64Array.from({ length: 8 }, () => Math.exp(rng.normal()));
  const xpd = permScale(x, perm, d);
  const q = orthogonal(rng, 8);
  const xq = matmul(x, q);

  it('orthogonal Procrustes is 0 on rotations, symmetric, and satisfies the triangle inequality', () => {
    expect(procrustesDistance(x, scale(xq, 2))).toBeLessThan(1e-7);
    const y = relu(randn(rng, 60, 8));
    const z = relu(randn(rng, 60, 5));
    expect(procrustesDistance(x, y)).toBeCloseTo(procrustesDistance(y, x), 12);
    expect(procrustesDistance(x, z)).toBeLessThanOrEqual(procrustesDistance(x, y) + procrustesDistance(y, z) + 1e-12);
  });

  it('G_relu metrics are invariant to permutation x positive scaling, not to rotations', () => {
    expect(gReluProcrustes(x, xpd).distance).toBeLessThan(1e-7);
    expect(gReluCka(x, xpd)).toBeCloseTo(1, 12);
    const y = relu(randn(rng, 60, 8));
    expect(gReluCka(xpd, y)).toBeCloseTo(gReluCka(x, y), 12);
    expect(gReluProcrustes(xpd, y).distance).toBeCloseTo(gReluProcrustes(x, y).distance, 12);
    // A rotation is invisible to CKA and Procrustes but not to the G_relu metrics.
    expect(cka(x, xq)).toBeCloseTo(1, 12);
    expect(gReluProcrustes(x, xq).distance).toBeGreaterThan(0.2);
    expect(gReluCka(x, xq)).toBeLessThan(0.95);
    // Negative scalings are not in G_relu either.
    const neg = permScale(
      x,
      perm,
      d.map((v, i) => (i === 0 ? -v : v)),
    );
    expect(gReluProcrustes(x, neg).distance).toBeGreaterThan(0.1);
  });

  it('G_relu-Procrustes recovers the hidden permutation and bounds orthogonal Procrustes from above', () => {
    const { permutation } = gReluProcrustes(xpd, x);
    expect(Array.from(permutation)).toEqual(Array.from(perm));
    const y = relu(randn(rng, 60, 8));
    const ortho = procrustesDistance(scale(normalizeColumns(x), 1 / Math.sqrt(8)), scale(normalizeColumns(y), 1 / Math.sqrt(8)), {
      center: false,
    });
    expect(gReluProcrustes(x, y).distance).toBeGreaterThanOrEqual(ortho - 1e-12);
  });

  it('G_relu-Procrustes hand case', () => {
    // X~ = I; Y = [[1, 1], [0, 1]] -> Y~ columns (1, 0), (1/sqrt2, 1/sqrt2). Cosines [[1, 1/sqrt2], [0, 1/sqrt2]];
    // best matching is the identity, 1 + 1/sqrt2, so d^2 = (2 + 2 - 2 (1 + 1/sqrt2)) / 2 = 1 - 1/sqrt2.
    const r = gReluProcrustes(
      matFrom([
        [1, 0],
        [0, 1],
      ]),
      matFrom([
        [1, 1],
        [0, 1],
      ]),
    );
    expect(r.distance).toBeCloseTo(Math.sqrt(1 - Math.SQRT1_2), 12);
    expect(
      gReluProcrustes(
        matFrom([
          [1, 0],
          [0, 1],
        ]),
        matFrom([
          [0, 2],
          [3, 0],
        ]),
      ).distance,
    ).toBeCloseTo(0, 12);
  });

  it('every metric runs and reports its direction; mismatched sample counts throw', () => {
    for (const m of SIMILARITY_METRICS) {
      const r = compareRepresentations(x, xpd, m);
      expect(Number.isFinite(r.value)).toBe(true);
    }
    expect(() => compareRepresentations(x, randn(rng, 10, 8), 'cka')).toThrow(/different sample counts/);
  });
});

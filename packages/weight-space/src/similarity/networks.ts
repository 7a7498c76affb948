import { Rng, UsageError, type SeedKey } from '@nnsym/core';
import { svd, matmul, type Mat } from '@nnsym/numerics';
import { forwardMlp, mlpSizes, type DenseNetF64 } from '../nets/mlp';
import { compareRepresentations, type SimilarityMetric } from './metrics';
import { gReluGram } from './grelu';
import { hsic, linearGram, rbfGram, type HsicEstimator } from './hsic';

/** Gram-based metrics: (gram, estimator). Grams are computed once per network in pairwise comparisons. */
const GRAM_METRICS: Partial<Record<SimilarityMetric, { gram: (x: Mat) => Mat; estimator: HsicEstimator }>> = {
  'cka-unbiased': { gram: linearGram, estimator: 'unbiased' },
  'rbf-cka': { gram: (x) => rbfGram(x, 0.8), estimator: 'biased' },
  'grelu-cka': { gram: gReluGram, estimator: 'unbiased' },
};

/** One hidden layer's comparison: widths and one value per metric. */
export interface LayerComparison {
  layer: number;
  widthA: number;
  widthB: number;
  values: Partial<Record<SimilarityMetric, number>>;
}

/**
 * Check that two networks can be compared layer by layer: same depth, input and output dimension (hidden widths
 * may differ; every metric handles different widths). One-line errors name `--b`.
 */
export function assertComparableArchitectures(a: number[], b: number[], flag = '--b'): void {
  if (a.length !== b.length || a[0] !== b[0] || a[a.length - 1] !== b[b.length - 1]) {
    throw new UsageError(
      `${flag}: different architectures (${a.join('-')} vs ${b.join('-')}); compare networks with the same depth, input and output`,
      flag,
    );
  }
}

/** Check a hidden-layer index against the number of hidden layers. */
export function assertLayer(layer: number, hiddenCount: number, flag = 'layer'): void {
  if (!Number.isInteger(layer) || layer < 0 || layer >= hiddenCount)
    throw new UsageError(`${flag} must be a hidden layer in 0..${hiddenCount - 1}, got ${layer}`, flag);
}

/**
 * Compare the hidden representations (post-activation, `[n, width]`, float64) of two lists of layers on the
 * same n inputs with several metrics. `layers` selects hidden layers (default: all). Sample counts must agree.
 *
 * @example
 * compareLayerLists(forwardMlp(a, x).hidden, forwardMlp(b, x).hidden, ['cka', 'grelu-cka']);
 */
export function compareLayerLists(
  ha: readonly Mat[],
  hb: readonly Mat[],
  metrics: readonly SimilarityMetric[],
  layers?: readonly number[],
): LayerComparison[] {
  if (ha.length !== hb.length) throw new UsageError(`--b: different numbers of hidden layers (${ha.length} vs ${hb.length})`, '--b');
  const sel = layers ?? ha.map((_, i) => i);
  return sel.map((l) => {
    assertLayer(l, ha.length);
    if (ha[l].rows !== hb[l].rows)
      throw new UsageError(
        `--b: layer ${l} has ${hb[l].rows} samples but --a has ${ha[l].rows}; both must be computed on the same inputs`,
        '--b',
      );
    const values: Partial<Record<SimilarityMetric, number>> = {};
    for (const m of metrics) values[m] = compareRepresentations(ha[l], hb[l], m).value;
    return { layer: l, widthA: ha[l].cols, widthB: hb[l].cols, values };
  });
}

/** {@link compareLayerLists} for two networks on inputs `x [n, in]`, after checking their architectures. */
export function compareNetworks(
  a: DenseNetF64,
  b: DenseNetF64,
  x: Mat,
  metrics: readonly SimilarityMetric[],
  layers?: readonly number[],
): LayerComparison[] {
  assertComparableArchitectures(mlpSizes(a), mlpSizes(b));
  if (x.cols !== a.layers[0].in) throw new UsageError(`inputs have ${x.cols} features but the networks take ${a.layers[0].in}`, 'dataset');
  return compareLayerLists(forwardMlp(a, x).hidden, forwardMlp(b, x).hidden, metrics, layers);
}

/** Summary of a metric over all pairs of networks at one layer. */
export interface PairwiseSummary {
  layer: number;
  metric: SimilarityMetric;
  mean: number;
  std: number;
  min: number;
  max: number;
  pairs: number;
  /** `matrix[i][j]`: metric between network i and j (diagonal: network vs itself). */
  matrix: number[][];
  /**
   * With `rotationControl`: the same pairs with network j's layer rotated by a random orthogonal Q_j (h -> h Q_j).
   * CKA and Procrustes cannot tell (identical values); the G_relu metrics can, so the gap between `mean` and
   * `control.mean` measures how much the networks share their activation basis beyond a rotation.
   */
  control?: { mean: number; std: number };
}

/** A random orthogonal [n, n] matrix (left singular vectors of a Gaussian matrix). */
export function randomOrthogonal(n: number, rng: Rng): Mat {
  const g: Mat = { rows: n, cols: n, data: rng.fillNormal(new Float64Array(n * n)) };
  return svd(g).u;
}

const meanStd = (vals: number[]) => {
  const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
  const std = Math.sqrt(vals.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, vals.length - 1));
  return { mean, std };
};

/**
 * All-pairs comparison of several networks of the same architecture (e.g. one per training seed) on inputs `x`:
 * per hidden layer and metric, the full `[k, k]` matrix and the mean / std / range over the k(k-1)/2 distinct
 * pairs. Representations are computed once per network.
 */
export function pairwiseComparison(
  nets: readonly DenseNetF64[],
  x: Mat,
  metrics: readonly SimilarityMetric[],
  options: { rotationControl?: SeedKey } = {},
): PairwiseSummary[] {
  if (nets.length < 2) throw new UsageError(`models needs at least 2 networks, got ${nets.length}`, 'models');
  const sizes = mlpSizes(nets[0]);
  nets.forEach((n, i) => assertComparableArchitectures(sizes, mlpSizes(n), `--models (network ${i})`));
  const hidden = nets.map((n) => forwardMlp(n, x).hidden);
  const out: PairwiseSummary[] = [];
  for (let l = 0; l < hidden[0].length; l++) {
    const seed = options.rotationControl;
    const rotated =
      seed === undefined
        ? undefined
        : hidden.map((h, j) => matmul(h[l], randomOrthogonal(h[l].cols, Rng.derive(seed, 'rotation-control', l, j))));
    for (const metric of metrics) {
      const k = nets.length;
      // Same numbers as compareRepresentations, with each network's Gram and self-HSIC computed once.
      const gm = GRAM_METRICS[metric];
      const grams = gm ? hidden.map((h) => gm.gram(h[l])) : undefined;
      const self = gm && grams ? grams.map((g) => hsic(g, g, gm.estimator)) : undefined;
      const value = (i: number, j: number, yj?: Mat): number => {
        if (!gm || !grams || !self) return compareRepresentations(hidden[i][l], yj ?? hidden[j][l], metric).value;
        const gj = yj ? gm.gram(yj) : grams[j];
        const sj = yj ? hsic(gj, gj, gm.estimator) : self[j];
        return self[i] > 0 && sj > 0 ? hsic(grams[i], gj, gm.estimator) / Math.sqrt(self[i] * sj) : NaN;
      };
      const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(NaN));
      const vals: number[] = [];
      for (let i = 0; i < k; i++) {
        for (let j = i; j < k; j++) {
          const v = value(i, j);
          matrix[i][j] = v;
          matrix[j][i] = v;
          if (j > i) vals.push(v);
        }
      }
      const { mean, std } = meanStd(vals);
      const entry: PairwiseSummary = {
        layer: l,
        metric,
        mean,
        std,
        min: Math.min(...vals),
        max: Math.max(...vals),
        pairs: vals.length,
        matrix,
      };
      if (rotated) {
        const cv: number[] = [];
        for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) cv.push(value(i, j, rotated[j]));
        entry.control = meanStd(cv);
      }
      out.push(entry);
    }
  }
  return out;
}

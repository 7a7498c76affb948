import type { ShardSpec } from '../ensemble/types';
import { mergeRunPieces, shardRuns } from '../results/run-grid';

// Sharding by run index is the generic run grid's (results/run-grid.ts); re-exported here for the experiment grids.
export { shardRuns };

/**
 * Experiment grids: the run list of a study, its shards (`--shard i/n` by run index), and the exact merge of shard
 * results. A grid is embarrassingly parallel: each run is an independent training process with its own seed, so a
 * shard is a subset of runs and a merge is their union, checked for a common setup and for disjointness.
 *
 * When to use: split a grid such as `nnsym experiment init-symmetry` over cluster array tasks (one shard each),
 * then `nnsym merge` the pieces; the merged result is exactly that of one unsharded run (the same runs, the
 * summary recomputed from them).
 */

/** One training run of the init-symmetry grid (arXiv 2106.00694): loss, k shifted output rows with mean mu, seed. */
export interface InitSymmetryRun {
  loss: string;
  k: number;
  mu: number;
  seed: number;
}

/** A finished (or failed) run with its measured accuracies. */
export interface InitSymmetryRunResult extends InitSymmetryRun {
  bestTestAccuracy: number;
  bestEpoch: number;
  finalTestAccuracy: number;
  testAccuracyByEpoch: number[];
  seconds: number;
  samplesPerSecond: number;
  error?: string;
}

/** One cell of the summary table: (loss, k, mu), with the paired change against the same seeds' baseline. */
export interface InitSymmetryCell {
  loss: string;
  k: number;
  mu: number;
  baseline: boolean;
  runs: number;
  bestTestAccuracy: number;
  bestTestAccuracySd: number;
  bestTestAccuracySe: number;
  finalTestAccuracy: number;
  finalTestAccuracySd: number;
  deltaVsBaseline: number;
  deltaVsBaselineSe: number;
}

/** Key of a run (its identity within a grid). */
export function runKey(r: InitSymmetryRun): string {
  return `${r.loss}|k=${r.k}|mu=${r.mu}|seed=${r.seed}`;
}

/**
 * The init-symmetry grid in its fixed order: per loss and seed, one baseline (k = 0, mu = 0) and every
 * (k > 0, mu != 0). Seeds are `baseSeed * 1000 + s`, s = 0..seeds-1 (paired across cells).
 *
 * @example
 * initSymmetryGrid({ losses: ['mse-onehot'], seeds: 2, k: [0, 4], mu: [0, 0.1] }, 0).length // 4
 */
export function initSymmetryGrid(g: { losses: readonly string[]; seeds: number; k: readonly number[]; mu: readonly number[] }, baseSeed: number): InitSymmetryRun[] {
  const runs: InitSymmetryRun[] = [];
  for (const loss of g.losses) {
    for (let s = 0; s < g.seeds; s++) {
      const seed = baseSeed * 1000 + s;
      runs.push({ loss, k: 0, mu: 0, seed });
      for (const k of g.k) for (const mu of g.mu) if (k > 0 && mu !== 0) runs.push({ loss, k, mu, seed });
    }
  }
  return runs;
}

function meanSd(xs: number[]): { mean: number; sd: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1)) : NaN;
  return { mean, sd, se: sd / Math.sqrt(n) };
}

/**
 * The summary table over (loss, k, mu) from the successful runs: mean, sample SD and SE of the best and final test
 * accuracy, and the change against the baseline of the same seed (paired: same draws, only the row means differ).
 * A cell with no run has `runs: 0` and NaN statistics (shown as missing, never as 0).
 */
export function initSymmetryCells(g: { losses: readonly string[]; k: readonly number[]; mu: readonly number[] }, results: readonly InitSymmetryRunResult[]): InitSymmetryCell[] {
  const ok = results.filter((r) => !r.error);
  const cells: InitSymmetryCell[] = [];
  for (const loss of g.losses) {
    for (const k of g.k) {
      for (const mu of g.mu) {
        const base = k === 0 || mu === 0;
        const rs = ok.filter((r) => r.loss === loss && (base ? r.k === 0 : r.k === k && r.mu === mu));
        const best = meanSd(rs.map((r) => r.bestTestAccuracy));
        const fin = meanSd(rs.map((r) => r.finalTestAccuracy));
        const deltas = rs.flatMap((r) => {
          const b0 = ok.find((q) => q.loss === loss && q.k === 0 && q.seed === r.seed);
          return b0 ? [r.bestTestAccuracy - b0.bestTestAccuracy] : [];
        });
        const dl = meanSd(deltas);
        const none = rs.length === 0;
        cells.push({
          loss,
          k,
          mu,
          baseline: base,
          runs: rs.length,
          bestTestAccuracy: none ? NaN : best.mean,
          bestTestAccuracySd: best.sd,
          bestTestAccuracySe: best.se,
          finalTestAccuracy: none ? NaN : fin.mean,
          finalTestAccuracySd: fin.sd,
          deltaVsBaseline: base ? 0 : deltas.length ? dl.mean : NaN,
          deltaVsBaselineSe: base ? 0 : dl.se,
        });
      }
    }
  }
  return cells;
}

/** What a grid result piece must carry to be merged (the `experiment` payload of `nnsym experiment --out`). */
export interface GridPiece {
  type: 'experiment';
  experiment: string;
  setup: Record<string, unknown>;
  /** The shard this piece computed (absent: the whole grid). */
  shard?: ShardSpec | null;
  /** Runs in the whole grid. */
  gridRuns?: number;
  runs: InitSymmetryRunResult[];
  [k: string]: unknown;
}

/**
 * Merge grid pieces (shards, or runs of a resumed grid) into one piece: every piece must be the same experiment
 * with an identical setup (the first differing field is named), and no run may appear in two pieces (named).
 * Failed runs are kept as failures unless another piece holds no copy of them. The caller recomputes the summary
 * with {@link initSymmetryCells}; the result is then exactly that of one run of the same grid.
 *
 * @example
 * const all = mergeGridPieces([JSON.parse(a), JSON.parse(b)]);
 */
export function mergeGridPieces(pieces: readonly GridPiece[]): { experiment: string; setup: Record<string, unknown>; runs: InitSymmetryRunResult[]; gridRuns?: number } {
  const { kind, ...m } = mergeRunPieces<InitSymmetryRunResult, GridPiece>(pieces, { kind: (p) => p.experiment, key: runKey, label: 'experiment' });
  return { experiment: kind, ...m };
}

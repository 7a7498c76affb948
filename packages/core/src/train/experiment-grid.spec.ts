import { initSymmetryCells, initSymmetryGrid, mergeGridPieces, shardRuns, type GridPiece, type InitSymmetryRunResult } from './experiment-grid';

const g = { losses: ['mse-onehot', 'mse-onecold'], seeds: 3, k: [0, 4, 10], mu: [0, 0.1] };
const result = (r: { loss: string; k: number; mu: number; seed: number }, acc: number): InitSymmetryRunResult => ({ ...r, bestTestAccuracy: acc, bestEpoch: 0, finalTestAccuracy: acc, testAccuracyByEpoch: [acc], seconds: 1, samplesPerSecond: 1 });

describe('experiment grids: shards and merges', () => {
  it('the grid has one baseline per (loss, seed) plus every k > 0, mu != 0 cell', () => {
    const runs = initSymmetryGrid(g, 2);
    expect(runs).toHaveLength(2 * 3 * (1 + 2 * 1));
    expect(new Set(runs.map((r) => r.seed))).toEqual(new Set([2000, 2001, 2002]));
  });

  it.each([1, 2, 3, 5, 18, 40])('%i shards are disjoint and cover the grid', (n) => {
    const runs = initSymmetryGrid(g, 0);
    const pieces = Array.from({ length: n }, (_, i) => shardRuns(runs, { index: i, count: n }));
    const keys = pieces.flat().map((r) => JSON.stringify(r));
    expect(new Set(keys).size).toBe(runs.length);
    expect(keys).toHaveLength(runs.length);
  });

  it('merging shard pieces in any order gives the same summary as the whole grid', () => {
    const runs = initSymmetryGrid(g, 0).map((r, j) => result(r, 0.5 + 0.01 * ((j * 7) % 11)));
    const setup = { ...g, epochs: 1 };
    const piece = (i: number, n: number): GridPiece => ({ type: 'experiment', experiment: 'init-symmetry', setup, gridRuns: runs.length, runs: shardRuns(runs, { index: i, count: n }) });
    const m = mergeGridPieces([piece(2, 3), piece(0, 3), piece(1, 3)]);
    expect(m.runs).toHaveLength(runs.length);
    expect(initSymmetryCells(g, m.runs)).toEqual(initSymmetryCells(g, runs));
  });

  it('refuses overlapping pieces and pieces of another grid, naming the run or field', () => {
    const runs = initSymmetryGrid(g, 0).map((r) => result(r, 0.5));
    const a: GridPiece = { type: 'experiment', experiment: 'init-symmetry', setup: { ...g, epochs: 1 }, runs: runs.slice(0, 4) };
    expect(() => mergeGridPieces([a, { ...a, runs: runs.slice(3, 6) }])).toThrow(/run mse-onehot\|k=.*is in files 1 and 2/);
    expect(() => mergeGridPieces([a, { ...a, setup: { ...g, epochs: 2 }, runs: runs.slice(4) }])).toThrow(/setup "epochs" differs \(1 vs 2\)/);
  });

  it('a cell without runs is missing (NaN), not 0', () => {
    const cells = initSymmetryCells(g, []);
    expect(cells.every((c) => c.runs === 0 && Number.isNaN(c.bestTestAccuracy))).toBe(true);
  });
});

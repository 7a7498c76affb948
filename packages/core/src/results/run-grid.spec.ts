import { mergeRunPieces, resumeRuns, shardIndices, shardRuns, type RunGridPiece } from './run-grid';

// The generic run grid: shards are a partition of the runs for every n; merging checks kind, setup, grid size and
// disjointness; resuming keeps only the shard's runs of a piece with the same setup.
type Run = { index: number; value: number };
type Piece = RunGridPiece<Run> & { grid: string };
const setup = { widths: [5, 10, 20, 40, 80], seed: 3 };
const all: Run[] = setup.widths.map((w, index) => ({ index, value: w * w }));
const piece = (i: number, n: number, s: Record<string, unknown> = setup): Piece => ({ grid: 'w', setup: s, shard: { index: i, count: n }, gridRuns: all.length, runs: shardRuns(all, { index: i, count: n }) });
const keys = { kind: (p: Piece) => p.grid, key: (r: Run) => `index ${r.index}`, label: 'sweep' };

describe('run grids', () => {
  it('shards partition the runs for every n (also n > runs), and merge back in any order to the grid', () => {
    for (let n = 1; n <= 7; n++) {
      const idx = Array.from({ length: n }, (_, i) => shardIndices(all.length, { index: i, count: n }));
      expect(idx.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
      const pieces = Array.from({ length: n }, (_, i) => piece(i, n)).reverse();
      const m = mergeRunPieces<Run, Piece>(pieces, keys);
      expect(m.runs.sort((a, b) => a.index - b.index)).toEqual(all);
      expect(m).toMatchObject({ kind: 'w', setup, gridRuns: 5 });
    }
    expect(shardIndices(5, { index: 1, count: 2 })).toEqual([1, 3]);
  });

  it('refuses another kind, another setup (naming the field), another grid size and a run in two pieces', () => {
    expect(() => mergeRunPieces<Run, Piece>([piece(0, 2), { ...piece(1, 2), grid: 'x' }], keys)).toThrow(/file 2 is sweep "x", file 1 "w"/);
    expect(() => mergeRunPieces<Run, Piece>([piece(0, 2), piece(1, 2, { ...setup, seed: 4 })], keys)).toThrow(/file 2 is from a different grid: setup "seed" differs \(3 vs 4\)/);
    expect(() => mergeRunPieces<Run, Piece>([piece(0, 2), { ...piece(1, 2), gridRuns: 6 }], keys)).toThrow(/file 2 has a grid of 6 runs, file 1 of 5/);
    expect(() => mergeRunPieces<Run, Piece>([piece(0, 2), piece(0, 3)], keys)).toThrow(/run index 0 is in files 1 and 2/);
    expect(() => mergeRunPieces<Run, Piece>([], keys)).toThrow(/nothing to merge/);
  });

  it('resumeRuns keeps the runs of this shard from a piece with the same setup, and names a differing field', () => {
    const prev = { setup, runs: all.slice(0, 3) };
    const mine = new Set(shardIndices(5, { index: 0, count: 2 }).map(String));
    expect([...resumeRuns(prev, setup, mine, (r) => String(r.index), '--resume-from').keys()]).toEqual(['0', '2']);
    expect(() => resumeRuns(prev, { ...setup, widths: [5, 10] }, mine, (r) => String(r.index), '--resume-from', 'a.json')).toThrow(/--resume-from: a.json is from a different grid: setup "widths" differs \(saved \[5,10,20,40,80\], this run \[5,10\]\)/);
  });
});

import { UsageError } from '../errors';
import type { ShardSpec } from '../ensemble/types';

/**
 * Run-index grids: any study made of independent runs in a fixed order (an experiment grid, a width sweep, repeated
 * ensembles, one test per group). Shard i of n takes the runs j ≡ i (mod n); a piece is the setup, the shard and its
 * runs; merging pieces is the union of their runs, checked for a common setup and for disjointness; a resumed grid
 * reuses the runs of an earlier piece with the same setup. The caller recomputes its summary from the merged runs,
 * so the result is exactly that of one unsharded run.
 *
 * When to use: split a grid over cluster array tasks (`--shard i/n --out piece.json`), then `nnsym merge` the pieces.
 */

/** What a grid result piece carries to be merged. */
export interface RunGridPiece<R> {
  /** Everything that determines the runs' results (a differing field is named on merge and resume). */
  setup: Record<string, unknown>;
  /** The shard this piece computed (absent or null: the whole grid). */
  shard?: ShardSpec | null;
  /** Runs in the whole grid. */
  gridRuns?: number;
  runs: R[];
}

/**
 * Shard i of n of a run list: the runs whose index j in the grid's fixed order has j ≡ i (mod n). Shards are
 * disjoint and their union is the grid, however it is split.
 *
 * @example shardRuns(['a', 'b', 'c', 'd', 'e'], { index: 1, count: 2 }) // ['b', 'd']
 */
export function shardRuns<T>(runs: readonly T[], shard?: ShardSpec): T[] {
  if (!shard) return [...runs];
  return runs.filter((_, j) => j % shard.count === shard.index);
}

/**
 * The run indices 0..n−1 of shard i of n (all of them without a shard).
 *
 * @example shardIndices(5, { index: 0, count: 2 }) // [0, 2, 4]
 */
export function shardIndices(n: number, shard?: ShardSpec): number[] {
  return shardRuns(Array.from({ length: n }, (_, j) => j), shard);
}

/** First top-level setup field on which two setups differ, or undefined. */
export function setupDifference(a: Record<string, unknown>, b: Record<string, unknown>): { field: string; a: unknown; b: unknown } | undefined {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return { field: k, a: a[k], b: b[k] };
  return undefined;
}

/** How {@link mergeRunPieces} tells grids and runs apart. */
export interface RunGridKeys<R, P> {
  /** The grid's kind (e.g. the experiment or sweep name): pieces of another kind are refused. */
  kind(piece: P): string;
  /** A run's identity within the grid (a run in two pieces is refused). */
  key(run: R): string;
  /** What the kind is called in messages (default "grid"): `file 2 is experiment "x", file 1 "y"`. */
  label?: string;
}

/**
 * Merge grid pieces (shards, or pieces of a resumed grid) into one: every piece must be of the same kind with an
 * identical setup (the first differing field is named), of a grid of the same size, and no run may appear in two
 * pieces (named). Runs keep the pieces' order; sort them by their index where the grid has one.
 *
 * @example
 * const all = mergeRunPieces(pieces, { kind: (p) => p.sweep, key: (r) => String(r.index), label: 'sweep' });
 */
export function mergeRunPieces<R, P extends RunGridPiece<R>>(pieces: readonly P[], keys: RunGridKeys<R, P>): { kind: string; setup: Record<string, unknown>; runs: R[]; gridRuns?: number } {
  if (pieces.length === 0) throw new UsageError('merge: nothing to merge', 'files');
  const first = pieces[0];
  const label = keys.label ?? 'grid';
  const seen = new Map<string, number>();
  const runs: R[] = [];
  pieces.forEach((p, i) => {
    if (keys.kind(p) !== keys.kind(first)) throw new UsageError(`merge: file ${i + 1} is ${label} "${keys.kind(p)}", file 1 "${keys.kind(first)}"`, 'files');
    const d = setupDifference(first.setup, p.setup);
    if (d) throw new UsageError(`merge: file ${i + 1} is from a different grid: setup "${d.field}" differs (${JSON.stringify(d.a)} vs ${JSON.stringify(d.b)})`, 'files');
    if (first.gridRuns !== undefined && p.gridRuns !== undefined && first.gridRuns !== p.gridRuns) throw new UsageError(`merge: file ${i + 1} has a grid of ${p.gridRuns} runs, file 1 of ${first.gridRuns}`, 'files');
    for (const r of p.runs) {
      const key = keys.key(r);
      const j = seen.get(key);
      if (j !== undefined) throw new UsageError(`merge: run ${key} is in files ${j + 1} and ${i + 1} (shards must be disjoint)`, 'files');
      seen.set(key, i);
      runs.push(r);
    }
  });
  return { kind: keys.kind(first), setup: first.setup, runs, ...(first.gridRuns !== undefined ? { gridRuns: first.gridRuns } : {}) };
}

/**
 * The runs of an earlier piece that a resumed grid can reuse: the piece's setup must equal this run's (else a
 * one-line UsageError naming `flag` and the field), and only runs this shard computes are kept (keyed by `key`).
 *
 * @example const reuse = resumeRuns(prev, setup, new Set(mine.map(String)), (r) => String(r.index), '--resume-from');
 */
export function resumeRuns<R>(prev: RunGridPiece<R>, setup: Record<string, unknown>, mine: ReadonlySet<string>, key: (r: R) => string, flag: string, file = 'the piece'): Map<string, R> {
  const d = setupDifference(prev.setup ?? {}, setup);
  if (d) throw new UsageError(`${flag}: ${file} is from a different grid: setup "${d.field}" differs (saved ${JSON.stringify(d.a)}, this run ${JSON.stringify(d.b)})`, flag);
  const out = new Map<string, R>();
  for (const r of prev.runs ?? []) if (mine.has(key(r))) out.set(key(r), r);
  return out;
}

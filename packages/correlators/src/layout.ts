import { buildTupleTree, tupleRank, type TupleTree } from './tuples';
import { evenPartitions, type Partition } from './partitions';

/**
 * Which correlators are computed, and the index tables every later step shares: the tuple tree over the combined
 * index s = i · d_out + a (P inputs, d_out outputs), the even orders, and for every tuple of every even order the
 * sub-tuples that each block of each even partition selects (used by Wick's theorem, the moment–cumulant
 * relations and the exact finite-width expansion).
 *
 * Statistics are stored for all even orders 2, 4, ..., max(orders) — the connected n-point function needs the
 * lower ones — concatenated in one float64 vector ("stats vector"): order k starts at `offset(k)`.
 */
export interface CorrelatorLayout {
  /** Number of inputs P. */
  readonly points: number;
  readonly dOut: number;
  /** Q = P · d_out. */
  readonly size: number;
  /** Requested orders (even, ascending). */
  readonly orders: readonly number[];
  /** Even orders stored: 2, 4, ..., maxOrder. */
  readonly stored: readonly number[];
  readonly maxOrder: number;
  readonly tree: TupleTree;
  /** Length of the stats vector (sum of the stored levels' tuple counts). */
  readonly statCount: number;
  /** Start of order k in the stats vector. */
  offset(order: number): number;
  /** Number of tuples of order k. */
  count(order: number): number;
  /** Even partitions and block sub-tuple ranks of order k. */
  blocks(order: number): BlockTable;
}

/** For one order n: the even partitions and, per tuple and partition, the rank of each block's sub-tuple. */
export interface BlockTable {
  readonly order: number;
  readonly partitions: readonly Partition[];
  /** Flattened per tuple: for partition p, blocks at `start[p] .. start[p+1]` of `ranks`/`sizes` (tuple-local). */
  readonly start: Int32Array;
  /** Block sizes, length start[last]; same for every tuple. */
  readonly sizes: Int32Array;
  /** Row-major [tuples, start[last]]: rank of the block's sub-tuple in the level of its size. */
  readonly ranks: Int32Array;
}

/**
 * Create the layout for inputs × outputs and the requested even orders.
 *
 * @example
 * const L = correlatorLayout(6, 1, [2, 4, 6]);
 * L.count(6); // 462
 * L.statCount; // 21 + 126 + 462
 */
export function correlatorLayout(points: number, dOut: number, orders: readonly number[]): CorrelatorLayout {
  if (orders.length === 0) throw new RangeError('correlatorLayout: at least one order');
  for (const n of orders) if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) throw new RangeError(`correlatorLayout: orders must be even integers >= 2, got ${n}`);
  const sorted = [...new Set(orders)].sort((a, b) => a - b);
  const maxOrder = sorted[sorted.length - 1];
  const size = points * dOut;
  const tree = buildTupleTree(size, maxOrder);
  const stored: number[] = [];
  const offsets = new Map<number, number>();
  let statCount = 0;
  for (let k = 2; k <= maxOrder; k += 2) {
    stored.push(k);
    offsets.set(k, statCount);
    statCount += tree.levels[k - 1].count;
  }
  const tables = new Map<number, BlockTable>();
  const layout: CorrelatorLayout = {
    points,
    dOut,
    size,
    orders: sorted,
    stored,
    maxOrder,
    tree,
    statCount,
    offset: (k) => {
      const o = offsets.get(k);
      if (o === undefined) throw new RangeError(`correlator layout has no order ${k}`);
      return o;
    },
    count: (k) => tree.levels[k - 1].count,
    blocks: (k) => {
      let t = tables.get(k);
      if (!t) {
        t = blockTable(tree, k);
        tables.set(k, t);
      }
      return t;
    },
  };
  return layout;
}

function blockTable(tree: TupleTree, n: number): BlockTable {
  const partitions = evenPartitions(n);
  const start = new Int32Array(partitions.length + 1);
  for (let p = 0; p < partitions.length; p++) start[p + 1] = start[p] + partitions[p].length;
  const width = start[partitions.length];
  const sizes = new Int32Array(width);
  partitions.forEach((pi, p) => pi.forEach((b, j) => (sizes[start[p] + j] = b.length)));
  const level = tree.levels[n - 1];
  const ranks = new Int32Array(level.count * width);
  const sub: number[] = [];
  for (let t = 0; t < level.count; t++) {
    const base = t * n;
    partitions.forEach((pi, p) =>
      pi.forEach((b, j) => {
        sub.length = 0;
        for (const pos of b) sub.push(level.indices[base + pos]);
        ranks[t * width + start[p] + j] = tupleRank(tree.size, sub);
      }),
    );
  }
  return { order: n, partitions, start, sizes, ranks };
}

/**
 * Σ_π w_π Π_{B ∈ π} value_{|B|}[rank(B)] for every tuple of order n: the engine of Wick sums (w = 1 on pairings),
 * connected correlators (w = Möbius) and the exact 1/N expansion (w selects |π|).
 *
 * `values(k)` returns the per-tuple values of order k (length = count(k)); `weight(p)` the weight of partition p
 * (partition p of `layout.blocks(n).partitions`); zero weights are skipped.
 */
export function partitionSum(layout: CorrelatorLayout, n: number, values: (k: number) => ArrayLike<number>, weight: (p: number, partition: Partition) => number): Float64Array {
  const tab = layout.blocks(n);
  const T = layout.count(n);
  const width = tab.start[tab.partitions.length];
  const w = tab.partitions.map((pi, p) => weight(p, pi));
  const vals = new Map<number, ArrayLike<number>>();
  for (const s of new Set(tab.sizes)) vals.set(s, values(s));
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let acc = 0;
    const row = t * width;
    for (let p = 0; p < tab.partitions.length; p++) {
      if (w[p] === 0) continue;
      let prod = w[p];
      for (let j = tab.start[p]; j < tab.start[p + 1]; j++) prod *= vals.get(tab.sizes[j])![tab.ranks[row + j]];
      acc += prod;
    }
    out[t] = acc;
  }
  return out;
}

/**
 * A P×P kernel as the order-2 values over combined indices: K̂[(i,a),(j,b)] = δ_ab K[i,j] (the multi-output GP
 * covariance at zero-mean weights), in the order of the level-2 tuples.
 */
export function kernelLevel(layout: CorrelatorLayout, kernel: ArrayLike<number>): Float64Array {
  const P = layout.points;
  if (kernel.length !== P * P) throw new RangeError(`kernelLevel: kernel must be ${P}x${P}, got length ${kernel.length}`);
  const lvl = layout.tree.levels[1];
  const out = new Float64Array(lvl.count);
  const d = layout.dOut;
  for (let t = 0; t < lvl.count; t++) {
    const s = lvl.indices[2 * t];
    const u = lvl.indices[2 * t + 1];
    out[t] = s % d === u % d ? kernel[Math.floor(s / d) * P + Math.floor(u / d)] : 0;
  }
  return out;
}

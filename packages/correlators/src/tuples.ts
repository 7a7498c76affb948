/**
 * Non-decreasing index tuples and the tuple tree used by the correlator hot loop.
 *
 * A correlator G^(n)(x_{i1}, a_1; ...; x_{in}, a_n) = E[f_{a_1}(x_{i1}) ... f_{a_n}(x_{in})] is symmetric under
 * simultaneous permutations of its (input, output) pairs, so it is enough to store it on the non-decreasing tuples
 * of the combined index s = i · d_out + a in [0, Q), Q = P · d_out: C(Q + n − 1, n) entries for order n.
 *
 * Tuples of order k are enumerated in lexicographic order by appending s >= last(t) to every tuple t of order
 * k − 1 (itself lexicographic), so every tuple has a parent at the previous level and a product over a tuple is
 * one multiplication away from its parent's product: the whole tree of levels 1..n costs one multiply per node.
 */

/** One level (order k) of the tuple tree. */
export interface TupleLevel {
  /** Order k (tuple length). */
  readonly order: number;
  /** Number of tuples C(Q + k − 1, k). */
  readonly count: number;
  /** Row-major [count, k] combined indices, non-decreasing within a row, rows in lexicographic order. */
  readonly indices: Int32Array;
  /** Index of the prefix (first k − 1 entries) in level k − 1; −1 at level 1. */
  readonly parent: Int32Array;
  /** Last entry of each tuple (the factor applied to the parent's product). */
  readonly last: Int32Array;
}

/** All levels 1..maxOrder over Q combined indices. */
export interface TupleTree {
  /** Q = P · d_out. */
  readonly size: number;
  readonly maxOrder: number;
  /** levels[k - 1] is order k. */
  readonly levels: readonly TupleLevel[];
}

/** Binomial coefficient C(n, k) as a float (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(r);
}

/** Number of non-decreasing tuples of length n over Q symbols: C(Q + n − 1, n). */
export function tupleCount(size: number, order: number): number {
  return binomial(size + order - 1, order);
}

/**
 * Build the tuple tree of levels 1..maxOrder over `size` combined indices.
 *
 * @example
 * const tree = buildTupleTree(6, 4);
 * tree.levels[3].count; // C(9, 4) = 126 four-point tuples over six points
 */
export function buildTupleTree(size: number, maxOrder: number): TupleTree {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`buildTupleTree: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new RangeError(`buildTupleTree: maxOrder must be a positive integer, got ${maxOrder}`);
  const levels: TupleLevel[] = [];
  const l1 = new Int32Array(size);
  for (let s = 0; s < size; s++) l1[s] = s;
  levels.push({ order: 1, count: size, indices: l1, parent: new Int32Array(size).fill(-1), last: l1.slice() });
  for (let k = 2; k <= maxOrder; k++) {
    const prev = levels[k - 2];
    const count = tupleCount(size, k);
    const indices = new Int32Array(count * k);
    const parent = new Int32Array(count);
    const last = new Int32Array(count);
    let t = 0;
    for (let p = 0; p < prev.count; p++) {
      const from = prev.last[p];
      for (let s = from; s < size; s++) {
        for (let j = 0; j < k - 1; j++) indices[t * k + j] = prev.indices[p * (k - 1) + j];
        indices[t * k + k - 1] = s;
        parent[t] = p;
        last[t] = s;
        t++;
      }
    }
    if (t !== count) throw new Error(`buildTupleTree: internal count mismatch ${t} != ${count}`);
    levels.push({ order: k, count, indices, parent, last });
  }
  return { size, maxOrder, levels };
}

/**
 * Every non-decreasing tuple of length `order` over 0..size−1, in lexicographic order (level `order` of
 * {@link buildTupleTree}, one Int32Array per tuple): the tuples whose count is {@link tupleCount}.
 *
 * @example tuplesOfOrder(3, 2).map((t) => Array.from(t)); // [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]]
 */
export function tuplesOfOrder(size: number, order: number): Int32Array[] {
  const level = buildTupleTree(size, order).levels[order - 1];
  return Array.from({ length: level.count }, (_, t) => level.indices.slice(t * order, (t + 1) * order));
}

/** Tuple t of a level as a plain array. */
export function tupleAt(level: TupleLevel, t: number): number[] {
  return Array.from(level.indices.subarray(t * level.order, (t + 1) * level.order));
}

/**
 * Rank of a non-decreasing tuple within its level (inverse of {@link tupleAt}), by the combinatorial number
 * system: with lexicographic order, the rank is the number of tuples that precede it. O(k) per call.
 *
 * @example
 * tupleRank(6, [0, 0]); // 0
 * tupleRank(6, [0, 5]); // 5
 * tupleRank(6, [1, 1]); // 6
 */
export function tupleRank(size: number, tuple: ArrayLike<number>): number {
  const k = tuple.length;
  let rank = 0;
  let lo = 0;
  for (let j = 0; j < k; j++) {
    const rem = k - j - 1;
    for (let s = lo; s < tuple[j]; s++) rank += tupleCount(size - s, rem);
    lo = tuple[j];
  }
  return rank;
}

/** Split a combined index into (input, output). */
export function splitIndex(s: number, dOut: number): [number, number] {
  return [Math.floor(s / dOut), s % dOut];
}

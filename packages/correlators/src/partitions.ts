/**
 * Set partitions of the n positions of a correlator into blocks of even size, the combinatorics behind Wick's
 * theorem, the moment–cumulant relations and the exact finite-width expansion.
 *
 * For a zero-mean field whose odd cumulants vanish (every architecture here: the last layer's weights and bias are
 * symmetric about 0), the moment–cumulant formula keeps only partitions into even blocks:
 *
 *   G^(n)(1..n) = Σ_{π ∈ Π_even(n)} Π_{B ∈ π} κ_B,        κ_{1..n} = Σ_{π ∈ Π_even(n)} μ(π) Π_{B ∈ π} G_B,
 *
 * with μ(π) = (−1)^{|π|−1} (|π| − 1)! (Möbius function of the partition lattice). Π_even(4) has 3 + 1 elements
 * (three pairings and the single block), Π_even(6) has 15 + 15 + 1 (pairings, 4+2 splits, one block).
 */

/** A partition of positions 0..n-1: blocks of positions, each block sorted, blocks sorted by first position. */
export type Partition = readonly (readonly number[])[];

const cache = new Map<number, Partition[]>();

/**
 * All partitions of {0..n-1} into blocks of even size (n even). Cached.
 *
 * @example
 * evenPartitions(4).length; // 4: {01|23}, {02|13}, {03|12}, {0123}
 * evenPartitions(6).length; // 31
 */
export function evenPartitions(n: number): readonly Partition[] {
  if (!Number.isInteger(n) || n < 0 || n % 2 !== 0) throw new RangeError(`evenPartitions: n must be a non-negative even integer, got ${n}`);
  const hit = cache.get(n);
  if (hit) return hit;
  const out: Partition[] = [];
  // Recursive: the block containing the smallest remaining position takes it plus an odd number of others.
  const rec = (rest: number[], acc: number[][]): void => {
    if (rest.length === 0) {
      out.push(acc.map((b) => b.slice()));
      return;
    }
    const [first, ...others] = rest;
    const m = others.length;
    // choose subsets of `others` of odd size to join `first`
    for (let mask = 1; mask < 1 << m; mask++) {
      let bits = 0;
      for (let j = 0; j < m; j++) if (mask & (1 << j)) bits++;
      if (bits % 2 === 0) continue;
      const block = [first];
      const left: number[] = [];
      for (let j = 0; j < m; j++) (mask & (1 << j) ? block : left).push(others[j]);
      acc.push(block);
      rec(left, acc);
      acc.pop();
    }
  };
  rec(Array.from({ length: n }, (_, i) => i), []);
  cache.set(n, out);
  return out;
}

/**
 * The (n − 1)!! perfect matchings of {0..n-1} (Wick pairings).
 *
 * @example
 * pairings(6).length; // 15
 */
export function pairings(n: number): readonly Partition[] {
  return evenPartitions(n).filter((p) => p.every((b) => b.length === 2));
}

/** Möbius function of the partition lattice at (π, 1̂): (−1)^{|π|−1} (|π| − 1)!. */
export function mobius(blocks: number): number {
  let f = 1;
  for (let k = 2; k < blocks; k++) f *= k;
  return (blocks % 2 === 1 ? 1 : -1) * f;
}

/** (m − 1)!! for even m (the Gaussian moment E[w^m] / σ^m); 0 for odd m. */
export function doubleFactorialOdd(m: number): number {
  if (m % 2 === 1) return 0;
  let r = 1;
  for (let k = m - 1; k > 1; k -= 2) r *= k;
  return r;
}

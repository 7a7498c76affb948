import type { CorrelatorLayout } from './layout';
import type { TupleMeanFunctional } from './tuple-means';

/**
 * Networks per tile of {@link CorrelatorAccumulator.push}, at most: the node-major products of a tile (nodes × tile
 * float64; 107 KB for 6 points up to order 4) stay in L2. Tile sizes 16-256 measured the same within noise; not part
 * of the result (any tile size gives the same bits).
 */
const MAX_TILE = 64;

/** Bound on a tile's products in bytes: large layouts (up to MAX_TUPLES) get shorter tiles, down to one network. */
const TILE_BYTES = 2 ** 21;

/**
 * Streaming float64 accumulator of the products Π_j f(x_{i_j})_{a_j} over every non-decreasing tuple of every
 * stored even order, one value per network, with memory O(B · T) independent of the ensemble size M.
 *
 * Statistics. Networks are dealt into B interleaved groups by their global index (g = index mod B, so the groups
 * do not depend on how the ensemble is chunked or sharded). Each group keeps, per tuple, the count, mean and sum of
 * squared deviations M2. A chunk is first summed with a shift (the group's running mean, so the shifted sums are
 * small and Σd² − (Σd)²/n loses nothing), then merged into the group by Chan, Golub & LeVeque's parallel formulas
 *
 *   n = n_a + n_b,  δ = x̄_b − x̄_a,  x̄ = x̄_a + δ n_b / n,  M2 = M2_a + M2_b + δ² n_a n_b / n,
 *
 * which are also how shards and groups are merged. The totals (estimate and standard error √(M2 / (n (n − 1))))
 * are the Chan merge of the groups — exact, not a batch-means approximation; the groups' own means give
 * delete-one-group jackknife errors for derived, nonlinear quantities (connected correlators, mean deviations).
 *
 * Per-network tuple means. Optional {@link TupleMeanFunctional}s s_m = w · P_m + c (means over tuples that are
 * affine in the per-network products) are evaluated per network and kept like the stats (per group: count, mean,
 * M2 of s_m; Chan-merged), so their standard error sd(s_m)/√M is exact instead of a jackknife over B groups.
 *
 * Hot loop. Products over the tuple tree: each node is its parent's product times one output (one multiply per
 * tuple per network, ~900 multiplies per network for 6 points up to order 6), the top level fused into the
 * accumulation; computed node-major over tiles of networks (see `push`), which is bit-identical to a
 * network-at-a-time loop and ≈ 2x faster in V8 (docs/performance.md, "Correlator accumulator").
 */
export class CorrelatorAccumulator {
  readonly groups: number;
  readonly statCount: number;
  /** Networks per group. */
  readonly n: Float64Array;
  /** Row-major [groups, statCount] group means. */
  readonly mean: Float64Array;
  /** Row-major [groups, statCount] group sums of squared deviations. */
  readonly m2: Float64Array;
  /**
   * The per-network tuple means kept (undefined: none, e.g. measured K or a piece of an older format; merging with
   * such an accumulator drops them, since the merged networks' s_m are then not all known).
   */
  tupleMeans: readonly TupleMeanFunctional[] | undefined;
  /** Row-major [groups, functionals] group means of s_m. */
  tMean: Float64Array;
  /** Row-major [groups, functionals] group sums of squared deviations of s_m. */
  tM2: Float64Array;
  /**
   * The functionals' weights cut into per-order blocks, identical blocks kept once (the mean deviation and the mean
   * connected deviation of order n share the order-n weights): part j is the dot product of `partWeight` at
   * partStart[j]..partStart[j+1] with the products of the tree nodes from `partNode[j]` (the first node of its
   * order's level); functional f = its constant + the parts fParts[fPartStart[f]..fPartStart[f+1]].
   */
  private readonly partNode: Int32Array;
  private readonly partStart: Int32Array;
  private readonly partWeight: Float64Array;
  private readonly fPartStart: Int32Array;
  private readonly fParts: Int32Array;
  private readonly fConstant: Float64Array;

  private readonly nodes: number;
  /** Networks per tile of `push` (MAX_TILE, fewer for large layouts so a tile's products stay within TILE_BYTES). */
  private readonly tile: number;
  private readonly parent: Int32Array;
  private readonly last: Int32Array;
  /** Even orders below the top, flattened as [node start, node end, stats offset] triples. */
  private readonly lowRanges: Int32Array;
  /** First node of the top level (its products are fused into the accumulation). */
  private readonly topStart: number;
  private readonly topOffset: number;

  constructor(
    readonly layout: CorrelatorLayout,
    options: { groups?: number; tupleMeans?: readonly TupleMeanFunctional[] } = {},
  ) {
    const B = options.groups ?? 16;
    if (!Number.isInteger(B) || B < 2) throw new RangeError(`CorrelatorAccumulator: groups must be an integer >= 2, got ${B}`);
    this.groups = B;
    this.statCount = layout.statCount;
    this.n = new Float64Array(B);
    this.mean = new Float64Array(B * layout.statCount);
    this.m2 = new Float64Array(B * layout.statCount);
    const fs = options.tupleMeans?.length ? options.tupleMeans : undefined;
    for (const f of fs ?? []) if (f.weights.length !== layout.statCount) throw new RangeError(`CorrelatorAccumulator: tuple mean ${f.id} has ${f.weights.length} weights, expected ${layout.statCount}`);
    this.tupleMeans = fs;
    const F = fs?.length ?? 0;
    this.tMean = new Float64Array(B * F);
    this.tM2 = new Float64Array(B * F);
    const parts: { off: number; order: number; w: Float64Array }[] = [];
    const fParts: number[] = [];
    this.fPartStart = new Int32Array(F + 1);
    this.fConstant = Float64Array.from(fs ?? [], (f) => f.constant);
    (fs ?? []).forEach((f, i) => {
      for (const k of layout.stored) {
        const off = layout.offset(k);
        const w = f.weights.subarray(off, off + layout.count(k));
        if (w.every((v) => v === 0)) continue;
        let j = parts.findIndex((p) => p.off === off && p.w.every((v, t) => v === w[t]));
        if (j < 0) j = parts.push({ off, order: k, w: w.slice() }) - 1;
        fParts.push(j);
      }
      this.fPartStart[i + 1] = fParts.length;
    });
    this.fParts = Int32Array.from(fParts);
    this.partStart = new Int32Array(parts.length + 1);
    parts.forEach((p, j) => (this.partStart[j + 1] = this.partStart[j] + p.w.length));
    this.partWeight = new Float64Array(this.partStart[parts.length]);
    parts.forEach((p, j) => this.partWeight.set(p.w, this.partStart[j]));
    // Flatten the tree: node j of level k sits at levelStart[k] + t; parent indices made absolute.
    const levels = layout.tree.levels;
    const levelStart: number[] = [];
    let total = 0;
    for (const l of levels) {
      levelStart.push(total);
      total += l.count;
    }
    this.nodes = total;
    this.tile = Math.max(1, Math.min(MAX_TILE, Math.floor(TILE_BYTES / (8 * total))));
    this.parent = new Int32Array(total);
    this.last = new Int32Array(total);
    levels.forEach((l, k) => {
      for (let t = 0; t < l.count; t++) {
        this.parent[levelStart[k] + t] = k === 0 ? -1 : levelStart[k - 1] + l.parent[t];
        this.last[levelStart[k] + t] = l.last[t];
      }
    });
    const top = layout.maxOrder; // even by construction
    this.lowRanges = Int32Array.from(layout.stored.filter((k) => k < top).flatMap((k) => [levelStart[k - 1], levelStart[k - 1] + levels[k - 1].count, layout.offset(k)]));
    this.topStart = levelStart[top - 1];
    this.partNode = Int32Array.from(parts, (p) => levelStart[p.order - 1]);
    this.topOffset = layout.offset(top);
  }

  /** Total networks accumulated. */
  get count(): number {
    let s = 0;
    for (let g = 0; g < this.groups; g++) s += this.n[g];
    return s;
  }

  /**
   * Add a chunk of outputs, row-major [count, P, d_out] (float32 or float64), for networks start..start+count−1.
   *
   * @example
   * acc.push(chunk.outputs, chunk.count, chunk.start);
   */
  push(outputs: ArrayLike<number>, count: number, start: number): this {
    const Q = this.layout.size;
    if (outputs.length < count * Q) throw new RangeError(`CorrelatorAccumulator.push: outputs has ${outputs.length} values, expected ${count} x ${Q}`);
    const B = this.groups;
    const S = this.statCount;
    const { s1, s2, prod, t1, t2, pu } = this.scratch();
    const F = this.tupleMeans?.length ?? 0;
    const { partNode, partStart, partWeight, fPartStart, fParts, fConstant, parent, last, nodes, topStart, lowRanges: ranges, tile: L } = this;
    const mean = this.mean;
    const tMean = this.tMean;
    const nr = ranges.length;
    const tb = this.topOffset - topStart; // stats index of top node j = tb + j
    const s0 = start % B; // start >= 0, so 0 <= s0 < B and (g - s0 + B) % B below is never -0
    // Group-major: the networks of group g (global index ≡ g mod B) are summed into one S-vector, then merged. Within
    // a group they are processed L (this.tile) at a time, node-major ("structure of arrays": prod[j·L + i] is node j's
    // product for the tile's network i), so each inner loop runs over contiguous networks with the node's parent, last
    // output and group mean hoisted. Every sum still adds the networks in increasing index order with the same
    // operations as a network-at-a-time loop, so the result is bit-identical to it (and to earlier versions of this
    // class). The loops are small module functions, called per tile: V8 optimises them after a few calls, where one
    // large loop nest waited for on-stack replacement (≈ 100 ms per call for the first chunks; measured).
    for (let g = 0; g < B; g++) {
      const first = (g - s0 + B) % B;
      if (first >= count) continue;
      const gb = g * S;
      s1.fill(0);
      s2.fill(0);
      t1.fill(0);
      t2.fill(0);
      const nb = Math.floor((count - first + B - 1) / B);
      for (let r0 = 0; r0 < nb; r0 += L) {
        const nt = Math.min(L, nb - r0);
        gatherTile(outputs, prod, L, first + r0 * B, B, Q, nt);
        if (topStart > Q) nodeProducts(prod, L, parent, last, Q, topStart, nt);
        for (let k = 0; k < nr; k += 3) shiftedSums(prod, L, mean, s1, s2, ranges[k], ranges[k + 1], ranges[k + 2] - ranges[k], gb, nt);
        if (F === 0) topSums(prod, L, parent, last, mean, s1, s2, topStart, nodes, tb, gb, nt);
        else {
          topSumsKept(prod, L, parent, last, mean, s1, s2, topStart, nodes, tb, gb, nt);
          partSums(prod, L, pu, partNode, partStart, partWeight, nt);
          functionalSums(pu, L, fPartStart, fParts, fConstant, tMean, t1, t2, g * F, nt);
        }
      }
      // Chan merge of this chunk's group-g block (shifted by the group's running mean) into the group.
      const na = this.n[g];
      const ntot = na + nb;
      for (let k = 0; k < S; k++) {
        const mb = mean[gb + k] + s1[k] / nb;
        const m2b = Math.max(0, s2[k] - (s1[k] * s1[k]) / nb);
        const delta = mb - mean[gb + k];
        mean[gb + k] += (delta * nb) / ntot;
        this.m2[gb + k] += m2b + (delta * delta * na * nb) / ntot;
      }
      for (let f = 0; f < F; f++) {
        const k = g * F + f;
        const delta = t1[f] / nb;
        tMean[k] += (delta * nb) / ntot;
        this.tM2[k] += Math.max(0, t2[f] - (t1[f] * t1[f]) / nb) + (delta * delta * na * nb) / ntot;
      }
      this.n[g] = ntot;
    }
    return this;
  }

  private buffers?: { s1: Float64Array; s2: Float64Array; prod: Float64Array; t1: Float64Array; t2: Float64Array; pu: Float64Array };

  /** Work arrays, allocated once: the stats sums, and the node-major products of one tile of networks. */
  private scratch(): { s1: Float64Array; s2: Float64Array; prod: Float64Array; t1: Float64Array; t2: Float64Array; pu: Float64Array } {
    const F = this.tupleMeans?.length ?? 0;
    this.buffers ??= { s1: new Float64Array(this.statCount), s2: new Float64Array(this.statCount), prod: new Float64Array(this.nodes * this.tile), t1: new Float64Array(F), t2: new Float64Array(F), pu: new Float64Array(this.partNode.length * this.tile) };
    return this.buffers;
  }

  /** Merge another accumulator of the same layout and group count into this one (Chan et al., group by group). */
  merge(other: MergeSource & { groups: number }): this {
    if (other.groups !== this.groups) throw new RangeError(`CorrelatorAccumulator.merge: groups differ (${this.groups} vs ${other.groups})`);
    if (other.mean.length !== this.mean.length) throw new RangeError('CorrelatorAccumulator.merge: layouts differ');
    mergeGroups(this, other);
    return this;
  }

  /**
   * Totals over all groups: per-statistic mean, standard error of the mean, and the count. Uses the Chan merge of
   * the groups, so it equals a single Welford pass over all networks up to rounding.
   */
  totals(): { count: number; mean: Float64Array; stderr: Float64Array; m2: Float64Array } {
    const S = this.statCount;
    let n = 0;
    const mean = new Float64Array(S);
    const m2 = new Float64Array(S);
    for (let g = 0; g < this.groups; g++) {
      const nb = this.n[g];
      if (nb === 0) continue;
      const nt = n + nb;
      for (let k = 0; k < S; k++) {
        const delta = this.mean[g * S + k] - mean[k];
        mean[k] += (delta * nb) / nt;
        m2[k] += this.m2[g * S + k] + (delta * delta * n * nb) / nt;
      }
      n = nt;
    }
    const stderr = new Float64Array(S);
    for (let k = 0; k < S; k++) stderr[k] = n > 1 ? Math.sqrt(m2[k] / (n - 1) / n) : NaN;
    return { count: n, mean, stderr, m2 };
  }

  /**
   * The per-network tuple means over all networks: per functional id, the mean of s_m and its exact standard error
   * sd(s_m)/√M (Chan merge of the groups). Undefined when none are kept.
   */
  tupleMeanTotals(): Map<string, { mean: number; stderr: number; count: number }> | undefined {
    const fs = this.tupleMeans;
    if (!fs) return undefined;
    const F = fs.length;
    const out = new Map<string, { mean: number; stderr: number; count: number }>();
    fs.forEach((f, i) => {
      let n = 0;
      let mean = 0;
      let m2 = 0;
      for (let g = 0; g < this.groups; g++) {
        const nb = this.n[g];
        if (nb === 0) continue;
        const nt = n + nb;
        const delta = this.tMean[g * F + i] - mean;
        mean += (delta * nb) / nt;
        m2 += this.tM2[g * F + i] + (delta * delta * n * nb) / nt;
        n = nt;
      }
      out.set(f.id, { mean, stderr: n > 1 ? Math.sqrt(m2 / (n - 1) / n) : NaN, count: n });
    });
    return out;
  }

  /**
   * Delete-one-group means: for every non-empty group g, the mean over all networks outside g (row-major
   * [replicas, statCount]), for jackknife errors of derived quantities.
   */
  leaveOneOut(): { replicas: Float64Array[]; sizes: number[] } {
    const { count, mean } = this.totals();
    const S = this.statCount;
    const replicas: Float64Array[] = [];
    const sizes: number[] = [];
    for (let g = 0; g < this.groups; g++) {
      const ng = this.n[g];
      if (ng === 0 || ng === count) continue;
      const r = new Float64Array(S);
      for (let k = 0; k < S; k++) r[k] = (count * mean[k] - ng * this.mean[g * S + k]) / (count - ng);
      replicas.push(r);
      sizes.push(ng);
    }
    return { replicas, sizes };
  }
}

// Tile kernels of CorrelatorAccumulator.push. prod is node-major with row length L: prod[j·L + i] is node j's
// product for the tile's network i (nodes 0..Q−1 are the outputs themselves); nt <= L networks are in the tile.

/** Outputs of the tile's networks (global rows row0, row0 + B, …) into nodes 0..Q−1. */
function gatherTile(outputs: ArrayLike<number>, prod: Float64Array, L: number, row0: number, B: number, Q: number, nt: number): void {
  for (let i = 0; i < nt; i++) {
    const row = (row0 + i * B) * Q;
    for (let q = 0; q < Q; q++) prod[q * L + i] = outputs[row + q];
  }
}

/** Products of nodes from..to−1 (below the top level): node j = its parent's product × output last[j]. */
function nodeProducts(prod: Float64Array, L: number, parent: Int32Array, last: Int32Array, from: number, to: number, nt: number): void {
  for (let j = from; j < to; j++) {
    const o = j * L;
    const pa = parent[j] * L;
    const la = last[j] * L;
    for (let i = 0; i < nt; i++) prod[o + i] = prod[pa + i] * prod[la + i];
  }
}

/** Shifted sums of stored nodes a..b−1 (stats index base + j; group means at gb + base + j). */
function shiftedSums(prod: Float64Array, L: number, mean: Float64Array, s1: Float64Array, s2: Float64Array, a: number, b: number, base: number, gb: number, nt: number): void {
  for (let j = a; j < b; j++) {
    const o = j * L;
    const m = mean[gb + base + j];
    let x1 = s1[base + j];
    let x2 = s2[base + j];
    for (let i = 0; i < nt; i++) {
      const d = prod[o + i] - m;
      x1 += d;
      x2 += d * d;
    }
    s1[base + j] = x1;
    s2[base + j] = x2;
  }
}

/** The top level's products fused into their shifted sums (stats index tb + j), not stored. */
function topSums(prod: Float64Array, L: number, parent: Int32Array, last: Int32Array, mean: Float64Array, s1: Float64Array, s2: Float64Array, from: number, to: number, tb: number, gb: number, nt: number): void {
  for (let j = from; j < to; j++) {
    const pa = parent[j] * L;
    const la = last[j] * L;
    const m = mean[gb + tb + j];
    let x1 = s1[tb + j];
    let x2 = s2[tb + j];
    for (let i = 0; i < nt; i++) {
      const d = prod[pa + i] * prod[la + i] - m;
      x1 += d;
      x2 += d * d;
    }
    s1[tb + j] = x1;
    s2[tb + j] = x2;
  }
}

/** As {@link topSums}, keeping the products (for the tuple means). */
function topSumsKept(prod: Float64Array, L: number, parent: Int32Array, last: Int32Array, mean: Float64Array, s1: Float64Array, s2: Float64Array, from: number, to: number, tb: number, gb: number, nt: number): void {
  for (let j = from; j < to; j++) {
    const o = j * L;
    const pa = parent[j] * L;
    const la = last[j] * L;
    const m = mean[gb + tb + j];
    let x1 = s1[tb + j];
    let x2 = s2[tb + j];
    for (let i = 0; i < nt; i++) {
      const p = prod[pa + i] * prod[la + i];
      prod[o + i] = p;
      const d = p - m;
      x1 += d;
      x2 += d * d;
    }
    s1[tb + j] = x1;
    s2[tb + j] = x2;
  }
}

/** Part j of network i: pu[j·L + i] = Σ_t w_t prod_t, terms in t order from 0 (as a scalar loop adds them). */
function partSums(prod: Float64Array, L: number, pu: Float64Array, partNode: Int32Array, partStart: Int32Array, partWeight: Float64Array, nt: number): void {
  for (let j = 0; j < partNode.length; j++) {
    const u = j * L;
    pu.fill(0, u, u + nt);
    const base = partNode[j] - partStart[j];
    for (let t = partStart[j]; t < partStart[j + 1]; t++) {
      const w = partWeight[t];
      const o = (base + t) * L;
      for (let i = 0; i < nt; i++) pu[u + i] += w * prod[o + i];
    }
  }
}

/** Shifted sums of the functionals s = constant + its parts (added in order), group means at tMean[fb + f]. */
function functionalSums(pu: Float64Array, L: number, fPartStart: Int32Array, fParts: Int32Array, fConstant: Float64Array, tMean: Float64Array, t1: Float64Array, t2: Float64Array, fb: number, nt: number): void {
  for (let f = 0; f < fConstant.length; f++) {
    const m = tMean[fb + f];
    const c = fConstant[f];
    const p0 = fPartStart[f];
    const p1 = fPartStart[f + 1];
    let x1 = t1[f];
    let x2 = t2[f];
    for (let i = 0; i < nt; i++) {
      let v = c;
      for (let t = p0; t < p1; t++) v += pu[fParts[t] * L + i];
      const d = v - m;
      x1 += d;
      x2 += d * d;
    }
    t1[f] = x1;
    t2[f] = x2;
  }
}

/** What {@link mergeGroups} reads of the other side. */
export interface MergeSource {
  n: ArrayLike<number>;
  mean: ArrayLike<number>;
  m2: ArrayLike<number>;
  tupleMeans?: readonly { id: string }[];
  tMean?: ArrayLike<number>;
  tM2?: ArrayLike<number>;
}

/**
 * Chan merge of group states b into a (in place). The per-network tuple means are merged when both sides keep the
 * same ones, and dropped from a otherwise (the merged networks' s_m would not all be counted).
 */
export function mergeGroups(
  a: { n: Float64Array; mean: Float64Array; m2: Float64Array; groups: number; tupleMeans?: readonly { id: string }[]; tMean?: Float64Array; tM2?: Float64Array },
  b: MergeSource,
): void {
  const S = a.mean.length / a.groups;
  const F = a.tupleMeans?.length ?? 0;
  const sameTupleMeans = F > 0 && b.tupleMeans !== undefined && b.tupleMeans.length === F && b.tupleMeans.every((f, i) => f.id === a.tupleMeans![i].id);
  if (F > 0 && !sameTupleMeans) a.tupleMeans = undefined;
  for (let g = 0; g < a.groups; g++) {
    const na = a.n[g];
    const nb = b.n[g];
    if (nb === 0) continue;
    const nt = na + nb;
    for (let k = g * S; k < (g + 1) * S; k++) {
      const delta = b.mean[k] - a.mean[k];
      a.mean[k] += (delta * nb) / nt;
      a.m2[k] += b.m2[k] + (delta * delta * na * nb) / nt;
    }
    if (sameTupleMeans) {
      for (let k = g * F; k < (g + 1) * F; k++) {
        const delta = b.tMean![k] - a.tMean![k];
        a.tMean![k] += (delta * nb) / nt;
        a.tM2![k] += b.tM2![k] + (delta * delta * na * nb) / nt;
      }
    }
    a.n[g] = nt;
  }
}

/**
 * Delete-one-group jackknife standard error of a derived quantity from its values θ_(g) on the G replicas:
 * √((G − 1)/G Σ_g (θ_(g) − θ̄)²) (Efron & Stein; the groups here differ in size by at most one network in a
 * complete run, so the equal-size form applies). Returns NaN with fewer than two replicas.
 *
 * @example
 * jackknifeStderr([1.0, 1.1, 0.9, 1.0]); // ≈ 0.12
 */
export function jackknifeStderr(values: ArrayLike<number>): number {
  const G = values.length;
  if (G < 2) return NaN;
  let m = 0;
  for (let g = 0; g < G; g++) m += values[g];
  m /= G;
  let v = 0;
  for (let g = 0; g < G; g++) v += (values[g] - m) ** 2;
  return Math.sqrt(((G - 1) / G) * v);
}

import { UsageError } from '@nnsym/core';
import { fSf, normalTwoSidedP, pseudoInverseForm, pseudoInverseSolve, resolvableEigenTol } from '@nnsym/numerics';
import type { InvarianceDesign } from './design';

/** A chunk of ensemble outputs, as core's ensemble runner yields them: row-major [count, points, dOut]. */
export interface OutputChunk {
  readonly count: number;
  readonly points: number;
  readonly dOut: number;
  readonly outputs: ArrayLike<number>;
}

/** The test on a subset of components (all of them, or one order). */
export interface InvarianceStatistic {
  components: number;
  /** Hotelling T² = M ΔḠᵀ Σ⁺ ΔḠ (Σ the per-network covariance of the paired differences). */
  statistic: number;
  /** Rank of the correlation matrix kept (degrees of freedom): eigen-directions above √(K/M)·λ_max (resolvableEigenTol). */
  dof: number;
  /** P(F_{dof, M−dof} > T² (M−dof)/(dof (M−1))). */
  pValue: number;
  /**
   * Relative size of the breaking, √max(0, Σ_c (ΔḠ_c² − se_c²)) / ‖Ḡ‖: the noise-corrected norm of ΔG over the norm
   * of G (≈ 0 for an invariant ensemble at any M; for a broken one it converges to ‖ΔG‖/‖G‖).
   */
  effectSize: number;
  /** max_c |ΔḠ_c| / se_c. */
  maxAbsZ: number;
  /** Bonferroni: min(1, K · min_c p_c) with two-sided per-component z-tests. */
  bonferroniPValue: number;
}

/**
 * Streaming, mergeable float64 accumulator of the paired differences ΔG_c = Π_j f(g·x)_{a_j} − Π_j f(x)_{a_j} (or
 * Π_j (ρ(g) f(x))_{a_j} − Π_j f(x)_{a_j} for outputs), one vector per network: their mean and covariance (Chan et
 * al.'s pairwise update per chunk), and the mean of the base products Ḡ for the effect size. Memory O(K²) for K
 * components, independent of M; time O(M K²).
 *
 * When to use: with a design from `designInvarianceTest`, push every chunk of the ensemble (evaluated on
 * `design.evalInputs`), then `result()`. Shards can be merged exactly with `merge`.
 */
export class InvarianceAccumulator {
  readonly k: number;
  count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly baseMean: Float64Array;
  /** Per-network paired differences kept for the tail diagnostics (float32, in arrival order, up to `keepValues`). */
  private readonly kept: Float32Array[] = [];
  private keptRows = 0;
  /** Cap on stored values (networks × components) for the diagnostics; default 2^23 (32 MiB of float32). */
  readonly keepValues: number;

  constructor(
    readonly design: InvarianceDesign,
    options: { keepValues?: number } = {},
  ) {
    this.k = design.components.length;
    this.mean = new Float64Array(this.k);
    this.m2 = new Float64Array(this.k * this.k);
    this.baseMean = new Float64Array(this.k);
    this.keepValues = options.keepValues ?? 2 ** 23;
  }

  /** Number of networks whose paired differences are stored for the diagnostics (the first ones, up to the cap). */
  get storedNetworks(): number {
    return this.keptRows;
  }

  /**
   * The stored per-network paired differences, row-major [storedNetworks, k] (float32: the diagnostics need tail
   * shapes, not digits; means and covariances are accumulated in float64 from every network).
   */
  storedRows(): Float32Array {
    const out = new Float32Array(this.keptRows * this.k);
    let off = 0;
    for (const r of this.kept) {
      out.set(r, off);
      off += r.length;
    }
    return out;
  }

  /**
   * Restore stored per-network differences (row-major [networks, k], as {@link storedRows} returns them), e.g. from a
   * checkpoint or a shard's serialised state; subject to the same cap as rows pushed or merged.
   */
  restoreStoredRows(rows: ArrayLike<number>, networks: number): this {
    if (rows.length !== networks * this.k) throw new UsageError(`invariance: ${rows.length} stored values for ${networks} networks × ${this.k} components`, 'partial');
    this.keep(rows, networks);
    return this;
  }

  private keep(rows: ArrayLike<number>, count: number): void {
    const room = Math.floor(this.keepValues / Math.max(this.k, 1)) - this.keptRows;
    const n = Math.min(room, count);
    if (n <= 0) return;
    const r = new Float32Array(n * this.k);
    for (let i = 0; i < n * this.k; i++) r[i] = rows[i];
    this.kept.push(r);
    this.keptRows += n;
  }

  /** Add a chunk of outputs evaluated at `design.evalInputs`. */
  push(chunk: OutputChunk): this {
    const d = this.design;
    const P = d.basePoints;
    const dOut = d.dOut;
    if (chunk.points !== d.evalInputs.length || chunk.dOut !== dOut) {
      throw new UsageError(`invariance: chunk has ${chunk.points} points × ${chunk.dOut} outputs, the design needs ${d.evalInputs.length} × ${dOut}`, 'chunk');
    }
    const k = this.k;
    const c = chunk.count;
    if (c === 0) return this;
    const stride = chunk.points * dOut;
    const diffs = new Float64Array(c * k);
    const base = new Float64Array(k);
    const S = d.elements.length;
    const transformed = Array.from({ length: S }, () => new Float64Array(P * dOut));
    const f0 = new Float64Array(P * dOut);
    for (let m = 0; m < c; m++) {
      const off = m * stride;
      for (let i = 0; i < P * dOut; i++) f0[i] = chunk.outputs[off + i];
      for (let s = 0; s < S; s++) {
        const t = transformed[s];
        if (d.on === 'inputs') {
          const o = off + (s + 1) * P * dOut;
          for (let i = 0; i < P * dOut; i++) t[i] = chunk.outputs[o + i];
        } else {
          const rho = d.rhos![s];
          for (let p = 0; p < P; p++) {
            for (let a = 0; a < dOut; a++) {
              let acc = 0;
              for (let b = 0; b < dOut; b++) acc += rho[a * dOut + b] * f0[p * dOut + b];
              t[p * dOut + a] = acc;
            }
          }
        }
      }
      const row = m * k;
      for (let j = 0; j < k; j++) {
        const comp = d.components[j];
        const t = transformed[comp.element];
        let pb = 1;
        let pt = 1;
        for (const sl of comp.slots) {
          pb *= f0[sl];
          pt *= t[sl];
        }
        diffs[row + j] = pt - pb;
        base[j] += pb;
      }
    }
    // Chunk mean and centred cross-products, then Chan's merge.
    const cm = new Float64Array(k);
    for (let m = 0; m < c; m++) for (let j = 0; j < k; j++) cm[j] += diffs[m * k + j];
    for (let j = 0; j < k; j++) cm[j] /= c;
    const cm2 = new Float64Array(k * k);
    const centred = new Float64Array(k);
    for (let m = 0; m < c; m++) {
      for (let j = 0; j < k; j++) centred[j] = diffs[m * k + j] - cm[j];
      for (let i = 0; i < k; i++) {
        const ci = centred[i];
        if (ci === 0) continue;
        const rowi = i * k;
        for (let j = i; j < k; j++) cm2[rowi + j] += ci * centred[j];
      }
    }
    this.mergeMoments(c, cm, cm2, base.map((v) => v / c));
    this.keep(diffs, c);
    return this;
  }

  /** Merge another accumulator of the same design (e.g. a shard run elsewhere). */
  merge(other: InvarianceAccumulator): this {
    if (other.k !== this.k) throw new UsageError('invariance: cannot merge accumulators of different designs', 'merge');
    this.mergeMoments(other.count, other.mean, other.m2, other.baseMean);
    this.keep(other.storedRows(), other.storedNetworks);
    return this;
  }

  private mergeMoments(nb: number, meanB: Float64Array, m2B: Float64Array, baseB: Float64Array): void {
    const na = this.count;
    const n = na + nb;
    if (nb === 0) return;
    const k = this.k;
    const delta = meanB.map((v, j) => v - this.mean[j]);
    const w = (na * nb) / n;
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) this.m2[i * k + j] += m2B[i * k + j] + w * delta[i] * delta[j];
    for (let j = 0; j < k; j++) {
      this.mean[j] += (delta[j] * nb) / n;
      this.baseMean[j] += ((baseB[j] - this.baseMean[j]) * nb) / n;
    }
    this.count = n;
  }

  /** Estimated ΔG per component (mean over networks of the paired difference) and its standard error. */
  deltas(): { estimate: Float64Array; stderr: Float64Array; base: Float64Array } {
    const k = this.k;
    const M = this.count;
    const se = new Float64Array(k);
    for (let j = 0; j < k; j++) se[j] = Math.sqrt(Math.max(this.m2[j * k + j], 0) / Math.max(M - 1, 1) / M);
    return { estimate: Float64Array.from(this.mean), stderr: se, base: Float64Array.from(this.baseMean) };
  }

  /**
   * Hotelling's T² on the components `which`, with the rank cut-off `relTol` (default: {@link resolvableEigenTol}),
   * and the direction it tests: weights w over `which` such that the per-network projection v_m = Σ_a w_a d_{m,a}
   * has mean wᵀΔḠ = T²/M and variance wᵀΣw = T²/M, i.e. its one-sample t statistic is √T². The tail diagnostics
   * of the verdict are computed on v (the combination of paired differences that carries the evidence).
   */
  directional(which: readonly number[], relTol?: (k: number, M: number) => number): { statistic: number; dof: number; pValue: number; weights: Float64Array; live: number } {
    const K = which.length;
    const M = this.count;
    if (M < 3) throw new UsageError(`--ensemble: an invariance test needs at least 3 networks, got ${M}`, '--ensemble');
    const v = (a: number, b: number) => {
      const [i, j] = which[a] <= which[b] ? [which[a], which[b]] : [which[b], which[a]];
      return this.m2[i * this.k + j] / (M - 1);
    };
    const maxVar = Math.max(0, ...Array.from({ length: K }, (_, a) => v(a, a)));
    const live = Array.from({ length: K }, (_, a) => a).filter((a) => v(a, a) > 1e-24 * maxVar && v(a, a) > 0);
    const L = live.length;
    const weights = new Float64Array(K);
    if (L === 0) return { statistic: 0, dof: 0, pValue: 1, weights, live: 0 };
    const sd = live.map((a) => Math.sqrt(v(a, a)));
    const corr = new Float64Array(L * L);
    const z = new Float64Array(L);
    for (let a = 0; a < L; a++) {
      z[a] = this.mean[which[live[a]]] / sd[a];
      for (let b = 0; b < L; b++) corr[a * L + b] = v(live[a], live[b]) / (sd[a] * sd[b]);
    }
    const { form, rank, solution } = pseudoInverseSolve(corr, z, L, (relTol ?? resolvableEigenTol)(L, M));
    const t2 = M * form;
    if (rank > 0 && M - rank < 1) throw new UsageError(`--ensemble: ${M} networks cannot test ${rank} independent components; use a larger ensemble or fewer --samples/--orders`, '--ensemble');
    const pValue = rank > 0 ? fSf((t2 * (M - rank)) / (rank * (M - 1)), rank, M - rank) : 1;
    for (let a = 0; a < L; a++) weights[live[a]] = solution[a] / sd[a];
    return { statistic: t2, dof: rank, pValue, weights, live: L };
  }

  /** The joint test on the components selected by `which` (default: all). */
  statistic(which?: readonly number[]): InvarianceStatistic {
    const idx = which ?? Array.from({ length: this.k }, (_, j) => j);
    const K = idx.length;
    const M = this.count;
    if (M < 3) throw new UsageError(`--ensemble: an invariance test needs at least 3 networks, got ${M}`, '--ensemble');
    const cov = new Float64Array(K * K);
    for (let a = 0; a < K; a++) {
      for (let b = a; b < K; b++) {
        const [i, j] = idx[a] <= idx[b] ? [idx[a], idx[b]] : [idx[b], idx[a]];
        const v = this.m2[i * this.k + j] / (M - 1);
        cov[a * K + b] = v;
        cov[b * K + a] = v;
      }
    }
    const dbar = Float64Array.from(idx, (j) => this.mean[j]);
    // Hotelling's T² is invariant under rescaling each component, so work with the correlation matrix: the rank
    // cut-off is then relative to O(1) eigenvalues rather than to the largest variance (which can be 10^9 times
    // the smallest when a mean dominates some products). Components without variance (identically zero
    // differences) are left out.
    const maxVar = Math.max(0, ...Array.from({ length: K }, (_, a) => cov[a * K + a]));
    const live = Array.from({ length: K }, (_, a) => a).filter((a) => cov[a * K + a] > 1e-24 * maxVar && cov[a * K + a] > 0);
    const L = live.length;
    const corr = new Float64Array(L * L);
    const scaled = new Float64Array(L);
    for (let a = 0; a < L; a++) {
      const sa = Math.sqrt(cov[live[a] * K + live[a]]);
      scaled[a] = dbar[live[a]] / sa;
      for (let b = 0; b < L; b++) corr[a * L + b] = cov[live[a] * K + live[b]] / (sa * Math.sqrt(cov[live[b] * K + live[b]]));
    }
    // Keep only the eigen-directions the M networks resolve (λ > √(L/M)·λ_max, see resolvableEigenTol).
    const { form, rank } = pseudoInverseForm(corr, scaled, L, resolvableEigenTol(L, M));
    const t2 = M * form;
    let pValue = 1;
    if (rank > 0) {
      if (M - rank < 1) throw new UsageError(`--ensemble: ${M} networks cannot test ${rank} independent components; use a larger ensemble or fewer --samples/--orders`, '--ensemble');
      pValue = fSf((t2 * (M - rank)) / (rank * (M - 1)), rank, M - rank);
    }
    let num = 0;
    let den = 0;
    let maxAbsZ = 0;
    let minP = 1;
    let tested = 0;
    for (let a = 0; a < K; a++) {
      // Bias-corrected: E[ΔḠ²] = ΔG² + se², so Σ(ΔḠ² − se²) estimates ‖ΔG‖² without the Monte-Carlo noise.
      num += dbar[a] ** 2 - cov[a * K + a] / M;
      den += this.baseMean[idx[a]] ** 2;
      const se = Math.sqrt(cov[a * K + a] / M);
      if (se > 1e-12 * (Math.abs(this.baseMean[idx[a]]) + 1e-300)) {
        const z = Math.abs(dbar[a]) / se;
        maxAbsZ = Math.max(maxAbsZ, z);
        minP = Math.min(minP, normalTwoSidedP(z));
        tested++;
      }
    }
    return {
      components: K,
      statistic: t2,
      dof: rank,
      pValue,
      effectSize: den > 0 ? Math.sqrt(Math.max(num, 0) / den) : Math.sqrt(Math.max(num, 0)),
      maxAbsZ,
      bonferroniPValue: Math.min(1, minP * Math.max(tested, 1)),
    };
  }
}

import type { EnsembleChunk } from './types';

/** Per-coordinate ensemble moments of the outputs f(x_p)_d, float64, with standard errors. */
export interface OutputMomentsResult {
  /** Networks accumulated. */
  count: number;
  inputs: number;
  dOut: number;
  /** E[f], [P, d_out] row-major. */
  mean: Float64Array;
  /** Standard error of the mean: sqrt(var / M). */
  meanSE: Float64Array;
  /** Unbiased sample variance Var[f], [P, d_out]. */
  variance: Float64Array;
  /** Standard error of the variance, sqrt((μ4 − σ⁴) / M) with the sample central moments. */
  varianceSE: Float64Array;
}

/** Serialisable state of {@link OutputMoments} (structured-cloneable; plain arrays so it survives JSON too). */
export interface OutputMomentsState {
  inputs: number;
  dOut: number;
  count: number;
  /** The shift the power sums are taken about ([P, d_out]; null before the first network). */
  shift: number[] | null;
  /** Σ (f − shift)^k for k = 1..4, each [P, d_out]. */
  sums: [number[], number[], number[], number[]];
}

/**
 * Streaming float64 moments of ensemble outputs (mean, variance, their standard errors) per input and output
 * coordinate. Power sums are taken about a shift (the first network's outputs), so cancellation stays small.
 *
 * @example
 * const m = new OutputMoments(P, dOut);
 * for (const ch of ensembleChunks(opts)) m.add(ch);
 * m.result().variance // ≈ K(x_p, x_p), the NNGP diagonal
 */
export class OutputMoments {
  private n = 0;
  private shift?: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly s3: Float64Array;
  private readonly s4: Float64Array;
  constructor(
    readonly inputs: number,
    readonly dOut: number,
  ) {
    const k = inputs * dOut;
    this.s1 = new Float64Array(k);
    this.s2 = new Float64Array(k);
    this.s3 = new Float64Array(k);
    this.s4 = new Float64Array(k);
  }

  /** Add `count` networks' outputs, row-major [count, P, d_out]. */
  addOutputs(outputs: ArrayLike<number>, count: number): this {
    const k = this.inputs * this.dOut;
    if (outputs.length !== count * k) throw new RangeError(`OutputMoments: expected ${count * k} values, got ${outputs.length}`);
    if (!this.shift && count > 0) this.shift = Float64Array.from({ length: k }, (_, j) => outputs[j]);
    const sh = this.shift as Float64Array;
    const { s1, s2, s3, s4 } = this;
    for (let i = 0; i < count; i++) {
      const o = i * k;
      for (let j = 0; j < k; j++) {
        const d = outputs[o + j] - sh[j];
        const d2 = d * d;
        s1[j] += d;
        s2[j] += d2;
        s3[j] += d2 * d;
        s4[j] += d2 * d2;
      }
    }
    this.n += count;
    return this;
  }

  /** Add one chunk of {@link ensembleChunks}. */
  add(chunk: EnsembleChunk): this {
    return this.addOutputs(chunk.outputs, chunk.count);
  }

  /** The accumulator's state, to send to another thread or process and {@link OutputMoments.merge} there. */
  state(): OutputMomentsState {
    return { inputs: this.inputs, dOut: this.dOut, count: this.n, shift: this.shift ? Array.from(this.shift) : null, sums: [Array.from(this.s1), Array.from(this.s2), Array.from(this.s3), Array.from(this.s4)] };
  }

  /** Rebuild an accumulator from {@link OutputMoments.state}. */
  static fromState(st: OutputMomentsState): OutputMoments {
    const m = new OutputMoments(st.inputs, st.dOut);
    const k = st.inputs * st.dOut;
    if (st.sums.length !== 4 || st.sums.some((a) => a.length !== k) || (st.shift && st.shift.length !== k)) throw new RangeError('OutputMoments.fromState: state does not match its shape');
    m.n = st.count;
    m.shift = st.shift ? Float64Array.from(st.shift) : undefined;
    m.s1.set(st.sums[0]);
    m.s2.set(st.sums[1]);
    m.s3.set(st.sums[2]);
    m.s4.set(st.sums[3]);
    return m;
  }

  /**
   * Merge another accumulator's networks into this one (shards, worker threads): exact up to float64 rounding.
   * The other's power sums about its shift b are re-centred on this shift a with the binomial theorem: with
   * d = f − b and δ = b − a, Σ (f − a)^k = Σ_j C(k, j) δ^(k−j) Σ d^j (Σ d^0 = n). The result does not depend on
   * the order of merges beyond rounding.
   *
   * @example
   * const all = OutputMoments.fromState(s0).merge(OutputMoments.fromState(s1)).result();
   */
  merge(other: OutputMoments | OutputMomentsState): this {
    const o = other instanceof OutputMoments ? other : OutputMoments.fromState(other);
    if (o.inputs !== this.inputs || o.dOut !== this.dOut) throw new RangeError(`OutputMoments.merge: shapes differ ([${o.inputs}, ${o.dOut}] vs [${this.inputs}, ${this.dOut}])`);
    if (o.n === 0) return this;
    if (this.n === 0 || !this.shift) {
      this.shift = o.shift ? Float64Array.from(o.shift) : undefined;
      this.s1.set(o.s1);
      this.s2.set(o.s2);
      this.s3.set(o.s3);
      this.s4.set(o.s4);
      this.n = o.n;
      return this;
    }
    const a = this.shift;
    const b = o.shift as Float64Array;
    const n = o.n;
    for (let j = 0; j < a.length; j++) {
      const dl = b[j] - a[j];
      const t1 = o.s1[j];
      const t2 = o.s2[j];
      const t3 = o.s3[j];
      const t4 = o.s4[j];
      const dl2 = dl * dl;
      this.s1[j] += t1 + n * dl;
      this.s2[j] += t2 + 2 * dl * t1 + n * dl2;
      this.s3[j] += t3 + 3 * dl * t2 + 3 * dl2 * t1 + n * dl2 * dl;
      this.s4[j] += t4 + 4 * dl * t3 + 6 * dl2 * t2 + 4 * dl2 * dl * t1 + n * dl2 * dl2;
    }
    this.n += n;
    return this;
  }

  /** Current moments. Variance needs M >= 2 (NaN otherwise). */
  result(): OutputMomentsResult {
    const k = this.inputs * this.dOut;
    const n = this.n;
    const mean = new Float64Array(k);
    const meanSE = new Float64Array(k);
    const variance = new Float64Array(k);
    const varianceSE = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const a = this.s1[j] / n;
      const b = this.s2[j] / n;
      const c = this.s3[j] / n;
      const d = this.s4[j] / n;
      const m2 = Math.max(0, b - a * a); // biased central moments about the sample mean
      const m4 = Math.max(0, d - 4 * a * c + 6 * a * a * b - 3 * a * a * a * a);
      mean[j] = (this.shift?.[j] ?? 0) + a;
      variance[j] = n > 1 ? (m2 * n) / (n - 1) : NaN;
      meanSE[j] = n > 1 ? Math.sqrt(variance[j] / n) : NaN;
      varianceSE[j] = n > 1 ? Math.sqrt(Math.max(0, m4 - m2 * m2) / n) : NaN;
    }
    return { count: n, inputs: this.inputs, dOut: this.dOut, mean, meanSE, variance, varianceSE };
  }
}

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

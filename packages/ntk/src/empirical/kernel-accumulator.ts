import { decodeFloat64, encodeFloat64 } from '@nnsym/core';

/** Serialised {@link KernelAccumulator}: entries, count, and mean and M2 as little-endian float64 in base64. */
export interface KernelAccumulatorState {
  length: number;
  count: number;
  mean: string;
  m2: string;
}

/**
 * Streaming float64 mean and standard error of kernel entries over an ensemble: memory independent of the number
 * of networks, and mergeable (chunks of an ensemble, computed separately, combine exactly: Chan et al. 1979).
 *
 * @example
 * const acc = new KernelAccumulator(4);
 * acc.add(Float64Array.of(1, 2, 3, 4)); acc.add(Float64Array.of(3, 2, 1, 0));
 * acc.mean(); // [2, 2, 2, 2]; acc.stderr(): [1, 0, 1, 2]
 */
export class KernelAccumulator {
  private n = 0;
  private mu: Float64Array;
  // M2, allocated at the second sample (it is 0 before): a single network's kernel needs no second buffer.
  private m2buf: Float64Array | undefined;
  // Set when {@link snapshot} handed the buffers out: the next update copies them first (copy-on-write).
  private shared = false;
  constructor(readonly length: number) {
    this.mu = new Float64Array(length);
  }

  /** Copy-on-write: give this accumulator its own buffers before it updates them, if a snapshot holds them. */
  private own(): void {
    if (!this.shared) return;
    this.mu = this.mu.slice();
    if (this.m2buf) this.m2buf = this.m2buf.slice();
    this.shared = false;
  }

  private get m2(): Float64Array {
    return (this.m2buf ??= new Float64Array(this.length));
  }

  /** Number of samples added. */
  get count(): number {
    return this.n;
  }

  /** Add one network's kernel (any numeric array of `length`), Welford update. */
  add(sample: ArrayLike<number>): void {
    if (sample.length !== this.length) throw new RangeError(`KernelAccumulator: expected ${this.length} entries, got ${sample.length}`);
    this.own();
    this.n++;
    if (this.n === 1) {
      // The first Welford update is mu = x, M2 = 0 exactly: a copy (the whole cost for a single network).
      this.mu.set(sample);
      return;
    }
    const inv = 1 / this.n;
    const mu = this.mu;
    const m2 = this.m2;
    for (let i = 0; i < this.length; i++) {
      const d = sample[i] - mu[i];
      mu[i] += d * inv;
      m2[i] += d * (sample[i] - mu[i]);
    }
  }

  /**
   * Add one kernel that `fill` writes into the Float64Array it is given (every entry): the first sample is written
   * straight into the mean (no copy), later ones into a scratch buffer and added as by {@link add}.
   */
  addFilled(fill: (out: Float64Array) => void): void {
    if (this.n === 0) {
      this.own();
      fill(this.mu); // M2 is 0 at count 0 (new, or a count-0 state)
      this.n = 1;
      return;
    }
    const k = new Float64Array(this.length);
    fill(k);
    this.add(k);
  }

  /** Merge another accumulator of the same length (exact pairwise update). */
  merge(other: KernelAccumulator): void {
    if (other.length !== this.length) throw new RangeError('KernelAccumulator: cannot merge accumulators of different lengths');
    if (other.n === 0) return;
    this.own();
    const n = this.n + other.n;
    const [mu, m2, omu, om2] = [this.mu, this.m2, other.mu, other.m2];
    for (let i = 0; i < this.length; i++) {
      const d = omu[i] - mu[i];
      mu[i] += (d * other.n) / n;
      m2[i] += om2[i] + (d * d * this.n * other.n) / n;
    }
    this.n = n;
  }

  /** The state (count, mean, M2 as float64 base64): JSON-serialisable and bit-exact through {@link KernelAccumulator.fromState}. */
  toState(): KernelAccumulatorState {
    return { length: this.length, count: this.n, mean: encodeFloat64(this.mu), m2: encodeFloat64(this.m2) };
  }

  /** Rebuild an accumulator from {@link KernelAccumulator.toState}. */
  static fromState(s: KernelAccumulatorState): KernelAccumulator {
    const a = new KernelAccumulator(s.length);
    a.n = s.count;
    a.mu.set(decodeFloat64(s.mean, s.length, 'kernel mean'));
    a.m2.set(decodeFloat64(s.m2, s.length, 'kernel m2'));
    return a;
  }

  /** Mean over the samples. */
  mean(): Float64Array {
    return this.mu.slice();
  }

  /** Standard error of the mean, √(s² / n) with the unbiased s²; NaN when n < 2. */
  stderr(): Float64Array {
    return stderrOf(this.m2buf, this.n, this.length);
  }

  /**
   * The mean and standard error now, without copying the mean: `mean` is this accumulator's own buffer, shared until
   * its next update (`add`, `addFilled`, `merge`), which first copies its buffers (copy-on-write), so the snapshot
   * never changes afterwards. Treat `mean` as read-only: writing to it would also change this accumulator's mean
   * until that update. `stderr()` is computed on its first call (then cached), from the state at the snapshot.
   * {@link mean} and {@link stderr} return the same numbers as fresh arrays.
   */
  snapshot(): { mean: Float64Array; stderr: () => Float64Array } {
    this.shared = true;
    const { mu, m2buf, n, length } = this;
    let se: Float64Array | undefined;
    return { mean: mu, stderr: () => (se ??= stderrOf(m2buf, n, length)) };
  }
}

/** √(M2 / (n − 1) / n) entrywise (M2 absent: 0); NaN when n < 2. */
function stderrOf(m2: Float64Array | undefined, n: number, length: number): Float64Array {
  const out = new Float64Array(length);
  if (n < 2) return out.fill(NaN);
  if (!m2) return out; // M2 = 0 (not allocated yet)
  for (let i = 0; i < length; i++) out[i] = Math.sqrt(m2[i] / (n - 1) / n);
  return out;
}

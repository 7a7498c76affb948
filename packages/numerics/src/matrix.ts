import { blasKernelsActive, gemm64, UsageError } from '@nnsym/core';

/**
 * Products with at least this many multiply-adds go to `gemm64` (dgemm) when the BLAS path is on: below it the FFI
 * call costs more than the JS loop. The two agree to float64 rounding (|Δ| ≤ 2 k u Σ|a||b|).
 */
export const GEMM64_MIN_FLOPS = 32768;

const useGemm = (m: number, n: number, k: number) => m * n * k >= GEMM64_MIN_FLOPS && blasKernelsActive();

/**
 * A dense float64 matrix, row-major: entry (i, j) is `data[i * cols + j]`. Representations are `[samples,
 * features]`; weight matrices are `[out, in]`.
 *
 * @example
 * const m = matFrom([[1, 2], [3, 4]]); // m.data = Float64Array [1, 2, 3, 4]
 */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A zero matrix of shape `[rows, cols]`. */
export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The `n x n` identity. */
export function eye(n: number): Mat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** Build a matrix from nested arrays (rows of equal length). */
export function matFrom(rows: readonly (readonly number[])[] | readonly Float64Array[]): Mat {
  const r = rows.length;
  const c = r ? rows[0].length : 0;
  const m = zeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new UsageError(`matrix row ${i} has ${rows[i].length} entries, expected ${c}`, 'matrix');
    for (let j = 0; j < c; j++) m.data[i * c + j] = rows[i][j];
  }
  return m;
}

/** Wrap a flat row-major array (copied to float64) as a `[rows, cols]` matrix. */
export function matFromFlat(data: ArrayLike<number>, rows: number, cols: number): Mat {
  if (data.length !== rows * cols) throw new UsageError(`matrix data has ${data.length} entries, expected ${rows}x${cols}`, 'matrix');
  return { rows, cols, data: Float64Array.from(data) };
}

/** Nested-array copy, for JSON output and tests. */
export function toNested(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A deep copy. */
export function clone(m: Mat): Mat {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/** `A^T`. */
export function transpose(a: Mat): Mat {
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j];
  return t;
}

/** `A B` (i-k-j loop order, contiguous inner loop; dgemm for large products when the BLAS path is on). */
export function matmul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new UsageError(`matmul: inner dimensions differ (${a.rows}x${a.cols} times ${b.rows}x${b.cols})`, 'matrix');
  if (useGemm(a.rows, b.cols, a.cols)) return { rows: a.rows, cols: b.cols, data: gemm64(a.data, b.data, a.rows, b.cols, a.cols) };
  const c = zeros(a.rows, b.cols);
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) c.data[ci + j] += aik * b.data[bk + j];
    }
  }
  return c;
}

/** `A^T B` without forming `A^T` (cross-covariance of two `[samples, features]` matrices; dgemm for large products with BLAS). */
export function matmulTN(a: Mat, b: Mat): Mat {
  if (a.rows !== b.rows) throw new UsageError(`matmulTN: row counts differ (${a.rows} vs ${b.rows})`, 'matrix');
  if (useGemm(a.cols, b.cols, a.rows)) return { rows: a.cols, cols: b.cols, data: gemm64(a.data, b.data, a.cols, b.cols, a.rows, { transA: true }) };
  const c = zeros(a.cols, b.cols);
  const n = b.cols;
  for (let s = 0; s < a.rows; s++) {
    const as = s * a.cols;
    const bs = s * n;
    for (let i = 0; i < a.cols; i++) {
      const ai = a.data[as + i];
      if (ai === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c.data[ci + j] += ai * b.data[bs + j];
    }
  }
  return c;
}

/** `A B^T` (Gram matrix of rows when `B = A`; dgemm for large products with BLAS). */
export function matmulNT(a: Mat, b: Mat): Mat {
  if (a.cols !== b.cols) throw new UsageError(`matmulNT: column counts differ (${a.cols} vs ${b.cols})`, 'matrix');
  if (useGemm(a.rows, b.rows, a.cols)) return { rows: a.rows, cols: b.rows, data: gemm64(a.data, b.data, a.rows, b.rows, a.cols, { transB: true }) };
  const c = zeros(a.rows, b.rows);
  const p = a.cols;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += a.data[i * p + k] * b.data[j * p + k];
      c.data[i * b.rows + j] = s;
    }
  }
  return c;
}

/** Frobenius norm. */
export function frobenius(a: Mat): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * a.data[i];
  return Math.sqrt(s);
}

/** `A - B`. */
export function sub(a: Mat, b: Mat): Mat {
  assertSameShape(a, b, 'sub');
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) c.data[i] = a.data[i] - b.data[i];
  return c;
}

/** `s A`. */
export function scale(a: Mat, s: number): Mat {
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) c.data[i] = s * a.data[i];
  return c;
}

/** Apply `f` to every entry. */
export function mapEntries(a: Mat, f: (v: number) => number): Mat {
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) c.data[i] = f(a.data[i]);
  return c;
}

/** Throw a one-line error when shapes differ. */
export function assertSameShape(a: Mat, b: Mat, what: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new UsageError(`${what}: shapes differ (${a.rows}x${a.cols} vs ${b.rows}x${b.cols})`, 'matrix');
}

/** Subtract each column's mean (centre features over samples). */
export function centerColumns(x: Mat): Mat {
  const c = clone(x);
  for (let j = 0; j < x.cols; j++) {
    let m = 0;
    for (let i = 0; i < x.rows; i++) m += x.data[i * x.cols + j];
    m /= x.rows;
    for (let i = 0; i < x.rows; i++) c.data[i * x.cols + j] -= m;
  }
  return c;
}

/** Scale each column to unit Euclidean norm (all-zero columns stay zero). */
export function normalizeColumns(x: Mat): Mat {
  const c = clone(x);
  for (let j = 0; j < x.cols; j++) {
    let s = 0;
    for (let i = 0; i < x.rows; i++) s += x.data[i * x.cols + j] ** 2;
    const nrm = Math.sqrt(s);
    if (nrm === 0) continue;
    for (let i = 0; i < x.rows; i++) c.data[i * x.cols + j] /= nrm;
  }
  return c;
}

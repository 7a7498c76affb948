import { UsageError } from '@nnsym/core';
import type { KernelInputs } from './types';

/** A row-major float64 matrix. */
export interface InputMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Normalise kernel inputs (rows of numbers, or a flat array with its shape) to a row-major Float64Array, checking
 * that every row has the same length, every entry is finite and, when `dIn` is given, that the length is d_in.
 * Errors are one-line {@link UsageError}s naming `field` (e.g. `--inputs`).
 *
 * @example
 * toInputMatrix([[0, 1], [1, 0]], { dIn: 2 }); // { rows: 2, cols: 2, data: Float64Array [0, 1, 1, 0] }
 */
export function toInputMatrix(inputs: KernelInputs, options: { dIn?: number; field?: string } = {}): InputMatrix {
  const field = options.field ?? 'inputs';
  let out: InputMatrix;
  if (Array.isArray(inputs)) {
    const rows = inputs as readonly (readonly number[])[];
    if (rows.length === 0) throw new UsageError(`${field}: need at least one input`, field);
    const cols = Array.isArray(rows[0]) ? rows[0].length : -1;
    if (cols < 1) throw new UsageError(`${field}: each input must be a non-empty array of numbers`, field);
    const data = new Float64Array(rows.length * cols);
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== cols) {
        throw new UsageError(`${field}: input ${i} has ${Array.isArray(r) ? r.length : 'no'} entries, expected ${cols} like input 0`, field);
      }
      for (let k = 0; k < cols; k++) data[i * cols + k] = r[k];
    });
    out = { data, rows: rows.length, cols };
  } else {
    const m = inputs as { data: ArrayLike<number>; rows: number; cols: number };
    if (!(m.rows >= 1 && m.cols >= 1 && m.data.length === m.rows * m.cols)) {
      throw new UsageError(`${field}: data of length ${m.data.length} does not match shape [${m.rows}, ${m.cols}]`, field);
    }
    out = { data: Float64Array.from(m.data), rows: m.rows, cols: m.cols };
  }
  for (let i = 0; i < out.data.length; i++) {
    if (!Number.isFinite(out.data[i])) throw new UsageError(`${field}: input ${Math.floor(i / out.cols)} has a non-finite entry`, field);
  }
  if (options.dIn !== undefined && out.cols !== options.dIn) {
    throw new UsageError(`${field}: inputs have dimension ${out.cols} but the architecture expects d_in = ${options.dIn}`, field);
  }
  return out;
}

/** Row-major P×P Float64Array -> number[][] (for JSON). */
export function kernelRows(k: Float64Array, P: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < P; i++) rows.push(Array.from(k.subarray(i * P, (i + 1) * P)));
  return rows;
}

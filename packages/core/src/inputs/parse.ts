import { readFileSync } from 'node:fs';
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { UsageError } from '../errors';
import { inputGrid, isGridSpec } from './grids';
import type { InputSet } from './types';

/** Options of {@link parseInputs}. */
export interface ParseInputsOptions {
  /** The architecture's input dimension; points of another dimension are rejected. */
  dIn?: number;
  /** Option path named in errors (default `inputs`; the CLI maps it to its flag). */
  flag?: string;
  /** Seed of random grids (`normal:`, `sphere:`). */
  seed?: number | string;
}

/**
 * Turn parsed JSON into an input set. Accepted: a number (one 1-D point), an array whose entries are numbers
 * (1-D points) or arrays of numbers (points in R^d), or an object `{ "inputs": <one of those> }` (so an nnsym
 * result can be fed back). All points must have the same dimension, equal to `dIn` when given.
 *
 * @example inputsFromJson([[0.1, 0.2], [0.3, 0.4]], { dIn: 2 }).count // 2
 */
export function inputsFromJson(raw: unknown, opts: ParseInputsOptions = {}, source = 'inline'): InputSet {
  const flag = opts.flag ?? 'inputs';
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'inputs' in raw) raw = (raw as { inputs: unknown }).inputs;
  const list = typeof raw === 'number' ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(`${flag} must be a number or a non-empty JSON array of points (numbers or arrays of numbers)`, flag);
  const rows = list.map((r) => (Array.isArray(r) ? r : [r]));
  const d = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length === 0 || r.some((v) => typeof v !== 'number' || !Number.isFinite(v))) throw new UsageError(`${flag}: point ${i} must be a finite number or an array of finite numbers, got ${JSON.stringify(list[i])}`, flag);
    if (r.length !== d) throw new UsageError(`${flag}: point ${i} has dimension ${r.length} but point 0 has dimension ${d}`, flag);
  });
  if (opts.dIn !== undefined && d !== opts.dIn) {
    throw new UsageError(`${flag}: points have dimension ${d} but the architecture has d_in = ${opts.dIn}${d === 1 && opts.dIn > 1 ? ' (write each point as an array, e.g. [[0.1, 0.2]])' : ''}`, flag);
  }
  return { points: Float64Array.from(rows.flat() as number[]), count: rows.length, dIn: d, source };
}

/**
 * Parse an `--inputs` value: inline JSON (`0.2`, `[0.1, 0.2]` = two 1-D points, `[[0.1, 0.2]]` = one 2-D point),
 * `@file.json` (the same JSON in a file), or a named grid (`linspace:-1,1,6`, `grid:-1,1,3`, `circle:1,8`,
 * `sphere:1,16`, `normal:10`, `axis:0,2,5`; see INPUT_GRIDS). Errors are one line naming the flag.
 *
 * @example
 * parseInputs('[0.1, 0.2]').count                     // 2 points in R^1
 * parseInputs('@points.json', { dIn: 3 })
 * parseInputs('linspace:-1,1,6').points               // 6 points
 */
export function parseInputs(value: string, opts: ParseInputsOptions = {}): InputSet {
  const flag = opts.flag ?? 'inputs';
  const v = value.trim();
  if (v === '') throw new UsageError(`${flag} must not be empty`, flag);
  if (isGridSpec(v)) return inputGrid(v, { dIn: opts.dIn, seed: opts.seed, flag });
  let text = v;
  let source = 'inline';
  if (v.startsWith('@')) {
    const path = v.slice(1);
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new UsageError(`${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, flag);
    }
    source = path;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${flag}: malformed JSON${source === 'inline' ? '' : ` in ${source}`} (${(e as Error).message.split('\n')[0]}); expected e.g. [0.1, 0.2], [[0.1, 0.2]], @file.json or linspace:-1,1,6`, flag);
  }
  return inputsFromJson(raw, opts, source);
}

/** The points as rows (`number[][]`). */
export function inputRows(set: InputSet): number[][] {
  return Array.from({ length: set.count }, (_, p) => Array.from(set.points.subarray(p * set.dIn, (p + 1) * set.dIn)));
}

/** Upload an input set as a float32 Tensor2D [P, d_in]. The caller disposes it. */
export function inputsToTensor(set: InputSet): Tensor2D {
  return tf.tensor2d(Float32Array.from(set.points), [set.count, set.dIn]);
}

/**
 * Check inputs against an architecture's d_in: an {@link InputSet}, rows `number[][]` (all of one length) or a
 * Tensor2D [P, d_in]; a one-line UsageError naming `flag` otherwise (the one check used by parsing and by the
 * ensemble runner).
 *
 * @example checkInputDim(parseInputs('[[1, 2]]'), 2); // ok
 */
export function checkInputDim(inputs: InputSet | readonly (readonly number[])[] | Tensor2D, dIn: number, flag = 'inputs'): void {
  let d: number;
  if (inputs instanceof tf.Tensor) d = inputs.rank === 2 ? inputs.shape[1] : -1;
  else if (Array.isArray(inputs)) d = inputs.length > 0 && inputs.every((r) => r.length === inputs[0].length) ? inputs[0].length : -1;
  else d = (inputs as InputSet).dIn;
  if (d !== dIn) throw new UsageError(`${flag}: points have dimension ${d < 0 ? 'mixed/unknown' : d} but the architecture has d_in = ${dIn}`, flag);
}

import { UsageError } from '@nnsym/core';
import { CorrelatorAccumulator, mergeGroups } from './accumulator';
import { kernelFor } from './kernel';
import type { CorrelatorRunSpec } from './spec';
import { correlatorLayout, kernelLevel, type CorrelatorLayout } from './layout';
import { tupleMeanFunctionals, type TupleMeanFunctional } from './tuple-means';

export type { CorrelatorRunSpec } from './spec';

/** Fields compared by merge, in the order they are reported. */
export const SPEC_FIELDS: readonly (keyof CorrelatorRunSpec)[] = ['arch', 'width', 'depth', 'activation', 'dIn', 'dOut', 'sigmaW', 'sigmaB', 'bias', 'parameterization', 'inputs', 'orders', 'ensemble', 'chunkSize', 'seed', 'groups'];

/** The partial format this nnsym writes; it reads {@link CORRELATOR_PARTIAL_VERSION} and 1. */
export const CORRELATOR_PARTIAL_VERSION = 2;

/**
 * The accumulator state: per group the count, means and M2 of every tuple product, and (version 2, when the run has
 * an analytic kernel) of every per-network tuple mean s_m (ids in `tupleMeans.ids`), as little-endian float64 in
 * base64 so the JSON round trip is bit-exact.
 */
export interface CorrelatorState {
  groups: number;
  statCount: number;
  n: number[];
  mean: string;
  m2: string;
  encoding: 'f64le-base64';
  /** Version 2: per group [groups, ids.length] means and M2 of the per-network tuple means (absent in version 1). */
  tupleMeans?: { ids: string[]; mean: string; m2: string };
}

/**
 * A serialisable partial result: the accumulator state ({@link CorrelatorState}) and which chunks it holds.
 * Version 2 adds the per-network tuple means; version 1 pieces are still read, their means over tuples then get
 * jackknife errors (and so does a merge that includes one).
 */
export interface CorrelatorPartial {
  format: 'nnsym-correlators-partial';
  version: 1 | 2;
  spec: CorrelatorRunSpec;
  /** Total chunks of the ensemble, ⌈M / chunkSize⌉. */
  chunks: number;
  /** Chunk indices accumulated, ascending. */
  done: number[];
  /** Networks accumulated. */
  networks: number;
  /** All chunks present. */
  complete: boolean;
  /** The run was stopped early (Ctrl-C) and this is what it had. */
  interrupted?: boolean;
  state: CorrelatorState;
}

function encode(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decode(s: string, length: number, what: string): Float64Array {
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== length * 8) throw new UsageError(`partial result: ${what} has ${buf.byteLength / 8} values, expected ${length}`, 'partial');
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/**
 * The per-network tuple means of a run with this P×P kernel (analytic) over this layout, or undefined without one
 * (measured K: the means over tuples are not affine in the products).
 */
export function tupleMeansFor(layout: CorrelatorLayout, kernel: ArrayLike<number> | undefined): TupleMeanFunctional[] | undefined {
  if (!kernel) return undefined;
  // Memoised per process: every run (and every worker, per run) builds the estimator again, and the Wick tables
  // behind the functionals cost 0.4-13 ms warm, ≈ 30 ms in a fresh worker (measured, 6 points, orders 2 and 4). The
  // key is everything they depend on (points, d_out, orders, the kernel's float64 values, exactly).
  const key = `${layout.points}|${layout.dOut}|${layout.orders.join(',')}|${Array.from(kernel, String).join(',')}`;
  let fs = TUPLE_MEANS.get(key);
  if (!fs) {
    fs = tupleMeanFunctionals(layout, kernelLevel(layout, kernel));
    if (TUPLE_MEANS.size >= 32) TUPLE_MEANS.delete(TUPLE_MEANS.keys().next().value as string);
    TUPLE_MEANS.set(key, fs);
  }
  return fs.length ? fs : undefined;
}

/** {@link tupleMeansFor}'s cache (oldest entry dropped beyond 32: a sweep reuses one kernel across widths). */
const TUPLE_MEANS = new Map<string, TupleMeanFunctional[]>();

/** The serialisable state of an accumulator. */
export function accumulatorState(acc: CorrelatorAccumulator): CorrelatorState {
  return {
    groups: acc.groups,
    statCount: acc.statCount,
    n: Array.from(acc.n),
    mean: encode(acc.mean),
    m2: encode(acc.m2),
    encoding: 'f64le-base64',
    ...(acc.tupleMeans ? { tupleMeans: { ids: acc.tupleMeans.map((f) => f.id), mean: encode(acc.tMean), m2: encode(acc.tM2) } } : {}),
  };
}

/**
 * Rebuild an accumulator from its state. The per-network tuple means are restored when the state has them and
 * `tupleMeans` (rebuilt from the run's kernel) names the same ones; a state without them (format version 1) gives
 * an accumulator without them, whose means over tuples fall back to the jackknife.
 */
export function restoreAccumulator(layout: CorrelatorLayout, groups: number, s: CorrelatorState, tupleMeans: readonly TupleMeanFunctional[] | undefined): CorrelatorAccumulator {
  if (!s || s.statCount !== layout.statCount || !Array.isArray(s.n) || s.n.length !== groups) throw new UsageError('partial result: state does not match its spec (corrupt file?)', 'partial');
  const t = s.tupleMeans;
  const keep = t && tupleMeans && t.ids.length === tupleMeans.length && t.ids.every((id, i) => id === tupleMeans[i].id) ? tupleMeans : undefined;
  const acc = new CorrelatorAccumulator(layout, { groups, tupleMeans: keep });
  acc.n.set(s.n);
  acc.mean.set(decode(s.mean, acc.mean.length, 'mean'));
  acc.m2.set(decode(s.m2, acc.m2.length, 'm2'));
  if (keep && t) {
    acc.tMean.set(decode(t.mean, acc.tMean.length, 'tupleMeans.mean'));
    acc.tM2.set(decode(t.m2, acc.tM2.length, 'tupleMeans.m2'));
  }
  return acc;
}

/** Serialise an accumulator and the chunks it holds. */
export function toPartial(spec: CorrelatorRunSpec, acc: CorrelatorAccumulator, done: readonly number[], interrupted = false): CorrelatorPartial {
  const chunks = Math.ceil(spec.ensemble / spec.chunkSize);
  const sorted = [...done].sort((a, b) => a - b);
  return {
    format: 'nnsym-correlators-partial',
    version: CORRELATOR_PARTIAL_VERSION,
    spec,
    chunks,
    done: sorted,
    networks: acc.count,
    complete: sorted.length === chunks,
    ...(interrupted && sorted.length !== chunks ? { interrupted: true } : {}),
    state: accumulatorState(acc),
  };
}

/** Rebuild the accumulator of a partial result (validating its shape). */
export function fromPartial(p: CorrelatorPartial): CorrelatorAccumulator {
  if (!p || p.format !== 'nnsym-correlators-partial') throw new UsageError('not an nnsym correlators partial result (missing "format": "nnsym-correlators-partial")', 'partial');
  if (p.version !== 1 && p.version !== CORRELATOR_PARTIAL_VERSION) throw new UsageError(`partial result: unsupported correlators partial version ${String(p.version)} (this nnsym reads versions 1 and ${CORRELATOR_PARTIAL_VERSION})`, 'partial');
  const layout = correlatorLayout(p.spec.inputs.length, p.spec.dOut, p.spec.orders);
  return restoreAccumulator(layout, p.spec.groups, p.state, p.state?.tupleMeans ? tupleMeansFor(layout, kernelFor(p.spec).kernel) : undefined);
}

/** First spec field on which two runs differ, or undefined when they are the same run. */
export function specDifference(a: CorrelatorRunSpec, b: CorrelatorRunSpec): { field: string; a: unknown; b: unknown } | undefined {
  for (const f of SPEC_FIELDS) if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) return { field: f, a: a[f], b: b[f] };
  return undefined;
}

/**
 * Merge partial results of one run (shards, or a resumed run's pieces) exactly: the groups are merged by Chan
 * et al.'s formulas, the chunk sets must be disjoint. Refuses different specs with a one-line error naming the
 * first differing field, and overlapping chunks naming one of them.
 *
 * @example
 * const all = mergePartials([JSON.parse(a), JSON.parse(b)]); // all.complete when the shards cover the ensemble
 */
export function mergePartials(parts: readonly CorrelatorPartial[]): CorrelatorPartial {
  if (parts.length === 0) throw new UsageError('merge: nothing to merge', 'merge');
  const acc = fromPartial(parts[0]);
  const done = new Set(parts[0].done);
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    const other = fromPartial(p);
    const diff = specDifference(parts[0].spec, p.spec);
    if (diff) throw new UsageError(`merge: partial ${i + 1} is from a different run: "${diff.field}" differs (${JSON.stringify(diff.a)} vs ${JSON.stringify(diff.b)})`, 'merge');
    for (const c of p.done) {
      if (done.has(c)) throw new UsageError(`merge: chunk ${c} is in more than one partial (the same networks would be counted twice)`, 'merge');
      done.add(c);
    }
    mergeGroups(acc, other);
  }
  return toPartial(parts[0].spec, acc, [...done], parts.some((p) => p.interrupted === true));
}

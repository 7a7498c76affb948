import { UsageError, type SeedKey } from '@nnsym/core';
import { CorrelatorAccumulator, mergeGroups } from './accumulator';
import { correlatorLayout } from './layout';

/**
 * What defines a Monte-Carlo correlator run: two partial results can be merged only when every field is equal
 * (the ensemble is then one and the same, split into chunks that the partials hold disjointly).
 */
export interface CorrelatorRunSpec {
  arch: string;
  width: number;
  /** Hidden layers (mlp, linear-net only; the one-hidden-layer families fix it). */
  depth?: number;
  activation?: string;
  dIn: number;
  dOut: number;
  sigmaW: number;
  sigmaB: number;
  /** Biases on (default true). */
  bias?: boolean;
  parameterization: 'standard' | 'ntk';
  /** Input points [P, d_in]. */
  inputs: number[][];
  /** Requested even orders. */
  orders: number[];
  /** Networks in the whole ensemble M (over all shards). */
  ensemble: number;
  /** Networks per chunk (part of the ensemble's identity). */
  chunkSize: number;
  seed: SeedKey;
  /** Jackknife groups B. */
  groups: number;
}

/** Fields compared by merge, in the order they are reported. */
export const SPEC_FIELDS: readonly (keyof CorrelatorRunSpec)[] = ['arch', 'width', 'depth', 'activation', 'dIn', 'dOut', 'sigmaW', 'sigmaB', 'bias', 'parameterization', 'inputs', 'orders', 'ensemble', 'chunkSize', 'seed', 'groups'];

/**
 * A serialisable partial result: the accumulator state (per group: count, means and M2 of every tuple product,
 * as little-endian float64 in base64 so the JSON round trip is bit-exact) and which chunks it holds.
 */
export interface CorrelatorPartial {
  format: 'nnsym-correlators-partial';
  version: 1;
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
  state: { groups: number; statCount: number; n: number[]; mean: string; m2: string; encoding: 'f64le-base64' };
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

/** Serialise an accumulator and the chunks it holds. */
export function toPartial(spec: CorrelatorRunSpec, acc: CorrelatorAccumulator, done: readonly number[], interrupted = false): CorrelatorPartial {
  const chunks = Math.ceil(spec.ensemble / spec.chunkSize);
  const sorted = [...done].sort((a, b) => a - b);
  return {
    format: 'nnsym-correlators-partial',
    version: 1,
    spec,
    chunks,
    done: sorted,
    networks: acc.count,
    complete: sorted.length === chunks,
    ...(interrupted && sorted.length !== chunks ? { interrupted: true } : {}),
    state: { groups: acc.groups, statCount: acc.statCount, n: Array.from(acc.n), mean: encode(acc.mean), m2: encode(acc.m2), encoding: 'f64le-base64' },
  };
}

/** Rebuild the accumulator of a partial result (validating its shape). */
export function fromPartial(p: CorrelatorPartial): CorrelatorAccumulator {
  if (!p || p.format !== 'nnsym-correlators-partial') throw new UsageError('not an nnsym correlators partial result (missing "format": "nnsym-correlators-partial")', 'partial');
  const layout = correlatorLayout(p.spec.inputs.length, p.spec.dOut, p.spec.orders);
  const acc = new CorrelatorAccumulator(layout, { groups: p.spec.groups });
  if (p.state.statCount !== layout.statCount || p.state.n.length !== acc.groups) throw new UsageError('partial result: state does not match its spec (corrupt file?)', 'partial');
  acc.n.set(p.state.n);
  acc.mean.set(decode(p.state.mean, acc.mean.length, 'mean'));
  acc.m2.set(decode(p.state.m2, acc.m2.length, 'm2'));
  return acc;
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

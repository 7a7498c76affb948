import { UsageError } from '../errors';
import { plugins, type PluginHost } from '../registry/kinds';
import { createFromPlugin, type Plugin } from '../registry/plugin';
import type { Architecture } from '../nn/types';
import type { EnsembleSpec } from './spec';
import type { EnsembleChunk } from './types';

/**
 * A streaming accumulator that shards, threads and checkpoints compose around: `push` one evaluated chunk, `merge`
 * another accumulator of the same estimator (disjoint chunks; exact up to float64 rounding, Chan et al. 1979), and
 * `toState` a JSON-serialisable state from which the estimator's `fromState` rebuilds it bit for bit (encode
 * float64 arrays with {@link encodeFloat64}).
 *
 * @example
 * const a = est.create(); a.push(chunk0); const b = est.fromState(JSON.parse(JSON.stringify(a.toState())));
 */
export interface Mergeable<State> {
  push(chunk: EnsembleChunk): void;
  merge(other: Mergeable<State>): void;
  toState(): State;
  /** Networks accumulated. */
  readonly count: number;
}

/** What an estimator is built for: the validated ensemble (its architecture, input points, d_out). */
export interface EstimatorContext {
  readonly spec: EnsembleSpec;
  readonly arch: Architecture;
}

/**
 * A Monte-Carlo estimator over an ensemble: an empty accumulator, the inverse of `toState`, and whether it needs
 * each chunk's sampled parameters (`keepParams`, e.g. the empirical NTK).
 */
export interface Estimator<State = unknown> {
  create(): Mergeable<State>;
  fromState(state: State): Mergeable<State>;
  readonly keepParams?: boolean;
  /** The estimator's result from a (merged, complete) accumulator, JSON-serialisable; `nnsym merge` prints it. */
  finalize?(acc: Mergeable<State>): { result: unknown; precision: string };
}

/**
 * Plugin kind `estimator`: `create(config)` gives a factory of the {@link Estimator} for an ensemble. `meta.package`
 * names the package that registers it, so a worker thread loads that package by name and resolves the estimator by
 * id: the run is rebuilt from `{ spec, estimator: { id, config } }` alone.
 *
 * @example
 * export const myEstimator: EstimatorPlugin<{ k: number }, MyState> = {
 *   meta: { id: 'my-stat', kind: 'estimator', description: '...', version: '1.0.0', package: '@me/pkg' },
 *   configSchema: z.object({ k: z.number() }),
 *   create: ({ k }) => (ctx) => ({ create: () => new MyAcc(k, ctx), fromState: (s) => MyAcc.fromState(s) }),
 * };
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EstimatorPlugin<C = any, S = any> = Plugin<'estimator', C, (ctx: EstimatorContext) => Estimator<S>> & {
  readonly meta: { readonly package: string };
};

declare module '../registry/kinds' {
  interface PluginKinds {
    estimator: EstimatorPlugin;
  }
}

/** An estimator by registry id and config (JSON), as it travels in specs and partials. */
export interface EstimatorRef<C = unknown> {
  readonly id: string;
  readonly config: C;
}

/** Resolve an estimator by id (one-line UsageError with the known ids), validate its config, build it for `ctx`. */
export function resolveEstimator<S>(ref: EstimatorRef, ctx: EstimatorContext, host: PluginHost = plugins): { estimator: Estimator<S>; package: string } {
  const reg = host.kind('estimator');
  if (!reg.has(ref.id)) throw new UsageError(`estimator: ${reg.unknownMessage(ref.id)}`, 'estimator');
  const p = reg.get(ref.id);
  return { estimator: createFromPlugin(p, ref.config)(ctx) as Estimator<S>, package: p.meta.package };
}

/** Little-endian float64 in base64: a bit-exact JSON encoding of a Float64Array. */
export function encodeFloat64(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Inverse of {@link encodeFloat64}; throws a UsageError naming `what` when the length is not `length`. */
export function decodeFloat64(s: string, length: number, what: string): Float64Array {
  const buf = Buffer.from(String(s), 'base64');
  if (buf.byteLength !== length * 8) throw new UsageError(`partial result: ${what} has ${buf.byteLength / 8} values, expected ${length}`, 'partial');
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Little-endian float32 in base64 (as {@link encodeFloat64}, for stored values that need no more than float32). */
export function encodeFloat32(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Inverse of {@link encodeFloat32}; throws a UsageError naming `what` when the length is not `length`. */
export function decodeFloat32(s: string, length: number, what: string): Float32Array {
  const buf = Buffer.from(String(s), 'base64');
  if (buf.byteLength !== length * 4) throw new UsageError(`partial result: ${what} has ${buf.byteLength / 4} values, expected ${length}`, 'partial');
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

import { UsageError } from '../errors';
import { plugins, type PluginHost } from '../registry/kinds';
import { createEnsemble, jsonDifference, specDifference, type EnsembleSpec } from './spec';
import { resolveEstimator, type EstimatorRef, type Mergeable } from './mergeable';

/** The `format` tag of {@link EnsemblePartial}. */
export const ENSEMBLE_PARTIAL_FORMAT = 'nnsym-ensemble-partial';

/**
 * A serialisable partial result of one ensemble run: the run's identity (spec + estimator), which chunks it holds,
 * and the estimator's accumulator state (float64 arrays in base64, so the JSON round trip is bit-exact). Shards,
 * threads and checkpoints all write this one format; {@link mergePartials} combines them.
 */
export interface EnsemblePartial<State = unknown> {
  format: typeof ENSEMBLE_PARTIAL_FORMAT;
  version: 1;
  spec: EnsembleSpec;
  estimator: EstimatorRef;
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
  state: State;
}

/** Serialise an accumulator of `spec`'s run and the chunks it holds. */
export function toEnsemblePartial<S>(spec: EnsembleSpec, estimator: EstimatorRef, acc: Mergeable<S>, done: Iterable<number>, interrupted = false): EnsemblePartial<S> {
  const chunks = Math.ceil(spec.ensemble / spec.chunkSize);
  const sorted = [...done].sort((a, b) => a - b);
  return {
    format: ENSEMBLE_PARTIAL_FORMAT,
    version: 1,
    spec,
    estimator: { id: estimator.id, config: estimator.config },
    chunks,
    done: sorted,
    networks: acc.count,
    complete: sorted.length === chunks,
    ...(interrupted && sorted.length !== chunks ? { interrupted: true } : {}),
    state: acc.toState(),
  };
}

/** Check that `p` is an ensemble partial (one-line UsageError naming `field` otherwise). */
export function checkEnsemblePartial(p: unknown, field = 'partial'): asserts p is EnsemblePartial {
  const o = p as Partial<EnsemblePartial> | null;
  if (!o || typeof o !== 'object' || o.format !== ENSEMBLE_PARTIAL_FORMAT) throw new UsageError(`${field}: not an nnsym ensemble partial result (missing "format": "${ENSEMBLE_PARTIAL_FORMAT}")`, field);
  if (o.version !== 1) throw new UsageError(`${field}: unsupported partial version ${String(o.version)} (this nnsym reads version 1)`, field);
  if (!Array.isArray(o.done) || !o.spec || !o.estimator) throw new UsageError(`${field}: corrupt partial result (no spec, estimator or done chunks)`, field);
}

/** First field on which two partials' runs differ (`spec.seed`, `estimator.config.orders`, ...), or undefined. */
export function partialDifference(a: EnsemblePartial, b: EnsemblePartial): { field: string; a: unknown; b: unknown } | undefined {
  return specDifference(a.spec, b.spec) ?? jsonDifference(a.estimator.id, b.estimator.id, 'estimator.id') ?? jsonDifference(a.estimator.config, b.estimator.config, 'estimator.config');
}

/** Rebuild the accumulator of a partial through the registry (its estimator resolved by id). */
export function partialAccumulator<S>(p: EnsemblePartial<S>, host: PluginHost = plugins): Mergeable<S> {
  checkEnsemblePartial(p);
  const ens = createEnsemble(p.spec, host);
  return resolveEstimator<S>(p.estimator, { spec: p.spec, arch: ens.arch }, host).estimator.fromState(p.state);
}

/**
 * Merge partial results of one run (shards, threads, a resumed run's pieces): the accumulators are merged by the
 * estimator's `merge` (Chan), the chunk sets must be disjoint. Refuses pieces of different runs with a one-line
 * error naming the first differing field, and overlapping chunks naming one of them.
 *
 * @example
 * const all = mergePartials([JSON.parse(a), JSON.parse(b)]); // all.complete when the shards cover the ensemble
 */
export function mergePartials<S>(parts: readonly EnsemblePartial<S>[], host: PluginHost = plugins): EnsemblePartial<S> {
  if (parts.length === 0) throw new UsageError('merge: nothing to merge', 'merge');
  parts.forEach((p, i) => checkEnsemblePartial(p, `merge: partial ${i + 1}`));
  const acc = partialAccumulator(parts[0], host);
  const done = new Set(parts[0].done);
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    const diff = partialDifference(parts[0], p);
    if (diff) throw new UsageError(`merge: partial ${i + 1} is from a different run: "${diff.field}" differs (${JSON.stringify(diff.a)} vs ${JSON.stringify(diff.b)})`, 'merge');
    for (const c of p.done) {
      if (done.has(c)) throw new UsageError(`merge: chunk ${c} is in more than one partial (the same networks would be counted twice)`, 'merge');
      done.add(c);
    }
    acc.merge(partialAccumulator(p, host));
  }
  return toEnsemblePartial(parts[0].spec, parts[0].estimator, acc, done, parts.some((p) => p.interrupted === true));
}

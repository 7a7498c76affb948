import { defer, map, type Observable } from 'rxjs';
import { createArchitecture, ensembleStatistic$, plugins, UsageError, type Architecture, type CheckpointEvent, type EnsembleRunSummary, type ProgressEvent, type RunEndEvent, type RunStartEvent } from '@nnsym/core';
import { correlatorRun, fromCorrelatorPartial, toCorrelatorPartial, type CorrelatorState } from './estimator';
import { specDifference, type CorrelatorPartial, type CorrelatorRunSpec } from './partial';
import { registerCorrelatorPlugins } from './register-all';
import type { CorrelatorRunOptions } from './run-types';

export type { CorrelatorRunOptions } from './run-types';

/** The events of {@link correlators$}: the runner's, with the correlator partial in the typed `run-end` summary. */
export type CorrelatorEvent = RunStartEvent | ProgressEvent | CheckpointEvent | RunEndEvent<Omit<EnsembleRunSummary, 'partial'> & { partial: CorrelatorPartial }>;

/** Architecture config from a run spec (fixed one-hidden-layer families take neither depth nor activation). */
export function architectureFromSpec(spec: CorrelatorRunSpec, field = '--arch'): Architecture {
  return createArchitecture(spec.arch, { ...correlatorRun(spec).spec.arch.config }, undefined, field);
}

/**
 * Monte-Carlo n-point correlators of an ensemble, as a cold Observable of events: core's ensemble runner
 * (`ensembleStatistic$`) with the `correlators` estimator. `run-start`, a `progress` event per chunk (networks done /
 * total of this shard), `checkpoint` events, and `run-end` whose summary holds the `partial` result
 * ({@link CorrelatorPartial}, JSON-serialisable, mergeable with {@link mergePartials}); feed it to
 * `finalizeCorrelators` for estimates, errors, GP predictions and connected correlators.
 *
 * Chunk c of the ensemble is sampled from `Rng.derive(seed, 'ensemble', c)`, so a run, its shards, its threads
 * (`threads: T`, merged exactly; with checkpoints too) and an interrupted-then-resumed run see the same networks;
 * resuming replays the same Chan merges from the saved state, so it is bit-identical to an uninterrupted run. An
 * abort (or unsubscribe) takes effect between chunks; an aborted run still emits `run-end` with `interrupted: true`
 * and the partial result marked incomplete.
 *
 * Shapes: outputs [chunk, P, d_out] float32, accumulated in float64 on the host.
 *
 * @example
 * const ac = new AbortController();
 * correlators$({ spec, signal: ac.signal, checkpoint: { every: 10, write: (p) => save(p) } })
 *   .subscribe((e) => e.type === 'run-end' && console.log(e.summary.partial));
 */
export function correlators$(opts: CorrelatorRunOptions): Observable<CorrelatorEvent> {
  return defer(() => correlatorRun$(opts));
}

function correlatorRun$(opts: CorrelatorRunOptions): Observable<CorrelatorEvent> {
  const spec = opts.spec;
  if (opts.resume) {
    const diff = specDifference(opts.resume.spec, spec);
    if (diff) throw new UsageError(`--resume: the checkpoint is from a different run: "${diff.field}" differs (${JSON.stringify(diff.a)} vs ${JSON.stringify(diff.b)})`, '--resume');
  }
  registerCorrelatorPlugins(plugins);
  const run = correlatorRun(spec);
  const ck = opts.checkpoint;
  return ensembleStatistic$<CorrelatorState>({
    ...run,
    command: 'correlators',
    label: `${spec.arch} N=${spec.width}`,
    threads: opts.threads,
    shard: opts.shard,
    signal: opts.signal,
    resume: opts.resume ? fromCorrelatorPartial(opts.resume) : undefined,
    checkpoint: ck ? { every: ck.every, write: (p) => ck.write(toCorrelatorPartial(spec, p as typeof p & { state: CorrelatorState })) } : undefined,
  }).pipe(map((e): CorrelatorEvent => (e.type === 'run-end' ? { ...e, summary: { ...e.summary, partial: toCorrelatorPartial(spec, e.summary.partial) } } : e)));
}

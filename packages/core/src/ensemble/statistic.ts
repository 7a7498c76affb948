import { join } from 'node:path';
import { Observable } from 'rxjs';
import { UsageError } from '../errors';
import { NNSYM_VERSION } from '../version';
import { currentBackend } from '../backend/backend';
import { plugins, type PluginHost } from '../registry/kinds';
import type { CheckpointEvent, ProgressEvent, RunEndEvent, RunStartEvent } from '../events/events';
import { prepareEnsembleRun, type EnsembleRun } from './chunks';
import { chunkCount } from './plan';
import { createEnsemble, type EnsembleSpec } from './spec';
import { resolveEstimator, type EstimatorRef, type Mergeable } from './mergeable';
import { checkEnsemblePartial, mergePartials, partialAccumulator, partialDifference, toEnsemblePartial, type EnsemblePartial } from './partial';
import { chunkLoop } from './chunk-loop';
import { runShardWorkers } from './threads';
import type { EnsemblePathRequest, ShardSpec } from './types';

/** Options of {@link ensembleStatistic$}. */
export interface EnsembleStatisticOptions {
  spec: EnsembleSpec;
  /** The estimator by registry id (kind `estimator`) and config. */
  estimator: EstimatorRef;
  /** Worker threads T (default 1): T > 1 splits this shard over T `worker_threads` and merges their partials. */
  threads?: number;
  /** Compute only chunks i, i + n, ... of the ensemble. */
  shard?: ShardSpec;
  /** Every `every` chunks and at the end (also after an abort), `write` receives the partial so far. */
  checkpoint?: { every: number; write(partial: EnsemblePartial): string | void };
  /** Continue from this partial (its chunks are skipped); its spec and estimator must equal this run's. */
  resume?: EnsemblePartial;
  /** Stop between chunks when aborted (Ctrl-C): the run ends with `interrupted: true` and what it has. */
  signal?: AbortSignal;
  /** Command name recorded in `run-start` (default `ensemble`), and the progress label. */
  command?: string;
  label?: string;
  /** Evaluation path (default `auto`), see `chooseEnsemblePath`. */
  path?: EnsemblePathRequest;
  /** Registry (default the process-wide one; worker threads always use their own default registry). */
  host?: PluginHost;
  /** Internal (worker threads): chunks already held elsewhere, skipped here. */
  skip?: readonly number[];
}

/** The typed `run-end` summary of {@link ensembleStatistic$}. */
export type EnsembleRunSummary<S = unknown> = {
  partial: EnsemblePartial<S>;
  /** Networks computed by this run (not counting resumed chunks). */
  networks: number;
  elapsed: number;
  networksPerSecond: number | null;
  threads: number;
};

/** Events of {@link ensembleStatistic$}: the shared run events, with a typed `run-end`. */
export type EnsembleStatisticEvent<S = unknown> = RunStartEvent | ProgressEvent | CheckpointEvent | RunEndEvent<EnsembleRunSummary<S>>;

/** Arguments a worker thread rebuilds the run from (`estimatorShard`): structured-cloneable, no functions. */
export interface EstimatorShardArgs {
  spec: EnsembleSpec;
  estimator: EstimatorRef;
  /** Packages to load (by name) so the estimator and init sampler are registered in the worker. */
  packages: string[];
  skip: number[];
  backend?: string;
  path?: EnsemblePathRequest;
  /** Post `{ partial }` every this many chunks (host-side checkpoints of a threaded run). */
  checkpointEvery?: number;
}

// The worker module: estimator-worker.js beside this file when built, estimator-worker.ts under jest/ts sources.
const WORKER_MODULE = join(__dirname, `estimator-worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/**
 * Any Monte-Carlo estimator over an ensemble, as a cold Observable: `run-start`, a `progress` event per chunk
 * (networks of this shard done / total), `checkpoint` events, then `run-end` whose typed summary holds the
 * {@link EnsemblePartial} (finalise it with the estimator's owner; merge shards with {@link mergePartials}).
 *
 * Seed contract: chunk c is always sampled from `Rng.derive(spec.seed, 'ensemble', c)`, so one run, its shards
 * (`shard`), its threads (`threads`: thread t takes `threadShard(shard, t, T)`) and an interrupted-then-resumed run
 * see the same networks. A resumed serial run replays the same pushes from the saved state (bit-identical to an
 * uninterrupted run); threads and shards are merged by the estimator's Chan merges (equal to float64 rounding).
 * Each chunk runs in its own macrotask ({@link chunkLoop}); an abort stops between chunks and still emits `run-end`
 * with `interrupted: true`. Tensors are disposed per chunk (the number of live tensors stays flat).
 *
 * Workers rebuild the run from `{ spec, estimator }` alone: the estimator's owning package (`meta.package`) is
 * loaded by name in each worker, which registers it, and the estimator is resolved by id.
 *
 * @example
 * ensembleStatistic$({ spec, estimator: { id: 'moments', config: {} }, threads: 2 })
 *   .subscribe((e) => e.type === 'run-end' && save(e.summary.partial));
 */
export function ensembleStatistic$<S = unknown>(opts: EnsembleStatisticOptions): Observable<EnsembleStatisticEvent<S>> {
  return new Observable<EnsembleStatisticEvent<S>>((sub) => {
    const host = opts.host ?? plugins;
    const spec = opts.spec;
    let teardown: (() => void) | undefined;
    try {
      const ens = createEnsemble(spec, host);
      const { estimator, package: owner } = resolveEstimator<S>(opts.estimator, { spec, arch: ens.arch }, host);
      const plan = ens.plan(opts.shard);
      let acc: Mergeable<S> = estimator.create();
      const done = new Set<number>();
      if (opts.resume) {
        checkEnsemblePartial(opts.resume, '--resume');
        const diff = partialDifference(opts.resume, { ...opts.resume, spec, estimator: opts.estimator });
        if (diff) throw new UsageError(`--resume: the checkpoint is from a different run: "${diff.field}" differs (${JSON.stringify(diff.a)} vs ${JSON.stringify(diff.b)})`, '--resume');
        const mine = new Set(plan.mine);
        const foreign = opts.resume.done.find((c) => !mine.has(c));
        if (foreign !== undefined) throw new UsageError(`--resume: the checkpoint holds chunk ${foreign}, which ${opts.shard ? `shard ${opts.shard.index}/${opts.shard.count}` : 'this run'} does not compute`, '--resume');
        acc = partialAccumulator(opts.resume as EnsemblePartial<S>, host);
        for (const c of opts.resume.done) done.add(c);
      }
      const size = (c: number): number => chunkCount(spec.ensemble, spec.chunkSize, c);
      const total = plan.networks;
      const resumedNetworks = plan.mine.filter((c) => done.has(c)).reduce((s, c) => s + size(c), 0);
      for (const c of opts.skip ?? []) done.add(c);
      const T = opts.threads ?? 1;
      if (!Number.isInteger(T) || T < 1) throw new UsageError(`threads must be a positive integer, got ${T}`, 'threads');
      const label = opts.label ?? `${spec.arch.id}`;
      const t0 = Date.now();
      sub.next({
        type: 'run-start',
        command: opts.command ?? 'ensemble',
        config: { spec, estimator: opts.estimator, shard: opts.shard ?? null, chunks: plan.chunks, mine: plan.mine.length, resumed: opts.resume?.done.length ?? 0, threads: T },
        seed: spec.seed,
        backend: currentBackend()?.name ?? 'tfjs',
        version: NNSYM_VERSION,
        time: new Date().toISOString(),
      });
      const end = (final: EnsemblePartial<S>, fresh: number, interrupted: boolean): void => {
        if (opts.checkpoint) opts.checkpoint.write(final);
        const elapsed = (Date.now() - t0) / 1000;
        sub.next({ type: 'run-end', interrupted, summary: { partial: final, networks: fresh, elapsed, networksPerSecond: elapsed > 0 ? fresh / elapsed : null, threads: T } });
        sub.complete();
      };
      if (T > 1) {
        const ac = new AbortController();
        const onAbort = (): void => ac.abort();
        opts.signal?.addEventListener('abort', onAbort);
        if (opts.signal?.aborted) ac.abort();
        const doneT = new Array<number>(T).fill(0);
        const latest: (EnsemblePartial<S> | undefined)[] = new Array(T).fill(undefined);
        const base = toEnsemblePartial(spec, opts.estimator, acc, done);
        const packages = [...new Set([owner, ...ens.packages])];
        let since = 0;
        runShardWorkers<EstimatorShardArgs, EnsemblePartial<S>>({
          module: WORKER_MODULE,
          fn: 'estimatorShard',
          args: { spec, estimator: opts.estimator, packages, skip: [...done], backend: currentBackend()?.name, path: opts.path, checkpointEvery: opts.checkpoint?.every },
          threads: T,
          shard: opts.shard,
          signal: ac.signal,
          onMessage: (t, m) => {
            const msg = m as { done: number; partial?: EnsemblePartial<S> };
            doneT[t] = msg.done;
            if (msg.partial) {
              latest[t] = msg.partial;
              if (opts.checkpoint && ++since >= T) {
                since = 0;
                const where = opts.checkpoint.write(mergePartials([base, ...latest.filter((p): p is EnsemblePartial<S> => p !== undefined)], host));
                sub.next({ type: 'checkpoint', path: where ?? '', done: resumedNetworks + doneT.reduce((a, b) => a + b, 0) });
              }
              return;
            }
            sub.next({ type: 'progress', done: resumedNetworks + doneT.reduce((a, b) => a + b, 0), total, unit: 'networks', label, elapsed: (Date.now() - t0) / 1000 });
          },
        })
          .then((parts) => {
            const merged = mergePartials([base, ...parts], host);
            const fresh = parts.reduce((s, p) => s + p.networks, 0);
            end(merged, fresh, parts.some((p) => p.interrupted === true));
          })
          .catch((e) => sub.error(e))
          .finally(() => opts.signal?.removeEventListener('abort', onAbort));
        teardown = () => ac.abort();
        return;
      }
      const todo = plan.mine.filter((c) => !done.has(c));
      let run: EnsembleRun | undefined = prepareEnsembleRun({ arch: ens.arch, inputs: spec.points, ensemble: spec.ensemble, chunkSize: spec.chunkSize, seed: spec.seed, sampler: ens.sampler, keepParams: estimator.keepParams, path: opts.path });
      let networks = resumedNetworks;
      let fresh = 0;
      let since = 0;
      const skipped = new Set(opts.skip ?? []);
      const held = (): number[] => [...done].filter((c) => !skipped.has(c));
      teardown = chunkLoop(todo.length, {
        signal: opts.signal,
        step: (k) => {
          const c = todo[k];
          const ch = (run as EnsembleRun).chunk(c);
          acc.push(ch);
          done.add(c);
          networks += ch.count;
          fresh += ch.count;
          sub.next({ type: 'progress', done: networks, total, unit: 'networks', label, elapsed: (Date.now() - t0) / 1000 });
          if (opts.checkpoint && ++since >= opts.checkpoint.every && k + 1 < todo.length) {
            since = 0;
            const where = opts.checkpoint.write(toEnsemblePartial(spec, opts.estimator, acc, held()));
            sub.next({ type: 'checkpoint', path: where ?? '', done: networks });
          }
        },
        end: (interrupted) => end(toEnsemblePartial(spec, opts.estimator, acc, held(), interrupted), fresh, interrupted),
        fail: (e) => sub.error(e),
        dispose: () => {
          run?.dispose();
          run = undefined;
        },
      });
    } catch (e) {
      sub.error(e);
    }
    return () => teardown?.();
  });
}

/** Run {@link ensembleStatistic$} to its end and resolve with the typed run-end summary (rejects on error). */
export function runEnsembleStatistic<S = unknown>(opts: EnsembleStatisticOptions, onEvent?: (e: EnsembleStatisticEvent<S>) => void): Promise<EnsembleRunSummary<S> & { interrupted: boolean }> {
  return new Promise((resolve, reject) => {
    let last: (EnsembleRunSummary<S> & { interrupted: boolean }) | undefined;
    ensembleStatistic$<S>(opts).subscribe({
      next: (e) => {
        onEvent?.(e);
        if (e.type === 'run-end') last = { ...e.summary, interrupted: e.interrupted === true };
      },
      error: reject,
      complete: () => (last ? resolve(last) : reject(new Error('ensembleStatistic$ ended without run-end'))),
    });
  });
}


import { Observable } from 'rxjs';
import { join } from 'node:path';
import { currentBackend, NNSYM_VERSION, runShardWorkers, UsageError, type NnsymEvent, type ShardSpec } from '@nnsym/core';
import { mergePartials, toPartial, type CorrelatorPartial } from './partial';
import { CorrelatorAccumulator } from './accumulator';
import { correlatorLayout } from './layout';
import type { CorrelatorRunOptions, CorrelatorShardArgs } from './run-types';

// Module of the worker function: shard-worker.js beside this file when built, shard-worker.ts under jest/ts sources.
const SHARD_WORKER_MODULE = join(__dirname, `shard-worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/**
 * `correlators$` with `threads: T > 1`: the same run split over T worker threads (thread t takes shard
 * `threadShard(shard, t, T)`, each with its own tfjs engine), whose partials are merged with {@link mergePartials}
 * (Chan merges of the interleaved groups). The result equals the one-thread run with the same spec to float64
 * rounding (the networks are the same: chunk c always comes from `Rng.derive(seed, 'ensemble', c)`). Events:
 * `run-start`, `progress` (networks done over all threads), `run-end` with the merged `partial`.
 *
 * Limits: the architecture is rebuilt in each worker from the spec (built-in architectures and plugins registered
 * by importing @nnsym/* packages; a custom `arch` object is not sent); `resume` and `checkpoint` are refused.
 *
 * @example
 * correlatorsThreaded$({ spec, threads: 2 }).subscribe((e) => e.type === 'run-end' && save(e.summary.partial));
 */
export function correlatorsThreaded$(opts: CorrelatorRunOptions & { threads: number }): Observable<NnsymEvent> {
  return new Observable<NnsymEvent>((sub) => {
    if (opts.resume || opts.checkpoint) {
      sub.error(new UsageError('--threads > 1 does not support --checkpoint/--resume yet: run with --threads 1, or shard with --shard i/n and --out', '--threads'));
      return;
    }
    const ac = new AbortController();
    const onAbort = (): void => ac.abort();
    opts.signal?.addEventListener('abort', onAbort);
    const spec = opts.spec;
    const T = opts.threads;
    const shard: ShardSpec | undefined = opts.shard;
    const chunks = Math.ceil(spec.ensemble / spec.chunkSize);
    const size = (c: number): number => Math.min(spec.chunkSize, spec.ensemble - c * spec.chunkSize);
    let total = 0;
    for (let c = shard?.index ?? 0; c < chunks; c += shard?.count ?? 1) total += size(c);
    const done = new Array<number>(T).fill(0);
    const t0 = Date.now();
    sub.next({ type: 'run-start', command: 'correlators', config: { ...spec, shard: shard ?? null, chunks, threads: T }, seed: spec.seed as number | string, backend: 'tfjs', version: NNSYM_VERSION, time: new Date().toISOString() });
    runShardWorkers<CorrelatorShardArgs, CorrelatorPartial>({
      module: SHARD_WORKER_MODULE,
      fn: 'correlatorShard',
      args: { spec, backend: currentBackend()?.name },
      threads: T,
      shard,
      signal: ac.signal,
      onMessage: (t, m) => {
        done[t] = (m as { done: number }).done;
        sub.next({ type: 'progress', done: done.reduce((a, b) => a + b, 0), total, unit: 'networks', label: `${spec.arch} N=${spec.width}`, elapsed: (Date.now() - t0) / 1000 });
      },
    })
      .then((parts) => {
        const merged = parts.length > 0 ? mergePartials(parts) : toPartial(spec, new CorrelatorAccumulator(correlatorLayout(spec.inputs.length, spec.dOut, spec.orders), { groups: spec.groups }), []);
        const interrupted = merged.interrupted === true;
        const elapsed = (Date.now() - t0) / 1000;
        sub.next({ type: 'run-end', interrupted, summary: { partial: merged, elapsed, networks: merged.networks, networksPerSecond: elapsed > 0 ? merged.networks / elapsed : null, threads: T } });
        sub.complete();
      })
      .catch((e) => sub.error(e))
      .finally(() => opts.signal?.removeEventListener('abort', onAbort));
    return () => ac.abort();
  });
}

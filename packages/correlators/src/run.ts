import { Observable } from 'rxjs';
import { createArchitecture, ensemblePlan, evaluateChunk, inputTensor, NNSYM_VERSION, UsageError, type Architecture, type NnsymEvent } from '@nnsym/core';
import { CorrelatorAccumulator } from './accumulator';
import { correlatorLayout } from './layout';
import { correlatorsThreaded$ } from './threads';
import { fromPartial, specDifference, toPartial, type CorrelatorRunSpec } from './partial';
import type { CorrelatorRunOptions } from './run-types';

export type { CorrelatorRunOptions } from './run-types';

/** Architecture config from a run spec (fixed one-hidden-layer families take neither depth nor activation). */
export function architectureFromSpec(spec: CorrelatorRunSpec, field = '--arch'): Architecture {
  const config: Record<string, unknown> = { width: spec.width, dIn: spec.dIn, dOut: spec.dOut, sigmaW: spec.sigmaW, sigmaB: spec.sigmaB, parameterization: spec.parameterization };
  if (spec.depth !== undefined) config.depth = spec.depth;
  if (spec.activation !== undefined) config.activation = spec.activation;
  if (spec.bias === false) config.bias = false;
  return createArchitecture(spec.arch, config, undefined, field);
}

/**
 * Monte-Carlo n-point correlators of an ensemble, as a cold Observable of events: `run-start`, a `progress` event
 * per chunk (networks done / total of this shard), `checkpoint` events, and `run-end` whose summary holds the
 * `partial` result ({@link CorrelatorPartial}, JSON-serialisable, mergeable with {@link mergePartials}); feed it to
 * `finalizeCorrelators` for estimates, errors, GP predictions and connected correlators.
 *
 * Chunk c of the ensemble is sampled by core's runner from `Rng.derive(seed, 'ensemble', c)`, so a run, its
 * shards, and an interrupted-then-resumed run see the same networks; resuming replays the same Chan merges from
 * the saved state, so it is bit-identical to an uninterrupted run. Each chunk runs in its own macrotask, so an
 * abort (or unsubscribe) takes effect between chunks; an aborted run still emits `run-end` with
 * `interrupted: true` and the partial result marked incomplete.
 *
 * Shapes: outputs [chunk, P, d_out] float32 from tfjs, accumulated in float64 on the host.
 *
 * @example
 * const ac = new AbortController();
 * correlators$({ spec, signal: ac.signal, checkpoint: { every: 10, write: (p) => save(p) } })
 *   .subscribe((e) => e.type === 'run-end' && console.log(e.summary.partial));
 */
export function correlators$(opts: CorrelatorRunOptions): Observable<NnsymEvent> {
  if ((opts.threads ?? 1) > 1) return correlatorsThreaded$({ ...opts, threads: opts.threads as number });
  return new Observable<NnsymEvent>((sub) => {
    let timer: ReturnType<typeof setImmediate> | undefined;
    let stopped = false;
    let disposeX: (() => void) | undefined;
    try {
      const spec = opts.spec;
      const arch = opts.arch ?? architectureFromSpec(spec);
      const plan = ensemblePlan({ arch, inputs: spec.inputs, ensemble: spec.ensemble, chunkSize: spec.chunkSize, shard: opts.shard });
      const layout = correlatorLayout(spec.inputs.length, spec.dOut, spec.orders);
      let acc = new CorrelatorAccumulator(layout, { groups: spec.groups });
      const done = new Set<number>();
      if (opts.resume) {
        const diff = specDifference(opts.resume.spec, spec);
        if (diff) throw new UsageError(`--resume: the checkpoint is from a different run: "${diff.field}" differs (${JSON.stringify(diff.a)} vs ${JSON.stringify(diff.b)})`, '--resume');
        acc = fromPartial(opts.resume);
        for (const c of opts.resume.done) done.add(c);
      }
      const todo = plan.mine.filter((c) => !done.has(c));
      const total = plan.mine.reduce((s, c) => s + Math.min(spec.chunkSize, spec.ensemble - c * spec.chunkSize), 0);
      let networks = plan.mine.filter((c) => done.has(c)).reduce((s, c) => s + Math.min(spec.chunkSize, spec.ensemble - c * spec.chunkSize), 0);
      const { x, owned } = inputTensor(spec.inputs, arch.spec.dIn);
      disposeX = owned ? () => x.dispose() : undefined;
      const t0 = Date.now();
      sub.next({ type: 'run-start', command: 'correlators', config: { ...spec, shard: opts.shard ?? null, chunks: plan.chunks, mine: plan.mine.length, resumed: done.size }, seed: spec.seed as number | string, backend: 'tfjs', version: NNSYM_VERSION, time: new Date().toISOString() });
      let k = 0;
      let fresh = 0;
      let sinceCheckpoint = 0;
      const finish = (interrupted: boolean): void => {
        disposeX?.();
        disposeX = undefined;
        const elapsed = (Date.now() - t0) / 1000;
        const partial = toPartial(spec, acc, [...done], interrupted);
        if (opts.checkpoint) opts.checkpoint.write(partial); // the final state (complete, or what an abort left)
        sub.next({ type: 'run-end', interrupted, summary: { partial, elapsed, networks: fresh, networksPerSecond: elapsed > 0 ? fresh / elapsed : null } });
        sub.complete();
      };
      const step = (): void => {
        if (stopped) return;
        try {
          if (opts.signal?.aborted) return finish(true);
          if (k >= todo.length) return finish(false);
          const c = todo[k++];
          const ch = evaluateChunk(arch, x, spec.seed, plan, c);
          acc.push(ch.outputs, ch.count, ch.start);
          done.add(c);
          networks += ch.count;
          fresh += ch.count;
          sub.next({ type: 'progress', done: networks, total, unit: 'networks', label: `${spec.arch} N=${spec.width}`, elapsed: (Date.now() - t0) / 1000 });
          if (opts.checkpoint && ++sinceCheckpoint >= opts.checkpoint.every && k < todo.length) {
            sinceCheckpoint = 0;
            const where = opts.checkpoint.write(toPartial(spec, acc, [...done]));
            sub.next({ type: 'checkpoint', path: where ?? '', done: networks });
          }
          timer = setImmediate(step);
        } catch (e) {
          disposeX?.();
          disposeX = undefined;
          sub.error(e);
        }
      };
      timer = setImmediate(step);
    } catch (e) {
      disposeX?.();
      sub.error(e);
    }
    return () => {
      stopped = true;
      if (timer) clearImmediate(timer);
      disposeX?.();
      disposeX = undefined;
    };
  });
}

import { Observable } from 'rxjs';
import { inputCount, prepareEnsembleRun, type EnsembleRun } from './chunks';
import type { EnsembleEvent, EnsembleOptions } from './types';
import { chunkLoop } from './chunk-loop';


/**
 * The ensemble run as a cold Observable of {@link EnsembleEvent}s: `run-start` (the plan), then per chunk a
 * `chunk` event (outputs [count, P, d_out] float32) and a `progress` event (networks done / total), then `run-end`
 * with the throughput. Nothing runs until subscription; each chunk runs in its own macrotask, so unsubscribing
 * stops the run between chunks (and disposes the inputs tensor). Same chunks as {@link ensembleChunks}.
 *
 * @example
 * ensemble$({ arch, inputs, ensemble: 1e6, seed: 0, shard: { index: 0, count: 4 } })
 *   .pipe(filter(isEnsembleChunk))
 *   .subscribe((e) => moments.add(e.chunk));
 */
export function ensemble$(opts: EnsembleOptions): Observable<EnsembleEvent> {
  return new Observable<EnsembleEvent>((sub) => {
    let run: EnsembleRun | undefined;
    try {
      run = prepareEnsembleRun(opts);
    } catch (e) {
      sub.error(e);
      return;
    }
    const { plan } = run;
    const t0 = Date.now();
    let done = 0;
    sub.next({ type: 'run-start', plan, arch: opts.arch.id, inputs: inputCount(opts.inputs), dOut: opts.arch.spec.dOut, seed: opts.seed, path: run.path });
    return chunkLoop(plan.mine.length, {
      step: (k) => {
        const chunk = (run as EnsembleRun).chunk(plan.mine[k]);
        done += chunk.count;
        sub.next({ type: 'chunk', chunk });
        sub.next({ type: 'progress', done, total: plan.networks, unit: 'networks', label: opts.arch.id, elapsed: (Date.now() - t0) / 1000 });
      },
      end: () => {
        const elapsed = (Date.now() - t0) / 1000;
        run?.dispose();
        sub.next({ type: 'run-end', networks: done, elapsed, networksPerSecond: elapsed > 0 ? done / elapsed : Infinity });
        sub.complete();
      },
      fail: (e) => sub.error(e),
      dispose: () => {
        run?.dispose();
        run = undefined;
      },
    });
  });
}

/** Type guard for `chunk` events, for `filter(isEnsembleChunk)`. */
export function isEnsembleChunk(e: EnsembleEvent): e is Extract<EnsembleEvent, { type: 'chunk' }> {
  return e.type === 'chunk';
}

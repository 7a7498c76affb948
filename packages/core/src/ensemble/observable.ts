import { Observable } from 'rxjs';
import { inputCount, prepareEnsembleRun, type EnsembleRun } from './chunks';
import type { EnsembleEvent, EnsembleOptions } from './types';

/** Run `f` in a later macrotask (setImmediate in Node, setTimeout elsewhere); returns a canceller. */
function defer(f: () => void): () => void {
  if (typeof setImmediate === 'function') {
    const h = setImmediate(f);
    return () => clearImmediate(h);
  }
  const h = setTimeout(f, 0);
  return () => clearTimeout(h);
}

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
    let stopped = false;
    let run: EnsembleRun | undefined;
    let cancel: (() => void) | undefined;
    const release = (): void => {
      run?.dispose();
      run = undefined;
    };
    try {
      run = prepareEnsembleRun(opts);
      const { plan } = run;
      const t0 = Date.now();
      sub.next({ type: 'run-start', plan, arch: opts.arch.id, inputs: inputCount(opts.inputs), dOut: opts.arch.spec.dOut, seed: opts.seed, path: run.path });
      let k = 0;
      let done = 0;
      const step = (): void => {
        if (stopped || !run) return;
        try {
          if (k < plan.mine.length) {
            const chunk = run.chunk(plan.mine[k++]);
            done += chunk.count;
            sub.next({ type: 'chunk', chunk });
            sub.next({ type: 'progress', done, total: plan.networks, unit: 'networks', label: opts.arch.id, elapsed: (Date.now() - t0) / 1000 });
            cancel = defer(step);
            return;
          }
          const elapsed = (Date.now() - t0) / 1000;
          release();
          sub.next({ type: 'run-end', networks: done, elapsed, networksPerSecond: elapsed > 0 ? done / elapsed : Infinity });
          sub.complete();
        } catch (e) {
          release();
          sub.error(e);
        }
      };
      cancel = defer(step);
    } catch (e) {
      release();
      sub.error(e);
    }
    return () => {
      stopped = true;
      cancel?.();
      release();
    };
  });
}

/** Type guard for `chunk` events, for `filter(isEnsembleChunk)`. */
export function isEnsembleChunk(e: EnsembleEvent): e is Extract<EnsembleEvent, { type: 'chunk' }> {
  return e.type === 'chunk';
}

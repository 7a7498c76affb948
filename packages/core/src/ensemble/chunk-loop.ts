/** Run `f` in a later macrotask (setImmediate in Node, setTimeout elsewhere); returns a canceller. */
export function defer(f: () => void): () => void {
  if (typeof setImmediate === 'function') {
    const h = setImmediate(f);
    return () => clearImmediate(h);
  }
  const h = setTimeout(f, 0);
  return () => clearTimeout(h);
}

/**
 * The safe point of an async loop over long synchronous pieces: resolves in a later macrotask, so a SIGINT/SIGTERM
 * handler (and progress rendering) runs before the loop goes on; check `signal.aborted` after it.
 *
 * @example for (const p of pieces) { run(p); await nextMacrotask(); if (signal.aborted) break; }
 */
export function nextMacrotask(): Promise<void> {
  return new Promise((r) => defer(r));
}

/** Hooks of {@link chunkLoop}. */
export interface ChunkLoopHooks {
  /** Step k of n (k = 0..n−1), each in its own macrotask. */
  step(k: number): void;
  /** Called once after the last step (`interrupted` false) or when `signal` aborted between steps (true). */
  end(interrupted: boolean): void;
  /** A step or `end` threw. */
  fail(e: unknown): void;
  /** Checked before each step: an abort ends the loop with `end(true)`. */
  signal?: AbortSignal;
  /** Always called once when the loop stops (end, failure or cancel): free tensors and buffers here. */
  dispose?(): void;
}

/**
 * The one chunk loop of the ensemble runners: n steps, each in its own macrotask (so progress renders and Ctrl-C
 * is handled between chunks), abort between steps, and `dispose` exactly once however the loop stops. Returns a
 * canceller (an Observable's teardown: stops without calling `end`).
 *
 * @example
 * return new Observable((sub) => chunkLoop(plan.mine.length, { step: (k) => sub.next(run(k)), end: () => sub.complete(), fail: (e) => sub.error(e) }));
 */
export function chunkLoop(n: number, hooks: ChunkLoopHooks): () => void {
  let stopped = false;
  let cancel: (() => void) | undefined;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    cancel?.();
    hooks.dispose?.();
  };
  let k = 0;
  const tick = (): void => {
    if (stopped) return;
    try {
      if (hooks.signal?.aborted || k >= n) {
        const interrupted = k < n;
        hooks.end(interrupted);
        stop();
        return;
      }
      hooks.step(k++);
      if (!stopped) cancel = defer(tick);
    } catch (e) {
      stop();
      hooks.fail(e);
    }
  };
  cancel = defer(tick);
  return stop;
}

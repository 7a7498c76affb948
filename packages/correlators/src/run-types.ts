import type { Architecture, ShardSpec } from '@nnsym/core';
import type { CorrelatorPartial, CorrelatorRunSpec } from './partial';

// The options of `correlators$` (run.ts).

/** Options of {@link correlators$}. */
export interface CorrelatorRunOptions {
  spec: CorrelatorRunSpec;
  /** Ignored: the architecture is always built from the spec (kept so old callers still type-check). */
  arch?: Architecture;
  /** Compute only chunks i, i + n, ... of the ensemble. */
  shard?: ShardSpec;
  /** Continue from this partial result (its chunks are skipped; its spec must equal `spec`). */
  resume?: CorrelatorPartial;
  /** Checkpoint: every `every` chunks and at the end (also after an abort), `write` receives the partial so far. */
  checkpoint?: { every: number; write(partial: CorrelatorPartial): string | void };
  /** Stop between chunks when aborted (Ctrl-C): the run ends with `interrupted: true` and what it has. */
  signal?: AbortSignal;
  /**
   * Worker threads T (default 1): T > 1 runs the shard over T `worker_threads` (core's ensemble runner) and merges
   * their partials exactly (T = 2 uses both cores of a 2-core machine); with `resume`/`checkpoint` too.
   */
  threads?: number;
}

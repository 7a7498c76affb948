import type { Architecture, ShardSpec } from '@nnsym/core';
import type { CorrelatorPartial, CorrelatorRunSpec } from './partial';

// The options type shared by the serial runner (run.ts) and the threaded one (threads.ts), so that neither file
// needs the other for its types: run.ts dispatches to threads.ts, and the worker side (shard-worker.ts) calls run.ts.

/** Options of {@link correlators$}. */
export interface CorrelatorRunOptions {
  spec: CorrelatorRunSpec;
  /** The architecture (default: created from the spec with core's `createArchitecture`). */
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
   * Worker threads T (default 1): T > 1 runs the shard over T `worker_threads` and merges their partials exactly
   * (see `correlatorsThreaded$`; T = 2 uses both cores of a 2-core machine). Not with `resume`/`checkpoint`.
   */
  threads?: number;
}

/** Arguments of `correlatorShard` (sent to each worker). */
export interface CorrelatorShardArgs {
  spec: CorrelatorRunSpec;
  /** Backend for the worker's own tfjs engine (default: core's default order). */
  backend?: string;
}

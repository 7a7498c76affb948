import { filter, map, type OperatorFunction, scan } from 'rxjs';
import type { EpochEndEvent, NnsymEvent } from '../events/events';

/** A running table of epoch metrics: one row per finished epoch. */
export interface EpochTable {
  epochs: number[];
  metrics: Record<string, number[]>;
}

/**
 * Accumulate `epoch-end` events into a table of metric series (for plots and summaries); emits the table after
 * each epoch.
 */
export function summarizeEpochs(): OperatorFunction<NnsymEvent, EpochTable> {
  return (source) =>
    source.pipe(
      filter((e): e is EpochEndEvent => e.type === 'epoch-end'),
      scan<EpochEndEvent, EpochTable>(
        (acc, e) => {
          const metrics: Record<string, number[]> = {};
          const keys = new Set([...Object.keys(acc.metrics), ...Object.keys(e.metrics)]);
          for (const k of keys) metrics[k] = [...(acc.metrics[k] ?? new Array(acc.epochs.length).fill(NaN)), e.metrics[k] ?? NaN];
          return { epochs: [...acc.epochs, e.epoch], metrics };
        },
        { epochs: [], metrics: {} },
      ),
      map((t) => t),
    );
}

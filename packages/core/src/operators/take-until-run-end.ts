import { type OperatorFunction, takeWhile } from 'rxjs';
import type { NnsymEvent } from '../events/events';

/**
 * Complete the stream right after its `run-end` or `error` event (inclusive), for consumers that read an
 * event log or a hot stream that outlives one run.
 */
export function takeUntilRunEnd(): OperatorFunction<NnsymEvent, NnsymEvent> {
  return takeWhile((e) => e.type !== 'run-end' && e.type !== 'error', true);
}

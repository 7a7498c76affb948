import { asyncScheduler, type OperatorFunction, type SchedulerLike, merge, Observable } from 'rxjs';
import { filter, share, throttleTime } from 'rxjs/operators';
import type { NnsymEvent } from '../events/events';

/**
 * Thin out high-rate events (`progress`, `batch-end`) to at most one per `ms` window (leading and trailing, so
 * the last state is always shown), and pass every other event through untouched and in order.
 *
 * @example
 * train$.pipe(throttleProgress(100)).subscribe(renderBar);
 */
export function throttleProgress(ms: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<NnsymEvent, NnsymEvent> {
  const frequent = (e: NnsymEvent) => e.type === 'progress' || e.type === 'batch-end';
  return (source) =>
    new Observable<NnsymEvent>((subscriber) => {
      const shared = source.pipe(share());
      return merge(
        shared.pipe(filter((e) => !frequent(e))),
        shared.pipe(
          filter(frequent),
          throttleTime(ms, scheduler, { leading: true, trailing: true }),
        ),
      ).subscribe(subscriber);
    });
}

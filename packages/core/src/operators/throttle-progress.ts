import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { NnsymEvent } from '../events/events';

const FREQUENT: ReadonlySet<NnsymEvent['type']> = new Set(['progress', 'batch-end']);

/**
 * Thin out high-rate events (`progress`, `batch-end`) to at most one per `ms` window per event type, leading and
 * trailing (the first event of a burst shows at once, the last one when its window closes), and pass every other
 * event through untouched and in order.
 *
 * Order is kept across types: a held-back trailing `progress`/`batch-end` is emitted just before the next
 * non-throttled event (e.g. `epoch-end`, `run-end`) instead of after it, and at once when the source completes,
 * so a consumer never sees a stale progress event after the run ended. (`throttleTime` with `trailing: true` would
 * emit it one window after completion, behind `run-end`.)
 *
 * When to use: CLI progress bars and the live dashboard, which cannot redraw at the rate of training steps.
 *
 * @example
 * train$.pipe(throttleProgress(100)).subscribe(renderBar);
 *
 * @param ms window length in milliseconds (per event type).
 * @param scheduler time source (the RxJS `TestScheduler` in marble tests).
 */
export function throttleProgress(ms: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<NnsymEvent, NnsymEvent> {
  return (source) =>
    new Observable<NnsymEvent>((subscriber) => {
      interface Lane {
        open: boolean;
        pending?: { e: NnsymEvent; seq: number };
        timer?: Subscription;
      }
      const lanes = new Map<string, Lane>();
      let seq = 0;
      const lane = (type: string) => {
        let l = lanes.get(type);
        if (!l) lanes.set(type, (l = { open: false }));
        return l;
      };
      const openWindow = (l: Lane) => {
        l.open = true;
        l.timer = scheduler.schedule(() => {
          l.timer = undefined;
          if (l.pending) {
            const { e } = l.pending;
            l.pending = undefined;
            subscriber.next(e);
            openWindow(l);
          } else {
            l.open = false;
          }
        }, ms);
      };
      const flush = () => {
        const held: { l: Lane; e: NnsymEvent; seq: number }[] = [];
        for (const l of lanes.values()) if (l.pending) held.push({ l, ...l.pending });
        held.sort((a, b) => a.seq - b.seq);
        for (const h of held) {
          h.l.pending = undefined;
          subscriber.next(h.e);
        }
      };
      const stopTimers = () => {
        for (const l of lanes.values()) l.timer?.unsubscribe();
      };
      const sub = source.subscribe({
        next: (e) => {
          if (!FREQUENT.has(e.type)) {
            flush();
            subscriber.next(e);
            return;
          }
          const l = lane(e.type);
          if (l.open) {
            l.pending = { e, seq: seq++ };
          } else {
            subscriber.next(e);
            openWindow(l);
          }
        },
        error: (err) => {
          flush();
          stopTimers();
          subscriber.error(err);
        },
        complete: () => {
          flush();
          stopTimers();
          subscriber.complete();
        },
      });
      return () => {
        sub.unsubscribe();
        stopTimers();
      };
    });
}

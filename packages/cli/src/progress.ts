import { lastValueFrom, tap, type Observable } from 'rxjs';
import { takeUntilRunEnd, throttleProgress, type NnsymEvent, type RunEndEvent } from '@nnsym/core';

/**
 * Render progress events as a one-line bar on stderr with rate and ETA, e.g.
 * `correlators  [#########.........]  48% 480000/1000000 networks  95.1k/s  ETA 5s`.
 * Shown when stderr is a terminal, or when forced (`--progress`); never mixed into stdout.
 */
export class ProgressBar {
  private start = Date.now();
  private lastLen = 0;
  private shown = false;
  constructor(
    private readonly write: (s: string) => void,
    private readonly label: string,
    private readonly opts: { width?: number; tty?: boolean } = {},
  ) {}

  update(done: number, total: number, unit: string, extra = ''): void {
    const elapsed = (Date.now() - this.start) / 1000;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const w = this.opts.width ?? 24;
    const filled = Math.round(frac * w);
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : NaN;
    const line = `${this.label}  [${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${(100 * frac).toFixed(0).padStart(3)}% ${done}/${total} ${unit}  ${formatRate(rate)}/s  ETA ${formatSeconds(eta)}${extra ? '  ' + extra : ''}`;
    if (this.opts.tty === false) {
      this.write(line + '\n');
    } else {
      this.write('\r' + line.padEnd(this.lastLen));
      this.lastLen = line.length;
    }
    this.shown = true;
  }

  /** Feed any event; only `progress` events move the bar. */
  onEvent(e: NnsymEvent): void {
    if (e.type === 'progress') this.update(e.done, e.total, e.unit, e.label ?? '');
  }

  done(): void {
    if (this.shown && this.opts.tty !== false) this.write('\n');
  }
}

export function formatRate(r: number): string {
  if (!Number.isFinite(r)) return '-';
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k`;
  return r.toFixed(1);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** How `consumeRun` drives a run's event stream. */
export interface ConsumeRunOptions {
  /** The bar that `progress` events move (absent: no bar). */
  bar?: ProgressBar;
  /** Thin `progress` and `batch-end` events to one per this many ms before `onEvent` and the bar (default 100). */
  throttleMs?: number;
  /** Keep the bar hidden for the first this many ms, so short runs print no bar (default 0). */
  quietMs?: number;
  /** Sees every event that passes the throttle, in order; run-ending events always pass. */
  onEvent?: (e: NnsymEvent) => void;
}

/**
 * Run an event stream to its `run-end` (or `error` event) and return the `run-end` event, if any. The high-rate
 * events are thinned at this one place with core's `throttleProgress` (leading and trailing, order kept), so no
 * command counts steps or compares clocks to rate-limit its bar; the stream completes with `takeUntilRunEnd`.
 * A stream that errors rejects. The bar is closed (`done`) however the run ends.
 *
 * @example
 * const end = await consumeRun(correlators$(opts), { bar, quietMs: 1000 });
 * const partial = end?.summary.partial;
 */
export async function consumeRun<S = Record<string, unknown>>(events$: Observable<NnsymEvent>, options: ConsumeRunOptions = {}): Promise<RunEndEvent<S> | undefined> {
  const { bar, onEvent } = options;
  const t0 = Date.now();
  const quietMs = options.quietMs ?? 0;
  let end: RunEndEvent<S> | undefined;
  try {
    await lastValueFrom(
      events$.pipe(
        throttleProgress(options.throttleMs ?? 100),
        takeUntilRunEnd(),
        tap((e) => {
          if (e.type === 'progress' && Date.now() - t0 >= quietMs) bar?.onEvent(e);
          if (e.type === 'run-end') end = e as RunEndEvent<S>;
          onEvent?.(e);
        }),
      ),
      { defaultValue: undefined },
    );
  } finally {
    bar?.done();
  }
  return end;
}

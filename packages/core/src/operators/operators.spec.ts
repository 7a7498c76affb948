import { TestScheduler } from 'rxjs/testing';
import { of } from 'rxjs';
import type { EpochEndEvent, NnsymEvent } from '../events/events';
import { parseEvent } from '../events/events';
import { throttleProgress } from './throttle-progress';
import { stringifyEvent, toJsonl } from './to-jsonl';
import { takeUntilRunEnd } from './take-until-run-end';
import { summarizeEpochs } from './summarize-epochs';

const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const start: NnsymEvent = { type: 'run-start', command: 'train', config: {}, seed: 0, backend: 'cpu', time: '2026-01-01T00:00:00Z' };
const p = (done: number): NnsymEvent => ({ type: 'progress', done, total: 10, unit: 'steps' });
const b = (step: number): NnsymEvent => ({ type: 'batch-end', epoch: 0, batch: step, step, loss: 1 / (step + 1), size: 32 });
const ee = (epoch: number, metrics: Record<string, number>): EpochEndEvent => ({ type: 'epoch-end', epoch, epochs: 3, metrics });
const end: NnsymEvent = { type: 'run-end', summary: { ok: true } };
const err: NnsymEvent = { type: 'error', message: 'loss diverged', step: 3 };

describe('throttleProgress', () => {
  it('emits the first progress of a burst at once and the last one when the window closes', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: p(1), b: p(2), c: p(3), d: p(4) };
      // window 5 frames: a at 0 opens [0,5); b, c held, c (latest) emitted at 5 and opens [5,10); d at 12 is leading.
      const src = cold('a-b-c-------d-|', values);
      const out = '     a----c------d-|';
      expectObservable(src.pipe(throttleProgress(5))).toBe(out, values);
    });
  });

  it('passes every non-progress event through in order, flushing a held progress before it', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { s: start, a: p(1), b: p(2), c: p(3), e: ee(0, { loss: 0.5 }), r: end };
      // Window 20 opened by a at frame 1: b (2) is held; e arrives at 4, so b is flushed first, then e, both at 4.
      // c (7) is held again and flushed just before run-end r at 11; completion at 15 passes straight through.
      const src = cold('sab-e--c---r---|', values);
      expectObservable(src.pipe(throttleProgress(20))).toBe('sa--(be)---(cr)|', values);
    });
  });

  it('never emits a progress event after run-end, and completes with the source', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: p(1), b: p(2), r: end };
      expectObservable(cold('ab(r|)', values).pipe(throttleProgress(100))).toBe('a-(br|)', values);
    });
  });

  it('throttles progress and batch-end in separate windows', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: p(1), b: p(2), x: b(0), y: b(1) };
      // x is the first batch-end: leading in its own lane although a progress window is open.
      expectObservable(cold('axby--|', values).pipe(throttleProgress(3))).toBe('ax-by-|', values);
    });
  });

  it('flushes a held progress before an error and forwards the error', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: p(1), b: p(2) };
      expectObservable(cold('ab#', values, new Error('boom')).pipe(throttleProgress(10))).toBe('a-(b#)', values, new Error('boom'));
    });
  });

  it('unsubscribes its timers (no emission after unsubscribe)', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: p(1), b: p(2) };
      expectObservable(cold('ab-------|', values).pipe(throttleProgress(5)), '^--!').toBe('a--', values);
    });
  });
});

describe('toJsonl / stringifyEvent', () => {
  it('writes one parseable JSON line per event, round-tripping through parseEvent', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { s: start, e: ee(1, { loss: 0.25, accuracy: 0.9 }), r: end };
      const lines = { s: JSON.stringify(start), e: JSON.stringify(values.e), r: JSON.stringify(end) };
      expectObservable(cold('s-e-r|', values).pipe(toJsonl())).toBe('s-e-r|', lines);
    });
    for (const e of [start, p(3), b(2), ee(2, { loss: 1 }), end, err]) expect(parseEvent(stringifyEvent(e))).toEqual(e);
  });

  it('keeps NaN and Infinity visible as "<key>$" strings and never mutates the event', () => {
    const e = ee(0, { loss: NaN, gradNorm: Infinity, accuracy: 0.5 });
    const snapshot = JSON.parse(JSON.stringify({ ...e, metrics: { ...e.metrics } }));
    const line = stringifyEvent(e);
    expect(JSON.parse(line)).toEqual({ type: 'epoch-end', epoch: 0, epochs: 3, metrics: { loss: null, loss$: 'NaN', gradNorm: null, gradNorm$: 'Infinity', accuracy: 0.5 } });
    expect(Object.keys(e.metrics)).toEqual(['loss', 'gradNorm', 'accuracy']);
    expect(JSON.parse(JSON.stringify(e))).toEqual(snapshot);
    expect(line).not.toContain('\n');
  });

  it('writes non-finite array entries as null', () => {
    expect(JSON.parse(stringifyEvent({ type: 'metric', step: 0, name: 'q', values: {}, extra: [1, -Infinity] }))).toMatchObject({ extra: [1, null] });
  });
});

describe('takeUntilRunEnd', () => {
  it('completes right after run-end, including it, and ignores what follows', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const values = { s: start, a: p(1), r: end, z: p(9) };
      expectObservable(hot('-s-a-r-z-|', values).pipe(takeUntilRunEnd())).toBe('-s-a-(r|)', values);
    });
  });

  it('also stops at an error event', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { s: start, x: err, a: p(1) };
      expectObservable(cold('sxa|', values).pipe(takeUntilRunEnd())).toBe('s(x|)', values);
    });
  });
});

describe('summarizeEpochs', () => {
  it('emits a growing table after each epoch-end and ignores other events', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { s: start, a: b(0), x: ee(0, { loss: 1 }), y: ee(1, { loss: 0.5, acc: 0.8 }), r: end };
      const tables = {
        X: { epochs: [0], metrics: { loss: [1] } },
        Y: { epochs: [0, 1], metrics: { loss: [1, 0.5], acc: [NaN, 0.8] } },
      };
      expectObservable(cold('saxay-r|', values).pipe(summarizeEpochs())).toBe('--X-Y--|', tables);
    });
  });

  it('fills a metric missing from a later epoch with NaN', async () => {
    const tables: unknown[] = [];
    of(ee(0, { loss: 1, acc: 0.5 }), ee(1, { loss: 0.5 }))
      .pipe(summarizeEpochs())
      .subscribe((t) => tables.push(t));
    expect(tables[1]).toEqual({ epochs: [0, 1], metrics: { loss: [1, 0.5], acc: [0.5, NaN] } });
  });
});

import { Observable, Subject } from 'rxjs';
import type { NnsymEvent } from '@nnsym/core';
import { ProgressBar, consumeRun } from './progress';

const progress = (done: number): NnsymEvent => ({ type: 'progress', done, total: 1000, unit: 'networks' }) as NnsymEvent;
const runEnd = (summary: Record<string, unknown>): NnsymEvent => ({ type: 'run-end', summary }) as unknown as NnsymEvent;

describe('consumeRun', () => {
  it('returns the run-end event, thins a burst of progress events to the first and the last, and closes the bar', async () => {
    const lines: string[] = [];
    const bar = new ProgressBar((s) => lines.push(s), 'test', { tty: false });
    const seen: NnsymEvent[] = [];
    const source = new Observable<NnsymEvent>((sub) => {
      for (let i = 1; i <= 1000; i++) sub.next(progress(i)); // one synchronous burst: far inside one 100 ms window
      sub.next(runEnd({ answer: 42 }));
      sub.complete();
    });
    const end = await consumeRun<{ answer: number }>(source, { bar, onEvent: (e) => seen.push(e) });
    expect(end?.summary.answer).toBe(42);
    // leading event at once, the held-back last one just before run-end (order kept), nothing in between
    expect(seen.map((e) => (e.type === 'progress' ? e.done : e.type))).toEqual([1, 1000, 'run-end']);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('1000/1000 networks');
  });

  it('completes at run-end even when the source stays open, and returns undefined for a stream without one', async () => {
    const hot = new Subject<NnsymEvent>();
    const done = consumeRun(hot);
    hot.next(progress(1));
    hot.next(runEnd({}));
    await expect(done).resolves.toEqual({ type: 'run-end', summary: {} });
    expect(hot.observed).toBe(false); // unsubscribed after run-end
    await expect(consumeRun(new Observable<NnsymEvent>((s) => s.complete()))).resolves.toBeUndefined();
  });

  it('keeps the bar hidden for quietMs and rejects when the stream errors', async () => {
    const lines: string[] = [];
    const bar = new ProgressBar((s) => lines.push(s), 'test', { tty: false });
    const quick = new Observable<NnsymEvent>((sub) => {
      sub.next(progress(500));
      sub.next(runEnd({}));
      sub.complete();
    });
    await consumeRun(quick, { bar, quietMs: 60_000 });
    expect(lines).toEqual([]);
    const failing = new Observable<NnsymEvent>((sub) => sub.error(new Error('boom')));
    await expect(consumeRun(failing, { bar })).rejects.toThrow('boom');
  });
});

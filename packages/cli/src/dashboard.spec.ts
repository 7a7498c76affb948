import { Observable, lastValueFrom, toArray } from 'rxjs';
import type { NnsymEvent } from '@nnsym/core';
import { makeContext } from './context';
import { withDashboard } from './dashboard';

describe('withDashboard', () => {
  it('mirrors a cold stream with one subscription, feeds the dashboard, prints the URL, and closes after the grace period', async () => {
    let subscriptions = 0;
    const cold$ = new Observable<NnsymEvent>((sub) => {
      subscriptions++;
      for (let i = 1; i <= 3; i++) sub.next({ type: 'progress', done: i, total: 3, unit: 'steps' });
      sub.complete();
    });
    const err: string[] = [];
    const ctx = makeContext({}, { stdout: () => undefined, stderr: (s) => err.push(s), isTTY: false });
    const dash = await withDashboard(cold$, ctx, { port: 0, graceMs: 20, label: 'test' });
    const seen = await lastValueFrom(dash.events$.pipe(toArray()));
    expect(seen).toHaveLength(3);
    expect(subscriptions).toBe(1);
    expect(dash.server.history()).toEqual(seen);
    expect(err.join('')).toContain(`nnsym: dashboard on ${dash.url}`);
    await dash.closed;
  });
});

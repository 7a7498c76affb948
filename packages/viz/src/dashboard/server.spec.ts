import { get, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { Subject } from 'rxjs';
import { isNnsymError, type NnsymEvent } from '@nnsym/core';
import { startDashboard } from './server';

/** Read an SSE stream until `until` returns true for the parsed messages (or the stream ends). */
function sse(url: string, headers: Record<string, string> = {}, until: (msgs: { event?: string; id?: string; data: string }[]) => boolean = () => false) {
  return new Promise<{ event?: string; id?: string; data: string }[]>((resolve, reject) => {
    const msgs: { event?: string; id?: string; data: string }[] = [];
    let buf = '';
    const req = get(url, { headers }, (res: IncomingMessage) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m: { event?: string; id?: string; data: string } = { data: '' };
          for (const line of block.split('\n')) {
            const [k, ...rest] = line.split(': ');
            if (k === 'event') m.event = rest.join(': ');
            else if (k === 'id') m.id = rest.join(': ');
            else if (k === 'data') m.data = rest.join(': ');
          }
          if (m.data || m.event) msgs.push(m);
        }
        if (until(msgs)) {
          req.destroy();
          resolve(msgs);
        }
      });
      res.on('end', () => resolve(msgs));
    });
    req.on('error', reject);
  });
}

const fetchText = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

const progress = (done: number): NnsymEvent => ({ type: 'progress', done, total: 10, unit: 'steps' });

describe('dashboard server', () => {
  it('serves a self-contained page, streams live events, replays history, and closes after the grace period', async () => {
    const s = new Subject<NnsymEvent>();
    // The grace period must outlast the scheduling delay of a loaded machine before the reload below connects.
    const dash = await startDashboard(s, { port: 0, graceMs: 1500 });
    expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetchText(dash.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script>');
    expect(page.body).not.toMatch(/<script src|<link|https?:\/\/(?!www\.w3\.org)/);

    s.next(progress(1));
    s.next(progress(2));
    // A live client gets the reset marker, the two past events, then the next one.
    const live = sse(`${dash.url}events`, {}, (m) => m.filter((x) => !x.event).length >= 3);
    await new Promise((r) => setTimeout(r, 50));
    s.next(progress(3));
    const got = await live;
    expect(got[0].event).toBe('reset');
    expect(got.filter((m) => !m.event).map((m) => JSON.parse(m.data).done)).toEqual([1, 2, 3]);

    // A reconnect with Last-Event-ID 1 gets only event 2, without a reset.
    const resumed = sse(`${dash.url}events`, { 'last-event-id': '1' }, (m) => m.length >= 1);
    const r = await resumed;
    expect(r.map((m) => [m.event, m.id])).toEqual([[undefined, '2']]);

    s.complete();
    // After the end a reloading page still gets the whole history and the end marker, until the grace period ends.
    const after = await sse(`${dash.url}events`);
    expect(after.map((m) => m.event ?? 'data')).toEqual(['reset', 'data', 'data', 'data', 'end']);
    await dash.closed;
    await expect(fetchText(dash.url)).rejects.toThrow();
  });

  it('a port in use: picks a free one and says which it asked for, or with strictPort names the flag', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const dash = await startDashboard(new Subject<NnsymEvent>(), { port: taken });
      expect(dash.portFallback).toBe(taken);
      expect(dash.port).not.toBe(taken);
      await dash.close();
      let err: unknown;
      try {
        await startDashboard(new Subject<NnsymEvent>(), { port: taken, strictPort: true, portFlag: '--dashboard-port' });
      } catch (e) {
        err = e;
      }
      expect(isNnsymError(err)).toBe(true);
      expect((err as Error).message).toMatch(new RegExp(`--dashboard-port: port ${taken} on 127.0.0.1 is in use; choose another with --dashboard-port`));
    } finally {
      blocker.close();
    }
  });

  it('close() ends connected pages and unsubscribes from the stream', async () => {
    const s = new Subject<NnsymEvent>();
    const dash = await startDashboard(s, { port: 0 });
    const stream = sse(`${dash.url}events`);
    await new Promise((r) => setTimeout(r, 30));
    expect(dash.clients()).toBe(1);
    await dash.close();
    const msgs = await stream;
    expect(msgs[msgs.length - 1].event).toBe('end');
    expect(s.observed).toBe(false);
  });
});

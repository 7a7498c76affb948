import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError, type NnsymEvent } from '@nnsym/core';
import { dashboardHtml } from './page';

/** Anything with an RxJS-style `subscribe` (an `Observable<NnsymEvent>`, a `Subject`); viz does not import rxjs. */
export interface EventSource$ {
  subscribe(observer: { next: (e: NnsymEvent) => void; error: (err: unknown) => void; complete: () => void }): { unsubscribe(): void };
}

export interface DashboardOptions {
  /** Port on 127.0.0.1 (default 7717; 0 picks a free one). */
  port?: number;
  /** When the port is taken: false (default) picks a free port and reports it in `portFallback`; true throws. */
  strictPort?: boolean;
  /** The flag that sets the port, named in messages (default `--dashboard-port`). */
  portFlag?: string;
  /** How long the page stays served after the stream ends, in ms (default 3000), so it can show the end. */
  graceMs?: number;
  /** Page title (default "nnsym dashboard"). */
  title?: string;
  /** Events kept for replay to a reloaded page (default 50000; beyond, every other batch-end is dropped). */
  maxHistory?: number;
}

/** A running dashboard server. */
export interface Dashboard {
  /** e.g. `http://127.0.0.1:7717/`. */
  readonly url: string;
  readonly port: number;
  /** The port asked for, when it was in use and another was picked. */
  readonly portFallback?: number;
  /** Resolves once the server has closed (after the grace period, or `close()`). */
  readonly closed: Promise<void>;
  /** Events received so far (the replay buffer). */
  history(): readonly NnsymEvent[];
  /** Connected pages. */
  clients(): number;
  /** Stop now: end every page's stream, unsubscribe, close the server. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_DASHBOARD_PORT = 7717;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.removeListener('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.removeListener('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/**
 * Serve a live dashboard of an event stream on loopback: `GET /` is a self-contained page (inline script, no
 * network) that draws loss, accuracy, `metric` streams (e.g. Noether charges) and progress as they arrive over
 * server-sent events (`GET /events`); `GET /history.json` returns the events so far. A page that reloads mid-run
 * gets the whole history replayed; an EventSource reconnect (Last-Event-ID) gets what it missed. When the stream
 * completes or errors the pages are told, and the server closes after `graceMs`.
 *
 * The dashboard subscribes to `events$` once. For a cold Observable that the command also consumes, feed a
 * `Subject` instead (as `withDashboard` in the CLI does), or the computation would run twice.
 *
 * @example
 * const events$ = new Subject<NnsymEvent>();
 * const dash = await startDashboard(events$, { port: 0 });
 * console.error(`dashboard on ${dash.url}`);
 * events$.next({ type: 'progress', done: 1, total: 10, unit: 'steps' });
 * events$.complete();
 * await dash.closed;
 */
export async function startDashboard(events$: EventSource$, options: DashboardOptions = {}): Promise<Dashboard> {
  const graceMs = options.graceMs ?? 3000;
  const maxHistory = options.maxHistory ?? 50000;
  const portFlag = options.portFlag ?? '--dashboard-port';
  const html = dashboardHtml(options.title ?? 'nnsym dashboard');
  const history: { id: number; event: NnsymEvent }[] = [];
  const clients = new Set<ServerResponse>();
  let nextId = 0;
  let ended: { error?: string } | undefined;
  let closing: Promise<void> | undefined;
  let graceTimer: NodeJS.Timeout | undefined;

  const write = (res: ServerResponse, id: number, e: NnsymEvent) => res.write(`id: ${id}\ndata: ${JSON.stringify(e)}\n\n`);
  const endMessage = () => `event: end\ndata: ${JSON.stringify(ended ?? {})}\n\n`;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    } else if (path === '/history.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(history.map((h) => h.event)));
    } else if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const last = Number(req.headers['last-event-id']);
      const resume = Number.isInteger(last) && history.length > 0 && last >= history[0].id - 1;
      res.write(`retry: 1000\n\n`);
      if (!resume) res.write('event: reset\ndata: {}\n\n');
      for (const h of history) if (!resume || h.id > last) write(res, h.id, h.event);
      if (ended) {
        res.end(endMessage());
        return;
      }
      clients.add(res);
      req.on('close', () => clients.delete(res));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  };

  const server = createServer(handler);
  const wanted = options.port ?? DEFAULT_DASHBOARD_PORT;
  let port: number;
  let portFallback: number | undefined;
  try {
    port = await listen(server, wanted);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e;
    if (options.strictPort) throw new UsageError(`${portFlag}: port ${wanted} on 127.0.0.1 is ${code === 'EACCES' ? 'not permitted' : 'in use'}; choose another with ${portFlag} <port> (0 = any free port)`, portFlag);
    port = await listen(server, 0);
    portFallback = wanted;
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      if (graceTimer) clearTimeout(graceTimer);
      sub.unsubscribe();
      for (const c of clients) c.end(endMessage());
      clients.clear();
      server.close(() => {
        resolveClosed();
        resolve();
      });
      server.closeAllConnections?.();
    });
    return closing;
  };

  const finish = (info: { error?: string }) => {
    if (ended) return;
    ended = info;
    for (const c of clients) c.end(endMessage());
    clients.clear();
    graceTimer = setTimeout(() => void close(), graceMs);
  };

  const sub: { unsubscribe(): void } = events$.subscribe({
    next: (event) => {
      const id = nextId++;
      history.push({ id, event });
      if (history.length > maxHistory) {
        // Thin the oldest half of the per-batch events; run-start, epochs, metrics and progress are kept.
        let drop = true;
        for (let i = 0; i < history.length / 2; i++) {
          if (history[i].event.type === 'batch-end') {
            if (drop) history.splice(i--, 1);
            drop = !drop;
          }
        }
      }
      for (const c of clients) write(c, id, event);
    },
    error: (err) => finish({ error: err instanceof Error ? err.message : String(err) }),
    complete: () => finish({}),
  });

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    portFallback,
    closed,
    history: () => history.map((h) => h.event),
    clients: () => clients.size,
    close,
  };
}

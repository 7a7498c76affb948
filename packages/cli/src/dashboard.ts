import { Subject, finalize, tap, type Observable } from 'rxjs';
import type { NnsymEvent } from '@nnsym/core';
import { DEFAULT_DASHBOARD_PORT, startDashboard, type Dashboard } from '@nnsym/viz';
import type { CliContext } from './context';

/** Options of {@link withDashboard}. */
export interface CliDashboardOptions {
  /** Port on 127.0.0.1 (default 7717); when taken, a free port is used and printed. 0: any free port. */
  port?: number;
  /** Flag that sets the port, named in messages (default `--dashboard-port`). */
  portFlag?: string;
  /** Keep the page up this long after the run ends, in ms (default 5000). */
  graceMs?: number;
  /** Page title (default "nnsym <label>"). */
  title?: string;
  /** Label for the title and messages, e.g. the command name. */
  label?: string;
}

/** The dashboard of one command run. */
export interface CliDashboard {
  /** Subscribe to this instead of the original stream: the same events, also sent to the dashboard. */
  readonly events$: Observable<NnsymEvent>;
  readonly url: string;
  /** Resolves when the server has closed (grace period after the run, Ctrl-C, or `close()`). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
  readonly server: Dashboard;
}

/**
 * Serve the live dashboard (`@nnsym/viz` `startDashboard`) for a command's event stream: loss, accuracy,
 * `metric` streams (charges), progress, live in a browser on http://127.0.0.1:7717/ over server-sent events.
 *
 * The returned `events$` mirrors `events$` and feeds the dashboard as a side effect, so the command keeps a single
 * subscription (the progress bar and the dashboard see the same events; a cold stream is not run twice). The URL
 * goes to stderr (also when the port was taken and another was picked). After the stream ends the page stays up
 * for `graceMs` so it can show the final state; Ctrl-C closes it at once (and still interrupts a command that has no
 * SIGINT handler of its own). Await `closed` before returning from
 * the command so the process exits when the dashboard is done.
 *
 * Wiring a command (e.g. `nnsym train --dashboard [--dashboard-port 7717]`):
 * ```ts
 * .option('--dashboard', 'serve a live dashboard of the run on 127.0.0.1')
 * .option('--dashboard-port <port>', 'dashboard port (default 7717; 0 = any free port)', nonNegativeInt('--dashboard-port'))
 * ...
 * let events$ = trainMlp(config);
 * const dash = flags.dashboard ? await withDashboard(events$, c, { port: flags.dashboardPort, label: 'train' }) : undefined;
 * if (dash) events$ = dash.events$;
 * await lastValueFrom(events$.pipe(tap(render)), { defaultValue: undefined });
 * // ... print the result ...
 * await dash?.closed;
 * ```
 */
export async function withDashboard(events$: Observable<NnsymEvent>, ctx: CliContext, options: CliDashboardOptions = {}): Promise<CliDashboard> {
  const portFlag = options.portFlag ?? '--dashboard-port';
  const feed = new Subject<NnsymEvent>();
  const server = await startDashboard(feed, {
    port: options.port ?? DEFAULT_DASHBOARD_PORT,
    portFlag,
    graceMs: options.graceMs ?? 5000,
    title: options.title ?? `nnsym ${options.label ?? 'run'}`,
  });
  if (server.portFallback !== undefined) {
    ctx.info(`nnsym: dashboard port ${server.portFallback} is in use; serving on ${server.url} instead (set the port with ${portFlag})`);
  } else {
    ctx.info(`nnsym: dashboard on ${server.url}`);
  }
  // Ctrl-C closes the dashboard at once. If the command has no SIGINT handler of its own (train has one that stops
  // the run gracefully), the signal is re-raised after closing so the default (exit 130) still happens.
  const onSigint = () => {
    void server.close().then(() => {
      if (process.listenerCount('SIGINT') === 0) process.kill(process.pid, 'SIGINT');
    });
  };
  process.once('SIGINT', onSigint);
  void server.closed.then(() => process.removeListener('SIGINT', onSigint));
  const mirrored = events$.pipe(
    tap({ next: (e) => feed.next(e), error: (err) => feed.error(err), complete: () => feed.complete() }),
    finalize(() => {
      if (!feed.closed) feed.complete();
    }),
  );
  return { events$: mirrored, url: server.url, closed: server.closed, close: () => server.close(), server };
}

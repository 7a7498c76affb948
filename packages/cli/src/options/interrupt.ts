import type { CliContext } from '../context';

/**
 * One interrupt policy for every long command: SIGINT (Ctrl-C) and SIGTERM alike ask the command to stop at its
 * next safe point (the returned signal aborts); it then writes what it computed, marked incomplete, says where, and
 * exits 130 (`ctx.exitCode`). A second signal exits at once (130).
 *
 * When to use: wrap the loop of a command that can run for more than a few seconds.
 *
 * @example
 * const stop = interruptible(c, 'noether');
 * try { for (...) { if (stop.signal.aborted) break; ... } } finally { stop.release(); }
 * if (stop.interrupted) c.exitCode = 130;
 */
export interface Interruptible {
  readonly signal: AbortSignal;
  /** True once a SIGINT or SIGTERM arrived. */
  readonly interrupted: boolean;
  /** Remove the handlers (call in `finally`). */
  release(): void;
}

/** Install the SIGINT/SIGTERM handlers of {@link Interruptible} for command `label`. */
export function interruptible(c: CliContext, label: string, message = 'stopping at the next safe point and writing what was computed'): Interruptible {
  const ac = new AbortController();
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interrupted) {
      process.exit(130);
    }
    interrupted = true;
    c.info(`\n${label}: interrupted (${sig}); ${message} (Ctrl-C again to abort at once)`);
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    get interrupted() {
      return interrupted;
    },
    release() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

/**
 * After a run stopped by SIGINT/SIGTERM has written its partial result: say what it kept and where (the `--out`
 * file, or stdout), and set exit code 130.
 *
 * @example if (stop.interrupted) reportInterrupted(c, 'noether', o.out, '120 of 1000 steps');
 */
export function reportInterrupted(c: CliContext, label: string, out: string | undefined, kept?: string): void {
  c.info(`${label}: interrupted${kept ? ` after ${kept}` : ''}; the partial result (marked incomplete) ${out ? `is in ${out}` : 'was printed'}`);
  c.exitCode = 130;
}

import { main, type MainIO } from '../src/main';

/** One in-process CLI run: exit code, stdout, stderr, wall time. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Run `nnsym ...args` in this process (the same entry as bin/nnsym.js, without a node start-up per case).
 * `-q` is not added: tests see every stderr line.
 */
export async function nnsym(args: string[], opts: { cwd?: string; during?: () => void; duringAfterMs?: number } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: MainIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, cwd: opts.cwd ?? process.cwd() };
  const t0 = Date.now();
  const timer = opts.during ? setTimeout(opts.during, opts.duringAfterMs ?? 200) : undefined;
  try {
    const code = await main(['node', 'nnsym', ...args], io);
    return { code, stdout, stderr, ms: Date.now() - t0 };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The error lines of a run, without the informational `nnsym: backend ...` line. */
export function errorLines(r: CliRun): string[] {
  return r.stderr.split('\n').filter((l) => l.trim() !== '' && !/^nnsym: backend /.test(l));
}

/** Does stderr hold a JS or native stack trace (or an internal error)? */
export function hasStackTrace(r: CliRun): boolean {
  return /\n\s+at \S|internal error|Native stack trace|V8_Fatal/.test('\n' + r.stderr);
}

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
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

/** The outcome of {@link interruptChild}: exit code/signal, whether the signal was sent, stdout and stderr. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  sent: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Run bin/nnsym.js in a child process on the TypeScript sources (no build needed): a require hook transpiles .ts
 * with `typescript`, maps `@nnsym/<pkg>` to packages/<pkg>/src and the bin's `../dist/main.js` to src/main.ts.
 */
export function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  const packagesDir = resolve(__dirname, '..', '..');
  const cliDir = resolve(packagesDir, 'cli');
  const hook = `
    const Module = require('node:module'); const path = require('node:path'); const fs = require('node:fs');
    const ts = require(require.resolve('typescript', { paths: [${JSON.stringify(cliDir)}] }));
    const pk = ${JSON.stringify(packagesDir)};
    const bin = path.join(pk, 'cli', 'bin', 'nnsym.js');
    const orig = Module._resolveFilename;
    Module._resolveFilename = function (req, parent, ...rest) {
      const m = /^@nnsym\\/([a-z-]+)(\\/testing)?$/.exec(req);
      if (m) req = path.join(pk, m[1], 'src', m[2] ? 'testing.ts' : 'index.ts');
      else if (req === '../dist/main.js' && parent && parent.filename === bin) req = path.join(pk, 'cli', 'src', 'main.ts');
      return orig.call(this, req, parent, ...rest);
    };
    require.extensions['.ts'] = (module, filename) => {
      const src = fs.readFileSync(filename, 'utf8');
      const js = ts.transpileModule(src, { fileName: filename, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      module._compile(js, filename);
    };
    process.argv = [process.argv[0], bin, ...JSON.parse(process.env.NNSYM_TEST_ARGS)];
    require(bin);
  `;
  return spawn(process.execPath, ['-e', hook], { env: { ...process.env, NNSYM_TEST_ARGS: JSON.stringify(args) }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Run `nnsym ...args` in a child process and send it a real `signal` (default SIGINT) once its stderr matches
 * `when` (e.g. its first `--progress` line, so the command is mid-computation with its handlers installed).
 */
export function interruptChild(args: string[], when: RegExp, signal: NodeJS.Signals = 'SIGINT'): Promise<ChildRun> {
  const child = spawnCli(args);
  let stdout = '';
  let stderr = '';
  let sent = false;
  let guard: ReturnType<typeof setTimeout>;
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    if (!sent && when.test(stderr)) {
      sent = true;
      child.kill(signal);
      // After the signal the command has 90 s to write its partial result and exit (a loaded machine is slow).
      clearTimeout(guard);
      guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    }
  });
  // Never leave a child behind: kill it outright after 240 s without the signal (the test then fails on its exit status).
  guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((r) =>
    child.on('exit', (code, sig) => {
      clearTimeout(guard);
      r({ code, signal: sig, sent, stdout, stderr });
    }),
  );
}

/** Run `nnsym ...args` to its end in a child process (for what an in-process run cannot see: console output of tfjs). */
export function runChild(args: string[]): Promise<ChildRun> {
  return interruptChild(args, /(?!)/);
}

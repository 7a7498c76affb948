import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors';
import type { ShardSpec } from './types';

/**
 * Shard of thread `t` of `threads` inside shard `shard` (default the whole run): shard i of n takes chunks
 * c ≡ i (mod n); splitting it over T threads gives thread t the chunks c ≡ i + n t (mod n T), i.e. shard
 * (i + n t) / (n T). The T threads' chunk sets are disjoint and their union is exactly shard i/n.
 *
 * @example
 * threadShard(undefined, 1, 2) // { index: 1, count: 2 }: chunks 1, 3, 5, ...
 * threadShard({ index: 1, count: 4 }, 1, 2) // { index: 5, count: 8 }
 */
export function threadShard(shard: ShardSpec | undefined, t: number, threads: number): ShardSpec {
  const i = shard?.index ?? 0;
  const n = shard?.count ?? 1;
  return { index: i + n * t, count: n * threads };
}

/** What a shard function receives in its worker. */
export interface ShardWorkerContext {
  /** This worker's shard of the ensemble (see {@link threadShard}). */
  shard: ShardSpec;
  /** Thread index t in 0..T-1. */
  thread: number;
  /** Send a message (structured-cloneable) to the host's `onMessage`. */
  post(message: unknown): void;
  /** Aborted when the host's signal aborts (finish the current chunk and return what you have). */
  signal: AbortSignal;
}

/** Options of {@link runShardWorkers}. */
export interface ShardWorkerTask<A> {
  /** Absolute path of a CommonJS module (built `.js`; a `.ts` source works in development, see below). */
  module: string;
  /** Name of its exported `async (args, ctx: ShardWorkerContext) => result` function. */
  fn: string;
  /** Arguments (structured-cloneable: no functions, no tensors). */
  args: A;
  /** Worker threads T >= 1. */
  threads: number;
  /** Split this shard of the run (default: the whole run). */
  shard?: ShardSpec;
  /** Messages the workers `post`, with their thread index. */
  onMessage?(thread: number, message: unknown): void;
  /** Abort: forwarded to every worker's `ctx.signal`. */
  signal?: AbortSignal;
}

// Worker bootstrap. For a `.ts` module (jest, or the CLI run on its sources) a require hook transpiles TypeScript
// with `typescript` and maps `@nnsym/<pkg>` to packages/<pkg>/src (a development convenience; published builds
// load `.js`).
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
const { module: file, fn, args, shard, thread } = workerData;
if (file.endsWith('.ts')) {
  const Module = require('node:module'); const path = require('node:path'); const fs = require('node:fs');
  const ts = require(require.resolve('typescript', { paths: [path.dirname(file)] }));
  const pk = file.slice(0, file.lastIndexOf('/packages/') + '/packages/'.length);
  const orig = Module._resolveFilename;
  Module._resolveFilename = function (req, parent, ...rest) {
    const m = /^@nnsym\\/([a-z-]+)(\\/testing)?$/.exec(req);
    if (m) req = path.join(pk, m[1], 'src', m[2] ? 'testing.ts' : 'index.ts');
    return orig.call(this, req, parent, ...rest);
  };
  require.extensions['.ts'] = (mod, filename) => {
    const js = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    mod._compile(js, filename);
  };
}
const ac = new AbortController();
parentPort.on('message', (m) => { if (m && m.type === 'abort') ac.abort(); });
Promise.resolve()
  .then(() => require(file)[fn](args, { shard, thread, signal: ac.signal, post: (message) => parentPort.postMessage({ type: 'message', message }) }))
  .then((value) => parentPort.postMessage({ type: 'result', value }))
  .catch((e) => parentPort.postMessage({ type: 'error', message: String((e && e.message) || e), flag: e && e.field, usage: !!(e && e.name === 'UsageError') }))
  .finally(() => parentPort.close());
`;

/**
 * Run one function in T `worker_threads`, worker t on shard {@link threadShard}(shard, t, T) of the same run, and
 * resolve with the T results in thread order (merge them with the run's mergeable accumulator: Chan merges of
 * correlator partials, `OutputMoments.merge`). Each worker loads its own copy of the modules, hence its own tfjs
 * engine and backend (initialise it in `fn`). Rejects on the first worker error (the others are terminated).
 *
 * When to use: multi-core Monte Carlo in one process. tfjs-backend-wasm keeps its own threads off under Node, so
 * this is how nnsym uses both cores of a 2-core machine (T = 2). Each worker costs its start-up (loading tfjs and
 * compiling wasm, ~0.3-1 s), so it pays for runs of a few seconds or more.
 *
 * @example
 * const parts = await runShardWorkers({ module: __filename, fn: 'myShard', args: { spec }, threads: 2 });
 */
export async function runShardWorkers<A, R>(task: ShardWorkerTask<A>): Promise<R[]> {
  const T = task.threads;
  if (!Number.isInteger(T) || T < 1) throw new UsageError(`--threads must be a positive integer, got ${T}`, '--threads');
  const workers: Worker[] = [];
  const onAbort = (): void => workers.forEach((w) => w.postMessage({ type: 'abort' }));
  task.signal?.addEventListener('abort', onAbort);
  try {
    return await Promise.all(
      Array.from({ length: T }, (_, t) => {
        const shard = threadShard(task.shard, t, T);
        const w = new Worker(BOOT, { eval: true, workerData: { module: task.module, fn: task.fn, args: task.args, shard, thread: t } });
        workers.push(w);
        if (task.signal?.aborted) w.postMessage({ type: 'abort' });
        return new Promise<R>((resolve, reject) => {
          let settled = false;
          w.on('message', (m: { type: string; value?: R; message?: unknown; flag?: string; usage?: boolean }) => {
            if (m.type === 'message') task.onMessage?.(t, m.message);
            else if (m.type === 'result') {
              settled = true;
              resolve(m.value as R);
            } else if (m.type === 'error') {
              settled = true;
              reject(m.usage ? new UsageError(String(m.message), m.flag ?? '--threads') : new Error(`worker ${t}/${T}: ${m.message}`));
            }
          });
          w.on('error', (e) => {
            settled = true;
            reject(e);
          });
          w.on('exit', (code) => {
            if (!settled) reject(new Error(`worker ${t}/${T} exited with code ${code} before returning a result`));
          });
        });
      }),
    );
  } finally {
    task.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors';
import { blasWorkerEnv, blasWorkerScope } from '../backend/blas/blas';
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

// Worker bootstrap: a persistent worker that runs tasks { id, module, fn, args, shard, thread } one at a time. For a
// `.ts` module (jest, or the CLI run on its sources) a require hook transpiles TypeScript with `typescript` and maps
// `@nnsym/<pkg>` to packages/<pkg>/src (a development convenience; published builds load `.js`).
const BOOT = `
const { parentPort } = require('node:worker_threads');
let hooked = false;
function hook(file) {
  if (hooked || !file.endsWith('.ts')) return;
  hooked = true;
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
const aborts = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'abort') { const ac = aborts.get(m.id); if (ac) ac.abort(); return; }
  if (m.type !== 'task') return;
  if (m.env) Object.assign(process.env, m.env);
  const ac = new AbortController();
  aborts.set(m.id, ac);
  if (m.aborted) ac.abort();
  const post = (message) => parentPort.postMessage({ type: 'message', id: m.id, message });
  Promise.resolve()
    .then(() => { hook(m.module); return require(m.module)[m.fn](m.args, { shard: m.shard, thread: m.thread, signal: ac.signal, post }); })
    .then((value) => parentPort.postMessage({ type: 'result', id: m.id, value }))
    .catch((e) => parentPort.postMessage({ type: 'error', id: m.id, message: String((e && e.message) || e), field: e && e.field, usage: !!(e && e.name === 'UsageError') }))
    .finally(() => aborts.delete(m.id));
});
`;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onMessage?(message: unknown): void;
}

/**
 * T persistent worker threads that run {@link runShardWorkers} tasks, so the start-up of each worker (loading the
 * modules: tfjs, its wasm, the task's module) is paid once per process rather than once per run. Idle workers do
 * not keep the process alive. {@link runShardWorkers} uses a process-wide pool per T by default.
 *
 * @example
 * const pool = new ShardWorkerPool(2);
 * const parts = await pool.run({ module: __filename, fn: 'myShard', args });
 * await pool.close();
 */
export class ShardWorkerPool {
  private workers: (Worker | undefined)[];
  private readonly pending = new Map<number, Pending & { thread: number }>();
  private nextId = 0;
  private busy = 0;

  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`threads must be a positive integer, got ${threads}`, 'threads');
    this.workers = new Array(threads).fill(undefined);
  }

  private worker(t: number): Worker {
    let w = this.workers[t];
    if (w) return w;
    w = new Worker(BOOT, { eval: true });
    w.unref();
    const fail = (e: Error): void => {
      if (this.workers[t] === w) this.workers[t] = undefined;
      for (const [id, p] of this.pending) {
        if (p.thread !== t) continue;
        this.pending.delete(id);
        p.reject(e);
      }
    };
    w.on('message', (m: { type: string; id: number; value?: unknown; message?: unknown; field?: string; usage?: boolean }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'message') return p.onMessage?.(m.message);
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.value);
      else p.reject(m.usage ? new UsageError(String(m.message), m.field ?? 'threads') : new Error(`worker ${t}/${this.threads}: ${m.message}`));
    });
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`worker ${t}/${this.threads} exited with code ${code} before returning a result`)));
    this.workers[t] = w;
    return w;
  }

  /** Run `task` on every worker (worker t on shard `threadShard(task.shard, t, T)`); results in thread order. */
  async run<A, R>(task: Omit<ShardWorkerTask<A>, 'threads'>): Promise<R[]> {
    const T = this.threads;
    const ids: number[] = [];
    const ws: Worker[] = [];
    const onAbort = (): void => ids.forEach((id, t) => ws[t]?.postMessage({ type: 'abort', id }));
    task.signal?.addEventListener('abort', onAbort);
    // BLAS threads x workers never exceed the cores (floor(budget / T) each), and the host's BLAS switch holds in
    // the workers: both travel with every task (the pool outlives one run).
    const restoreBlas = blasWorkerScope(T);
    const env = blasWorkerEnv(T);
    if (this.busy++ === 0) this.workers.forEach((w) => w?.ref());
    try {
      return await Promise.all(
        Array.from({ length: T }, (_, t) => {
          const w = this.worker(t);
          w.ref();
          ws.push(w);
          const id = this.nextId++;
          ids.push(id);
          return new Promise<R>((resolve, reject) => {
            this.pending.set(id, { thread: t, resolve: resolve as (v: unknown) => void, reject, onMessage: task.onMessage ? (m) => task.onMessage?.(t, m) : undefined });
            w.postMessage({ type: 'task', id, env, module: task.module, fn: task.fn, args: task.args, shard: threadShard(task.shard, t, T), thread: t, aborted: task.signal?.aborted === true });
          });
        }),
      );
    } catch (e) {
      onAbort(); // stop the other threads' parts of this run
      throw e;
    } finally {
      task.signal?.removeEventListener('abort', onAbort);
      restoreBlas();
      if (--this.busy === 0) this.workers.forEach((w) => w?.unref());
    }
  }

  /** Terminate the workers (a later `run` starts new ones). */
  async close(): Promise<void> {
    const ws = this.workers.filter((w): w is Worker => w !== undefined);
    this.workers = new Array(this.threads).fill(undefined);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

const POOLS = new Map<number, ShardWorkerPool>();

/**
 * Run one function in T `worker_threads`, worker t on shard {@link threadShard}(shard, t, T) of the same run, and
 * resolve with the T results in thread order (merge them with the run's mergeable accumulator: Chan merges of
 * correlator partials, `OutputMoments.merge`). Each worker loads its own copy of the modules, hence its own tfjs
 * engine and backend (initialise it in `fn`). Rejects on the first worker error. The workers are a process-wide
 * {@link ShardWorkerPool} per T (kept idle between runs, not keeping the process alive; {@link closeShardWorkers}).
 *
 * When to use: multi-core Monte Carlo in one process. tfjs-backend-wasm keeps its own threads off under Node, so
 * this is how nnsym uses both cores of a 2-core machine (T = 2). The first run pays each worker's start-up
 * (loading tfjs and compiling wasm, ~0.5-1 s), so it pays for runs of seconds or more, or repeated runs.
 *
 * @example
 * const parts = await runShardWorkers({ module: __filename, fn: 'myShard', args: { spec }, threads: 2 });
 */
export async function runShardWorkers<A, R>(task: ShardWorkerTask<A>): Promise<R[]> {
  let pool = POOLS.get(task.threads);
  if (!pool) POOLS.set(task.threads, (pool = new ShardWorkerPool(task.threads)));
  return pool.run<A, R>(task);
}

/** Terminate the process-wide worker pools of {@link runShardWorkers} (tests' afterAll; not needed to exit). */
export async function closeShardWorkers(): Promise<void> {
  const pools = [...POOLS.values()];
  POOLS.clear();
  await Promise.all(pools.map((p) => p.close()));
}

import { initBackend } from '../backend/backend';
import { plugins } from '../registry/kinds';
import type { EnsemblePartial } from './partial';
import { runEnsembleStatistic, type EstimatorShardArgs } from './statistic';
import type { ShardWorkerContext } from './threads';

/**
 * Load a package by name and register its plugins: every exported `register…Plugins(host)` function is called
 * with the process-wide registry (each is idempotent). This is how a worker thread learns an estimator it was
 * sent by id, without any worker module living in the package that started the run.
 */
export function loadPluginPackage(name: string): void {
  // A package named by an estimator plugin's meta.package, resolved from here (workspace or node_modules).
  const mod = require(name) as Record<string, unknown>;
  for (const [k, v] of Object.entries(mod)) if (/^register[A-Za-z]*Plugins$/.test(k) && typeof v === 'function') (v as (h: typeof plugins) => void)(plugins);
}

/**
 * Worker side of a threaded `ensembleStatistic$`: rebuild the run from the spec and the estimator reference alone
 * (loading the packages that register them), run shard `ctx.shard` serially and return its partial. Posts
 * `{ done }` after each chunk and `{ done, partial }` every `checkpointEvery` chunks.
 *
 * When to use: not directly; `runShardWorkers` calls it by name in each worker thread.
 */
export async function estimatorShard(args: EstimatorShardArgs, ctx: ShardWorkerContext): Promise<EnsemblePartial> {
  await initBackend(args.backend ? { backend: args.backend } : {});
  for (const p of args.packages) loadPluginPackage(p);
  const summary = await runEnsembleStatistic(
    {
      spec: args.spec,
      estimator: args.estimator,
      shard: ctx.shard,
      signal: ctx.signal,
      skip: args.skip,
      path: args.path,
      checkpoint: args.checkpointEvery ? { every: args.checkpointEvery, write: (partial) => ctx.post({ done: partial.networks, partial }) } : undefined,
    },
    (e) => {
      if (e.type === 'progress') ctx.post({ done: e.done });
    },
  );
  return summary.partial;
}

import { initBackend, type ShardWorkerContext } from '@nnsym/core';
import type { CorrelatorPartial } from './partial';
import { correlators$ } from './run';
import type { CorrelatorShardArgs } from './run-types';

/**
 * Worker side of {@link correlatorsThreaded$}: run shard `ctx.shard` of the run in this thread with
 * `correlators$` and return its partial. Progress is posted as `{ done }` (networks of this thread).
 */
export async function correlatorShard(args: CorrelatorShardArgs, ctx: ShardWorkerContext): Promise<CorrelatorPartial> {
  await initBackend(args.backend ? { backend: args.backend } : {});
  let partial: CorrelatorPartial | undefined;
  await new Promise<void>((resolve, reject) =>
    correlators$({ spec: args.spec, shard: ctx.shard, signal: ctx.signal }).subscribe({
      next: (e) => {
        if (e.type === 'progress') ctx.post({ done: e.done });
        if (e.type === 'run-end') partial = e.summary.partial as CorrelatorPartial;
      },
      error: reject,
      complete: resolve,
    }),
  );
  if (!partial) throw new Error('correlators$ ended without run-end');
  return partial;
}

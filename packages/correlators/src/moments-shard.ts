import { join } from 'node:path';
import {
  OutputMoments, createArchitecture, ensembleChunks, initBackend, runShardWorkers, type InputSet, type OutputMomentsState,
  type SeedKey, type ShardSpec, type ShardWorkerContext,
} from '@nnsym/core';
import { compileInitSpec, parseInitSpec } from '@nnsym/distributions';

/**
 * What a moments worker needs to rebuild its run (structured-cloneable: no functions, no tensors): the architecture
 * by id and config (as given to core's `createArchitecture`), the parsed inputs, the ensemble identity (size, chunk
 * size, seed) and the InitSpec text, if any.
 */
export interface SampleShardArgs {
  /** Architecture id (a built-in, or a plugin registered by importing an @nnsym/* package). */
  arch: string;
  /** Its config, exactly as the host built the architecture with it. */
  config: Record<string, unknown>;
  inputs: InputSet;
  /** Ensemble size M. */
  ensemble: number;
  /** Networks per chunk (part of the ensemble's identity with `seed`). */
  chunkSize: number;
  seed: SeedKey;
  /** InitSpec text (distributions' `parseInitSpec` syntax); default the NN-QFT Gaussian init. */
  init?: string;
  /** Backend for the worker's own tfjs engine (default: core's default order). */
  backend?: string;
}

/**
 * Worker side of {@link sampleMomentsThreaded}: rebuild the run from `args`, accumulate the output moments of shard
 * `ctx.shard` (chunks i + n t mod n T of the same seeded ensemble) and return their state for the host to merge.
 * Posts the networks done (a number) after each chunk.
 *
 * When to use: not directly; `runShardWorkers` calls it by name in each worker thread.
 */
export async function sampleMomentsShard(args: SampleShardArgs, ctx: ShardWorkerContext): Promise<OutputMomentsState> {
  await initBackend(args.backend ? { backend: args.backend } : {});
  const arch = createArchitecture(args.arch, args.config);
  const sampler = args.init !== undefined ? compileInitSpec(parseInitSpec(args.init, '--init'), arch.layout(), { flag: '--init' }) : undefined;
  const m = new OutputMoments(args.inputs.count, arch.spec.dOut);
  let done = 0;
  for (const ch of ensembleChunks({ arch, inputs: args.inputs, ensemble: args.ensemble, chunkSize: args.chunkSize, seed: args.seed, sampler, shard: ctx.shard })) {
    m.add(ch);
    done += ch.count;
    ctx.post(done);
  }
  return m.state();
}

// Module of the worker function: this file (moments-shard.js when built, moments-shard.ts under jest/ts sources).
const MOMENTS_WORKER_MODULE = join(__dirname, `moments-shard${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/**
 * Output moments (order <= 2 ensemble statistics) of shard `shard` of an ensemble over `threads` worker threads:
 * each worker rebuilds the run from `args` ({@link sampleMomentsShard}) and returns its `OutputMoments` state; merge
 * them with `OutputMoments.merge` (Chan). Same networks as one thread (chunk c always comes from
 * `Rng.derive(seed, 'ensemble', c)`), so the merged moments equal the one-thread ones to float64 rounding.
 *
 * When to use: `nnsym sample --threads T` in moments mode, or any host that wants the moments of a large ensemble on
 * several cores. `onProgress(thread, networksDone)` reports each thread's count.
 *
 * @example
 * const states = await sampleMomentsThreaded({ arch: 'relu-net', config: { width: 100, dIn: 3 }, inputs, ensemble: 1e5, chunkSize: 1000, seed: 7 }, { threads: 2 });
 * const m = new OutputMoments(inputs.count, 1); for (const s of states) m.merge(s);
 */
export function sampleMomentsThreaded(
  args: SampleShardArgs,
  opts: { threads: number; shard?: ShardSpec; onProgress?(thread: number, done: number): void },
): Promise<OutputMomentsState[]> {
  return runShardWorkers<SampleShardArgs, OutputMomentsState>({
    module: MOMENTS_WORKER_MODULE,
    fn: 'sampleMomentsShard',
    args,
    threads: opts.threads,
    shard: opts.shard,
    onMessage: (t, m) => opts.onProgress?.(t, m as number),
  });
}

import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { LIMITS, UsageError, checkMemory, checkWork } from '@nnsym/core';
import { positiveInt, shardSpec } from '../flags';

/**
 * The ensemble flag family: `--ensemble --chunk --shard --threads --checkpoint --resume --overwrite`, one spelling
 * and one validation for every Monte-Carlo command.
 */
export interface EnsembleFlags {
  ensemble?: number;
  chunk?: number;
  shard?: { index: number; count: number };
  threads?: number;
  checkpoint?: string;
  resume?: boolean;
  overwrite?: boolean;
}

type Family = 'ensemble' | 'chunk' | 'shard' | 'threads' | 'checkpoint' | 'resume' | 'overwrite';

/**
 * Add the chosen ensemble flags to `cmd`, with the house descriptions. `--ensemble` is at most 1e12
 * ({@link LIMITS}), `--threads` at most 256.
 *
 * @param o.ensemble `'required'`, a default value, or omitted (optional, no default)
 * @param o.help overrides of the descriptions, by flag family
 * @example addEnsembleOptions(cmd, ['ensemble', 'chunk', 'shard', 'threads'], { ensemble: 'required' })
 */
export function addEnsembleOptions(
  cmd: Command,
  which: readonly Family[],
  o: { ensemble?: 'required' | number; threads?: number; help?: Partial<Record<Family, string>> } = {},
): Command {
  const h = o.help ?? {};
  for (const f of which) {
    if (f === 'ensemble') {
      const desc = h.ensemble ?? 'number of networks M (max 1e12)';
      const parse = positiveInt('--ensemble', LIMITS.ensemble);
      if (o.ensemble === 'required') cmd.requiredOption('--ensemble <M>', desc, parse);
      else cmd.option('--ensemble <M>', desc, parse, o.ensemble);
    } else if (f === 'chunk') {
      cmd.option('--chunk <C>', h.chunk ?? "networks per chunk (default: from a 64 MB budget); part of the ensemble's identity with --seed", positiveInt('--chunk', 1 << 20));
    } else if (f === 'shard') {
      cmd.option('--shard <i/n>', h.shard ?? 'compute only chunks c = i, i+n, ... of the ensemble (the union of all shards is the unsharded ensemble)', shardSpec('--shard'));
    } else if (f === 'threads') {
      cmd.option('--threads <T>', h.threads ?? 'worker threads: the run is split over T worker_threads and merged exactly (same result as T = 1 to float64 rounding)', positiveInt('--threads', LIMITS.threads), o.threads ?? 1);
    } else if (f === 'checkpoint') {
      cmd.option('--checkpoint <path>', h.checkpoint ?? 'write the partial run here periodically and on Ctrl-C / SIGTERM');
    } else if (f === 'resume') {
      cmd.option('--resume', h.resume ?? 'continue from --checkpoint when it exists (same run: every spec field must match)');
    } else if (f === 'overwrite') {
      cmd.option('--overwrite', h.overwrite ?? 'replace an existing --checkpoint with a fresh run (without it, an existing checkpoint is refused)');
    }
  }
  return cmd;
}

/**
 * Check the ensemble size of a Monte-Carlo estimate with error bars: at least 2 networks (and 2 per shard).
 *
 * @example checkEnsembleForErrors(1) // UsageError: --ensemble 1 is too small for an error bar ...
 */
/**
 * A note when `--threads` exceeds the machine's cores (the run is then slower, not faster).
 *
 * @example noteThreads(c.info, 64)
 */
export function noteThreads(info: (line: string) => void, threads: number | undefined): void {
  const cores = availableParallelism();
  if (threads !== undefined && threads > cores) info(`note: --threads ${threads} is more than the ${cores} cores here; the workers will share them`);
}

export function checkEnsembleForErrors(ensemble: number, shards = 1, flag = '--ensemble'): void {
  if (ensemble < 2) throw new UsageError(`${flag} ${ensemble} is too small for an error bar: need at least 2 networks`, flag);
  if (shards > 1 && ensemble < 2 * shards) throw new UsageError(`${flag} ${ensemble} is too small for ${shards} shards with an error bar each`, flag);
}

/** Most chunks one run may plan (the plan lists them): raise `--chunk` above this. */
export const MAX_CHUNKS = 1e8;

/** Multiply-adds above which an ensemble run asks for `--yes` (hours of compute on a laptop). */
export const ENSEMBLE_WORK_LIMIT = 1e15;

/**
 * Guards of an ensemble run, before allocating: the chunk plan is small enough, one chunk fits in memory (estimate as
 * `defaultChunkSize`'s: float32 parameters, ~3 activation buffers per hidden layer, outputs) and the total work is
 * bounded unless `--yes`.
 *
 * @param o.params parameters per network; o.width, o.depth, o.points, o.dOut as in the architecture and inputs
 * @example checkEnsembleCost({ ensemble: 1e6, chunkSize: 500, params: 301, width: 100, depth: 1, points: 8, dOut: 1 })
 */
export function checkEnsembleCost(o: { ensemble: number; chunkSize: number; params: number; width: number; depth: number; points: number; dOut: number; yes?: boolean }): void {
  const chunks = Math.ceil(o.ensemble / o.chunkSize);
  if (chunks > MAX_CHUNKS) throw new UsageError(`--ensemble ${o.ensemble} in chunks of ${o.chunkSize} is ${chunks.toExponential(1)} chunks (max ${MAX_CHUNKS.toExponential(0)}): raise --chunk or lower --ensemble`, '--ensemble');
  const perNet = 4 * (o.params + 3 * o.width * o.points * Math.max(1, o.depth) + 2 * o.points * o.dOut);
  checkMemory({ bytes: perNet * o.chunkSize, what: `one chunk of ${o.chunkSize} network(s) with ${o.params.toExponential(1)} parameters each`, flag: o.width > 1e4 ? '--width' : '--chunk', yes: o.yes });
  checkWork({ units: o.ensemble * o.params * o.points, limit: ENSEMBLE_WORK_LIMIT, unit: 'multiply-adds', what: `${o.ensemble} networks x ${o.params} parameters x ${o.points} inputs`, flag: '--ensemble', yes: o.yes });
}

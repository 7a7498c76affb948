import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  LIMITS, NnsymError, UsageError, atomicWriteFile, checkMemory, checkpointAction, checkWork,
  checkEnsemblePartial, createEnsemble, mergeEnsemblePartials, partialAccumulator, plugins, resolveEstimator, ensembleStatistic$,
  type EnsemblePartial, type EnsembleRunSummary, type EnsembleSpec, type EstimatorRef, type ShardSpec,
} from '@nnsym/core';
import type { CliContext } from '../context';
import { positiveInt, shardSpec } from '../flags';
import { ProgressBar, consumeRun } from '../progress';
import { interruptible } from './interrupt';

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
 * A note when `--threads` exceeds the machine's cores (the run is then slower, not faster).
 *
 * @example noteThreads(c.info, 64)
 */
export function noteThreads(info: (line: string) => void, threads: number | undefined): void {
  const cores = availableParallelism();
  if (threads !== undefined && threads > cores) info(`note: --threads ${threads} is more than the ${cores} cores here; the workers will share them`);
}

/**
 * Check the ensemble size of a Monte-Carlo estimate with error bars: at least 2 networks (and 2 per shard).
 *
 * @example checkEnsembleForErrors(1) // UsageError: --ensemble 1 is too small for an error bar ...
 */
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

// The ensemble flags of every Monte-Carlo command, in one place (the runner half of this family): --threads,
// --shard i/n, --checkpoint FILE [--checkpoint-every K] [--resume], --out FILE for partial results, and the
// generic partial reader that `nnsym merge` uses. The run itself is core's `ensembleStatistic$`.

/** The parsed ensemble flags. */
export interface EnsembleRunFlags {
  threads: number;
  shard?: ShardSpec;
  checkpoint?: string;
  checkpointEvery: number;
  resume?: boolean;
  overwrite?: boolean;
  out?: string;
  progress?: boolean;
  /** Networks per chunk (part of the ensemble's identity: another chunk size draws other networks). */
  chunk?: number;
}

/** Add --threads, --shard, --checkpoint, --checkpoint-every, --resume, --overwrite, --chunk and --out (those the command lacks). */
export function addEnsembleFlags(cmd: Command): Command {
  const has = (long: string) => cmd.options.some((op) => op.long === long);
  if (!has('--threads')) cmd.option('--threads <T>', 'worker threads: the run (or --shard) is split over T worker_threads and merged exactly (equal to --threads 1 to float64 rounding)', positiveInt('--threads'), 1);
  if (!has('--shard')) cmd.option('--shard <i/n>', 'compute only chunks c = i, i+n, ... of the ensemble and write the partial result to --out; combine with `nnsym merge`', shardSpec('--shard'));
  cmd
    .option('--checkpoint <file>', 'write the partial result to this file every --checkpoint-every chunks and on Ctrl-C')
    .option('--checkpoint-every <K>', 'chunks between checkpoints', positiveInt('--checkpoint-every'), 10);
  if (!cmd.options.some((op) => op.long === '--chunk')) cmd.option('--chunk <n>', 'networks per chunk (default: a 64 MB memory budget, at most --ensemble); shards and threads split whole chunks; another chunk size draws other networks', positiveInt('--chunk'));
  cmd.option('--resume', 'continue from --checkpoint FILE when it exists (same run: every spec field must match)');
  if (!has('--overwrite')) cmd.option('--overwrite', 'replace an existing --checkpoint with a fresh run (without it, an existing checkpoint is refused)');
  if (!cmd.options.some((op) => op.long === '--out')) cmd.option('--out <file>', 'write the partial result (a shard, or an interrupted run) to this file');
  return cmd;
}

/** Whether the flags ask for anything beyond one in-process run (then the command goes through {@link runEnsembleFlags}). */
export function wantsEnsembleRun(o: EnsembleRunFlags): boolean {
  return o.shard !== undefined || o.checkpoint !== undefined || o.resume === true || o.chunk !== undefined || o.threads > 1;
}

/** Read an ensemble partial (raw, or inside a result envelope's `partial`); one-line UsageError naming `flag`. */
export function readEnsemblePartial(path: string, flag: string): EnsemblePartial {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]}`, flag);
  }
  const p = (raw as { partial?: unknown })?.partial ?? raw;
  checkEnsemblePartial(p, `${flag} ${path}`);
  return p;
}

/** Whether a file holds an ensemble partial (for `nnsym merge`, which also reads correlator partials). */
export function isEnsemblePartialFile(path: string): boolean {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8'));
    return ((raw?.partial ?? raw) as { format?: string })?.format === 'nnsym-ensemble-partial';
  } catch {
    return false;
  }
}

/** The estimator's result of a complete partial (its `finalize`), e.g. the symmetry study result. */
export function finalizeEnsemblePartial(p: EnsemblePartial): { result: unknown; precision: string } {
  const arch = createEnsemble(p.spec).arch;
  const { estimator } = resolveEstimator(p.estimator, { spec: p.spec, arch });
  if (!estimator.finalize) throw new UsageError(`merge: estimator "${p.estimator.id}" has no result to print; use --out`, 'merge');
  return estimator.finalize(partialAccumulator(p));
}

/** Merge ensemble partial files (`nnsym merge`). */
export function mergeEnsembleFiles(files: readonly string[]): EnsemblePartial {
  return mergeEnsemblePartials(files.map((f) => readEnsemblePartial(f, 'merge')));
}

/**
 * Run `{ spec, estimator }` under the ensemble flags: threads, shard, checkpoint file (atomic writes) and resume
 * from it (an existing checkpoint needs --resume or --overwrite), SIGINT/SIGTERM stop between chunks and write what
 * was computed. An incomplete result (a shard, an
 * interrupted run) is written to --out (or stays in the checkpoint) and `complete` is false; the command then
 * prints a line instead of a result. Exit code 130 after Ctrl-C.
 */
export async function runEnsembleFlags(c: CliContext, o: EnsembleRunFlags, given: { spec: EnsembleSpec; estimator: EstimatorRef; command: string }): Promise<{ partial: EnsemblePartial; complete: boolean; interrupted: boolean; networks: number; elapsed: number; networksPerSecond: number | null }> {
  const run = o.chunk !== undefined ? { ...given, spec: { ...given.spec, chunkSize: Math.min(o.chunk, given.spec.ensemble) } } : given;
  const chunks = Math.ceil(run.spec.ensemble / run.spec.chunkSize);
  if (chunks < o.threads * (o.shard?.count ?? 1)) c.info(`${run.command}: ${chunks} chunk(s) of ${run.spec.chunkSize} networks for ${o.threads * (o.shard?.count ?? 1)} threads/shards; some get none (use --chunk)`);
  if (o.resume && !o.checkpoint) throw new UsageError('--resume needs --checkpoint FILE (the file to resume from)', '--resume');
  if (o.shard && !o.out) throw new UsageError('--shard writes a partial result: add --out FILE (then `nnsym merge` the shards)', '--out');
  if (o.shard && run.spec.ensemble < 2 * o.shard.count) throw new UsageError(`--ensemble ${run.spec.ensemble} is too small for ${o.shard.count} shards`, '--ensemble');
  let resume: EnsemblePartial | undefined;
  // Never overwrite a checkpoint silently: an existing one is resumed (--resume) or replaced (--overwrite).
  if (o.checkpoint && checkpointAction({ path: o.checkpoint, flag: '--checkpoint', exists: existsSync(o.checkpoint), resume: o.resume, overwrite: o.overwrite }) === 'resume') {
    resume = readEnsemblePartial(o.checkpoint, '--resume');
    c.info(`${run.command}: resuming ${o.checkpoint} (${resume.networks} networks done)`);
  }
  await c.backend();
  // SIGINT and SIGTERM (a cluster's scancel or time limit) stop between chunks; what was computed is written.
  const stop = interruptible(c, run.command, 'finishing the current chunk and writing what was computed');
  const ac = { signal: stop.signal };
  const bar = c.interactive || o.progress ? new ProgressBar((s) => process.stderr.write(s), run.command) : undefined;
  const ckpt = o.checkpoint;
  try {
    const end = await consumeRun<EnsembleRunSummary<unknown>>(
      ensembleStatistic$({ ...run, host: plugins, threads: o.threads, shard: o.shard, resume, signal: ac.signal, checkpoint: ckpt ? { every: o.checkpointEvery, write: (p) => (atomicWriteFile(ckpt, JSON.stringify(p), '--checkpoint'), ckpt) } : undefined }),
      { bar },
    );
    if (!end) throw new NnsymError(`${run.command}: the run ended without a result`);
    const r = { ...end.summary, interrupted: end.interrupted === true };
    const p = r.partial;
    if (o.out && !p.complete) atomicWriteFile(o.out, JSON.stringify(p), '--out');
    if (r.interrupted) {
      c.exitCode = 130;
      c.info(`${run.command}: interrupted after ${p.networks} networks; the partial result is in ${ckpt ?? o.out ?? '(nowhere: add --checkpoint FILE)'}; continue with --checkpoint FILE --resume`);
    } else if (!p.complete) c.info(`${run.command}: shard ${o.shard?.index}/${o.shard?.count}: ${p.done.length} of ${p.chunks} chunks (${p.networks} networks) written to ${o.out}; combine the shards with \`nnsym merge\``);
    return { partial: p, complete: p.complete, interrupted: r.interrupted, networks: r.networks, elapsed: r.elapsed, networksPerSecond: r.networksPerSecond };
  } finally {
    stop.release();
  }
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError, mergeRunPieces, resumeRuns, setupDifference, shardIndices, type RunGridPiece, type SeedKey, type ShardSpec, nextMacrotask } from '@nnsym/core';
import type { CliContext } from '../context';
import { shardSpec } from '../flags';
import { interruptible } from './interrupt';
import { emitResult, progressBar, writeResultFile } from './output';
import { resultEnvelope } from '../result';

// The run-grid flag family: `--shard i/n` over a sweep's runs, `--out` (the result is a mergeable piece),
// `--resume-from PIECE`. A sweep (widths, repeats, groups) is a list of independent runs in a fixed order; its
// result file holds the runs and the setup, so `nnsym merge` joins pieces into exactly the one-run result (the
// summary recomputed by the sweep's kind) and an interrupted sweep resumes from its own --out file.

/** The `type` of a sweep result (and piece). */
export const RUN_GRID_TYPE = 'run-grid';

/** One run of a sweep: its index in the grid's fixed order and what it measured. */
export type GridRun<R> = R & { index: number };

/** The piece fields every sweep result carries (beside its kind's payload). */
export interface SweepPiece<R = Record<string, unknown>> extends RunGridPiece<GridRun<R>> {
  type: typeof RUN_GRID_TYPE;
  /** The sweep kind, e.g. `symmetry-widths` (see {@link registerSweepKind}). */
  grid: string;
  complete: boolean;
  /** Results every piece computes identically (e.g. the analytic reference kernel); checked equal on merge. */
  common?: Record<string, unknown>;
}

/**
 * A sweep kind: how its result is built from its runs (sorted by index; `missing` lists the indices not run), its
 * envelope command and precision, and an optional text printer. One builder serves the command and `nnsym merge`,
 * so they agree field for field.
 */
export interface SweepKind<R = Record<string, unknown>> {
  command: string;
  precision(common: Record<string, unknown> | undefined): string;
  payload(runs: readonly GridRun<R>[], setup: Record<string, unknown>, common: Record<string, unknown> | undefined, missing: readonly number[]): Record<string, unknown>;
  print?(c: CliContext, payload: Record<string, unknown>, runs: readonly GridRun<R>[]): void;
}

const kinds = new Map<string, SweepKind>();

/** Register (or replace) a sweep kind; commands register theirs when they are added to the program. */
export function registerSweepKind<R>(id: string, kind: SweepKind<R>): void {
  kinds.set(id, kind as unknown as SweepKind);
}

/** The parsed run-grid flags. */
export interface RunGridFlags {
  shard?: ShardSpec;
  out?: string;
  resumeFrom?: string;
  progress?: boolean;
}

/** Add `--resume-from` (and `--shard` when the command lacks it). */
export function addRunGridOptions(cmd: Command, o: { what?: string } = {}): Command {
  const what = o.what ?? 'runs';
  if (!cmd.options.some((op) => op.long === '--shard')) cmd.option('--shard <i/n>', `compute only ${what} j ≡ i (mod n) and write the piece to --out; \`nnsym merge\` joins the pieces`, shardSpec('--shard'));
  cmd.option('--resume-from <file>', `reuse the finished ${what} of an earlier --out result (a piece, or an interrupted sweep) with the same setup; run only the rest`);
  return cmd;
}

/** Whether a parsed JSON value is a sweep result or piece. */
export function isSweepPiece(v: unknown): v is SweepPiece {
  return !!v && typeof v === 'object' && (v as { type?: unknown }).type === RUN_GRID_TYPE;
}

function readPiece(file: string, flag: string): SweepPiece {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]})`, flag);
  }
  if (!isSweepPiece(v) || !Array.isArray(v.runs) || typeof v.setup !== 'object') throw new UsageError(`${flag}: ${file} is not a sweep result (no "type": "${RUN_GRID_TYPE}" with setup and runs)`, flag);
  return v;
}

/**
 * Run a sweep of `n` independent runs under the run-grid flags: only this shard's runs (`--shard i/n`, which needs
 * `--out`), reusing those of `--resume-from` (same grid and setup, else one line naming the field), stopping
 * between runs on SIGINT/SIGTERM (exit 130, the runs done are written and marked incomplete), and rewriting --out
 * atomically after each run. Emits the result, which is also the mergeable piece: the kind's payload plus the runs
 * and setup.
 *
 * @example await runSweep(c, flags, { grid: 'ntk-widths', setup, n: widths.length, run: (j) => measure(widths[j]), unit: 'widths' });
 */
export async function runSweep<R>(
  c: CliContext,
  o: RunGridFlags,
  s: { grid: string; setup: Record<string, unknown>; common?: Record<string, unknown>; n: number; run: (index: number) => Promise<R> | R; unit: string; label: string; bar?: boolean },
): Promise<void> {
  const kind = kinds.get(s.grid);
  if (!kind) throw new Error(`sweep kind "${s.grid}" is not registered`);
  if (o.shard && !o.out) throw new UsageError('--shard writes a piece of the sweep: add --out FILE (then `nnsym merge` the pieces)', '--out');
  if (o.shard && o.shard.count > s.n) c.info(`${s.label}: ${s.n} run(s) for ${o.shard.count} shards; some shards get none`);
  const mine = shardIndices(s.n, o.shard);
  const done = new Map<number, GridRun<R>>();
  const seed = s.setup['seed'] as SeedKey | undefined;
  // The result (also the piece) of the runs done so far; `missing` lists this shard's (or the grid's) runs not done.
  const result = (): { payload: Record<string, unknown>; runs: GridRun<R>[]; complete: boolean } => {
    const runs = [...done.values()].sort((x, y) => x.index - y.index);
    const complete = runs.length === s.n;
    const missing = (o.shard ? mine : shardIndices(s.n)).filter((j) => !done.has(j));
    const piece: SweepPiece<R> = { type: RUN_GRID_TYPE, grid: s.grid, setup: s.setup, shard: o.shard ?? null, gridRuns: s.n, complete, ...(s.common ? { common: s.common } : {}), runs };
    return { payload: { ...kind.payload(runs, s.setup, s.common, missing), ...piece }, runs, complete };
  };
  // After each run the --out file holds every run done (a killed task loses at most the run in progress).
  const save = async (): Promise<void> => {
    if (!o.out) return;
    const r = result();
    writeResultFile(o.out, await resultEnvelope(c, kind.command, kind.precision(s.common), r.payload, { complete: r.complete, seed }));
  };
  const bar = s.bar === false ? undefined : progressBar(c, o, s.label);
  const stop = interruptible(c, s.label, 'finishing the current run and writing the runs done');
  try {
    if (o.resumeFrom) {
      const prev = readPiece(o.resumeFrom, '--resume-from') as SweepPiece<R>;
      if (prev.grid !== s.grid) throw new UsageError(`--resume-from: ${o.resumeFrom} is sweep "${prev.grid}", this run "${s.grid}"`, '--resume-from');
      // Writing this shard's runs over the file it resumes from would drop the file's other runs: refuse before any work.
      if (o.out && resolve(o.out) === resolve(o.resumeFrom)) {
        const mineSet = new Set(mine);
        const outside = prev.runs.filter((r) => !mineSet.has(r.index));
        if (outside.length > 0) throw new UsageError(`--out: ${o.out} holds ${outside.length} finished run(s) outside this ${o.shard ? 'shard' : 'sweep'} (e.g. run index ${outside[0].index}); writing there would drop them: resume with the same --shard and grid, or write to another --out`, '--out');
      }
      const reuse = resumeRuns(prev, s.setup, new Set(mine.map(String)), (r) => String(r.index), '--resume-from', o.resumeFrom);
      for (const r of reuse.values()) done.set(r.index, r);
      c.info(`${s.label}: --resume-from ${o.resumeFrom}: reusing ${done.size} finished run(s), ${mine.length - done.size} to run`);
    }
    for (const j of mine) {
      if (done.has(j)) continue;
      if (stop.interrupted) break;
      done.set(j, { ...(await s.run(j)), index: j });
      bar?.update(mine.filter((k) => done.has(k)).length, mine.length, s.unit);
      if (mine.some((k) => !done.has(k))) await save();
      // A safe point: a run that computes synchronously (ntk --widths) leaves no turn of the event loop in which a
      // SIGINT/SIGTERM handler could run; this one lets it stop the sweep before the next run.
      await nextMacrotask();
    }
  } finally {
    stop.release();
    bar?.done();
  }
  const mineDone = mine.every((j) => done.has(j));
  const { payload, runs, complete } = result();
  if (o.shard) {
    // A shard prints no result (its summary would cover only its runs): the piece goes to --out.
    await save();
    if (mineDone) c.info(`${s.label}: shard ${o.shard.index}/${o.shard.count}: ${mine.length} of the ${s.n} runs written to ${o.out}; combine the shards with \`nnsym merge\``);
  } else if (!(await emitResult(c, o, kind.command, kind.precision(s.common), payload, { complete, seed }))) kind.print?.(c, payload, runs);
  if (!mineDone) {
    c.info(`${s.label}: interrupted: ${runs.length} of ${s.n} runs done; the partial result (marked incomplete) ${o.out ? `is in ${o.out}; continue with --resume-from ${o.out}` : 'was printed'}`);
    c.exitCode = 130;
  }
}

/**
 * Merge sweep results (`nnsym merge`): same grid, setup and common results (else one line naming the field), no
 * run twice; the kind rebuilds the result from the union of the runs, so the complete merge is the one-run result.
 */
export async function mergeSweepFiles(c: CliContext, files: readonly string[], o: { out?: string }): Promise<void> {
  const pieces = files.map((f) => readPiece(f, 'merge'));
  const m = mergeRunPieces<GridRun<Record<string, unknown>>, SweepPiece>(pieces, { kind: (p) => p.grid, key: (r) => `index ${r.index}`, label: 'sweep' });
  pieces.forEach((p, i) => {
    const d = setupDifference(pieces[0].common ?? {}, p.common ?? {});
    if (d) throw new UsageError(`merge: file ${i + 1} is from a different sweep: "common.${d.field}" differs`, 'files');
  });
  const kind = kinds.get(m.kind);
  if (!kind) throw new UsageError(`merge: unknown sweep kind "${m.kind}"`, 'files');
  const runs = m.runs.sort((a, b) => a.index - b.index);
  const n = m.gridRuns ?? runs.length;
  const have = new Set(runs.map((r) => r.index));
  const missing = shardIndices(n).filter((j) => !have.has(j));
  const common = pieces[0].common;
  const piece: SweepPiece = { type: RUN_GRID_TYPE, grid: m.kind, setup: m.setup, shard: null, gridRuns: n, complete: missing.length === 0, ...(common ? { common } : {}), runs };
  const payload = { ...kind.payload(runs, m.setup, common, missing), ...piece };
  if (!(await emitResult(c, o, kind.command, kind.precision(common), payload, { complete: piece.complete, seed: m.setup['seed'] as SeedKey | undefined }))) kind.print?.(c, payload, runs);
  c.info(`merged ${files.length} files: ${runs.length} of ${n} runs of ${m.kind}${piece.complete ? ' (complete)' : ' (INCOMPLETE: more shards to merge)'}`);
}

import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError, initSymmetryCells, mergeGridPieces, type GridPiece } from '@nnsym/core';
import { finalizeCorrelators, mergePartials } from '@nnsym/correlators';
import type { CliContext } from '../context';
import { nonNegativeInt } from '../flags';
import { addOutputOptions, emitResult, finalizeEnsemblePartial, isEnsemblePartialFile, isSweepPiece, mergeEnsembleFiles, mergeSweepFiles, printCorrelatorResult, readPartial, writeResultFile } from '../options';
import { resultEnvelope } from '../result';
import { printSample, sampleResultFromPartial, SAMPLE_PRECISION } from '../sample-result';

/** `nnsym merge`: combine the shards (or pieces) of one Monte-Carlo correlator run exactly. */
export function registerMerge(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('merge')
    .description('merge partial results of one run exactly: ensemble shards and checkpoints (correlators, sample, symmetry, ntk --mode empirical; Chan et al.\'s parallel formulas) and run grids (experiment, symmetry --widths/--repeats/--group auto, ntk --widths)')
    .argument('<files...>', 'result files written with --shard i/n --out, --out or --checkpoint')
    .option('--show <k>', 'tuples printed per order in the text output', nonNegativeInt('--show'), 6);
  addOutputOptions(cmd, { out: 'write the merged JSON result (mergeable again) to this file', progress: false });
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  for i in 0 1 2 3; do nnsym correlators --arch erf-net --width 10 --ensemble 1000000 --inputs '[-1,0,1]' --orders 2,4 --shard $i/4 --out s$i.json & done; wait\n" +
        '  nnsym merge s0.json s1.json s2.json s3.json --out all.json --json\n' +
        'Refused: pieces of different runs (the message names the differing field, e.g. "seed" or "width") and pieces that\n' +
        'share a chunk. The result says whether the merged ensemble is complete.\n',
    )
    .action(async (files: string[], o: { out?: string; show: number }) => {
      const c = ctx();
      if (files.length === 0) throw new UsageError('merge: give at least one result file', 'files');
      if (isSweepFile(files[0])) return mergeSweepFiles(c, files, o); // sweeps: symmetry --widths/--repeats/--group auto, ntk --widths
      const grid = readGridPieces(files);
      if (grid) {
        // Experiment grids (nnsym experiment ... --shard i/n): the union of the pieces' runs, summary recomputed.
        const m = mergeGridPieces(grid);
        const setup = m.setup as { losses: string[]; k: number[]; mu: number[] };
        const cells = initSymmetryCells(setup, m.runs);
        const ok = m.runs.filter((r) => !r.error).length;
        const payload = { type: 'experiment', experiment: m.experiment, setup: m.setup, shard: null, gridRuns: m.gridRuns ?? null, complete: m.gridRuns === undefined || ok === m.gridRuns, runsDone: ok, failures: m.runs.filter((r) => r.error).map((r) => ({ loss: r.loss, k: r.k, mu: r.mu, seed: r.seed, error: r.error })), cells, runs: m.runs, mergedFrom: files };
        if (!(await emitResult(c, o, 'merge', 'float32 training (tfjs), float64 statistics', payload))) c.out(`merged ${files.length} files: ${ok} of ${m.gridRuns ?? '?'} runs of ${m.experiment}${payload.complete ? ' (complete)' : ' (INCOMPLETE: more shards to merge)'}`);
        return;
      }
      if (files.some(isEnsemblePartialFile)) {
        // Partials of core's ensemble runner (symmetry, ntk --mode empirical, ...): merged, then finalised by their estimator.
        const merged = mergeEnsembleFiles(files);
        if (o.out) writeResultFile(o.out, merged, '--out');
        if (!merged.complete) return c.info(`merged ${files.length} files: ${merged.done.length} of ${merged.chunks} chunks (INCOMPLETE: more shards to merge)`);
        if (merged.estimator.id === 'moments') {
          // `nnsym sample` pieces: the same result (fields and numbers) as one unsharded `nnsym sample` run.
          const result = sampleResultFromPartial(merged);
          if (!(await emitResult(c, { ...o, out: undefined }, 'sample', SAMPLE_PRECISION, { ...result, mergedFrom: files }, { seed: merged.spec.seed }))) printSample(c, result);
          return c.info(`merged ${files.length} files: ${merged.done.length} of ${merged.chunks} chunks (complete), ${merged.networks} networks`);
        }
        const { result, precision } = finalizeEnsemblePartial(merged);
        c.out(c.json ? JSON.stringify(await resultEnvelope(c, merged.estimator.id === 'invariance' ? 'symmetry' : 'merge', precision, result as Record<string, unknown>, { seed: merged.spec.seed })) : JSON.stringify(result));
        return c.info(`merged ${files.length} files: ${merged.done.length} of ${merged.chunks} chunks (complete), ${merged.networks} networks`);
      }
      const merged = mergePartials(files.map((f) => readPartial(f, 'merge')));
      const result = finalizeCorrelators(merged);
      const payload = { ...result, partial: merged, mergedFrom: files };
      if (!(await emitResult(c, o, 'merge', result.precision, payload))) {
        printCorrelatorResult(c, result, o.show);
        c.out(`merged ${files.length} files: ${merged.done.length} of ${merged.chunks} chunks${merged.complete ? ' (complete)' : ' (INCOMPLETE: more shards to merge)'}`);
      }
    });
}

/** Whether a file holds a sweep result (a run-grid piece). */
function isSweepFile(f: string): boolean {
  try {
    return isSweepPiece(JSON.parse(readFileSync(f, 'utf8')));
  } catch {
    return false;
  }
}

/** The experiment-grid pieces among `files` (undefined when the first file is not an experiment result). */
function readGridPieces(files: string[]): GridPiece[] | undefined {
  const read = (f: string): Record<string, unknown> => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`merge: cannot read ${f} (${(e as Error).message.split('\n')[0]})`, 'files');
    }
  };
  const first = read(files[0]);
  if (first['type'] !== 'experiment') return undefined;
  return files.map((f, i) => {
    const v = i === 0 ? first : read(f);
    if (v['type'] !== 'experiment' || !Array.isArray(v['runs']) || typeof v['setup'] !== 'object') throw new UsageError(`merge: ${f} is not an experiment result (file 1 is)`, 'files');
    return v as unknown as GridPiece;
  });
}

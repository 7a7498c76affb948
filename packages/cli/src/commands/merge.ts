import type { Command } from 'commander';
import { UsageError } from '@nnsym/core';
import { finalizeCorrelators, mergePartials } from '@nnsym/correlators';
import type { CliContext } from '../context';
import { nonNegativeInt } from '../flags';
import { resultEnvelope } from '../result';
import { atomicWrite, printResult, readPartial } from './correlators';
import { finalizeEnsemblePartial, isEnsemblePartialFile, mergeEnsembleFiles } from '../ensemble-flags';

/** `nnsym merge`: combine the shards (or pieces) of one Monte-Carlo correlator run exactly. */
export function registerMerge(program: Command, ctx: () => CliContext): void {
  program
    .command('merge')
    .description('merge partial results of one run (shards from --shard i/n, checkpoints; correlators, symmetry, ntk --mode empirical) exactly, by Chan et al.\'s parallel formulas')
    .argument('<files...>', 'result files written by `nnsym correlators --out` or --checkpoint')
    .option('--out <file>', 'write the merged JSON result (mergeable again) to this file')
    .option('--show <k>', 'tuples printed per order in the text output', nonNegativeInt('--show'), 6)
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
      if (files.some(isEnsemblePartialFile)) {
        // Partials of core's ensemble runner (symmetry, ntk --mode empirical, ...): merged, then finalised by their estimator.
        const merged = mergeEnsembleFiles(files);
        if (o.out) atomicWrite(o.out, JSON.stringify(merged));
        if (!merged.complete) return c.info(`merged ${files.length} files: ${merged.done.length} of ${merged.chunks} chunks (INCOMPLETE: more shards to merge)`);
        const { result, precision } = finalizeEnsemblePartial(merged);
        c.out(c.json ? JSON.stringify(await resultEnvelope(c, merged.estimator.id === 'invariance' ? 'symmetry' : 'merge', precision, result as Record<string, unknown>)) : JSON.stringify(result));
        return c.info(`merged ${files.length} files: ${merged.done.length} of ${merged.chunks} chunks (complete), ${merged.networks} networks`);
      }
      const merged = mergePartials(files.map((f) => readPartial(f, 'merge')));
      const result = finalizeCorrelators(merged);
      const payload = { ...result, partial: merged, mergedFrom: files };
      const env = c.json || o.out ? await resultEnvelope(c, 'merge', result.precision, payload) : undefined;
      if (o.out) atomicWrite(o.out, JSON.stringify(env));
      if (c.json) c.out(JSON.stringify(env));
      else {
        printResult(c, result, o.show);
        c.out(`merged ${files.length} files: ${merged.done.length} of ${merged.chunks} chunks${merged.complete ? ' (complete)' : ' (INCOMPLETE: more shards to merge)'}`);
      }
    });
}

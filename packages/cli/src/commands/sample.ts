import type { Command } from 'commander';
import { ensemblePlan, inputRows, layoutSize, parseInputs, type EnsembleSpec, type MomentsConfig } from '@nnsym/core';
import { parseInitSpec, resolveInit } from '@nnsym/distributions';
import type { CliContext } from '../context';
import { nonNegativeInt } from '../flags';
import {
  addArchOptions, addEnsembleFlags, addEnsembleOptions, addInputsOption, addOutputOptions, archConfigFromFlags, archFromFlags, checkEnsembleCost, emitResult,
  noteThreads, runEnsembleFlags, type ArchFlags, type EnsembleRunFlags,
} from '../options';
import { printSample, sampleResultFromPartial, SAMPLE_PRECISION } from '../sample-result';

interface SampleFlags extends ArchFlags, EnsembleRunFlags {
  ensemble: number;
  inputs: string;
  init?: string;
  maxPrint: number;
}

/** `nnsym sample`: sample an ensemble of networks and print their outputs (small M) or summary moments. */
export function registerSample(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('sample')
    .description('sample M networks from an architecture and parameter distribution; print outputs (M <= --max-print) or moments');
  addArchOptions(cmd);
  addEnsembleOptions(cmd, ['ensemble'], { ensemble: 'required' });
  addInputsOption(cmd)
    .option('--init <spec>', "parameter distribution (InitSpec), e.g. 'Wout.rows[0:2].mean=0.5', 'W*=laplace;b*=point-mass', mean-rows(k=2,mu=0.5), JSON or @file.json (docs/conventions.md)")
    .option('--max-print <n>', 'print every network\'s outputs when M <= n, else moments', nonNegativeInt('--max-print'), 1000);
  addEnsembleOptions(cmd, ['chunk', 'shard', 'threads'], {
    help: {
      shard: 'compute only chunks c = i, i+n, ... of the ensemble and write the partial result to --out; `nnsym merge` of all n pieces prints the result of one run',
      threads: 'worker threads (default 1; 2 uses both cores of a 2-core machine): the run is split over T worker_threads and merged exactly (same result as T = 1 to float64 rounding)',
    },
  });
  addOutputOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym sample --arch gauss-net --width 100 --ensemble 5 --inputs '[0.1, 0.5]' --json\n" +
        '  nnsym sample --arch relu-net --d-in 3 --width 1000 --ensemble 100000 --inputs normal:8 --seed 7\n' +
        '  nnsym sample --arch tanh-net --d-in 3 --width 100 --ensemble 1000000 --inputs normal:8 --threads 2\n' +
        "  nnsym sample --arch erf-net --d-out 3 --ensemble 20000 --inputs '[[1],[2]]' --init 'Wout.rows[0:1].mean=0.5'\n" +
        '  for i in 0 1 2 3; do nnsym sample --arch relu-net --width 100 --ensemble 1000000 --inputs normal:8 --d-in 3 --shard $i/4 --out s$i.json & done; wait\n' +
        '  nnsym merge s0.json s1.json s2.json s3.json --json      # the moments of the one-run ensemble\n' +
        '  nnsym sample ... --checkpoint ck.json                      # Ctrl-C keeps the chunks done; rerun with --resume\n' +
        'Outputs are computed in float32 (tfjs); moments are accumulated in float64 with standard errors.\n' +
        'Same --seed and --chunk give identical networks; chunk c uses Rng.derive(seed, "ensemble", c, param).\n',
    )
    .action(async (flags: SampleFlags) => {
      const c = ctx();
      // Inputs first (their dimension is --d-in's default), then the architecture (which checks d_in).
      const inputs0 = parseInputs(flags.inputs, { dIn: flags.dIn, seed: c.seed });
      const arch = archFromFlags(flags, inputs0.dIn);
      const inputs = inputs0.dIn !== arch.spec.dIn ? parseInputs(flags.inputs, { dIn: arch.spec.dIn, seed: c.seed }) : inputs0;
      // Validate --init once here (one line naming the flag); the runner compiles the same text (init-sampler plugin).
      if (flags.init !== undefined) resolveInit(parseInitSpec(flags.init, '--init'), arch.layout(), { flag: '--init' });
      if (flags.bias === false && flags.sigmaB !== undefined) c.info('sample: note: --sigma-b has no effect with --no-bias');
      // The ensemble's identity (what shards, checkpoints and `nnsym merge` compare): architecture, inputs, M, chunks, seed, init.
      const base = { arch: { id: flags.arch, config: archConfigFromFlags(flags, inputs0.dIn) }, points: inputRows(inputs), ensemble: flags.ensemble, seed: c.seed, ...(flags.init !== undefined ? { init: flags.init } : {}) };
      const spec: EnsembleSpec = { ...base, chunkSize: ensemblePlan({ arch, inputs, ensemble: flags.ensemble, chunkSize: flags.chunk === undefined ? undefined : Math.min(flags.chunk, flags.ensemble) }).chunkSize };
      checkEnsembleCost({ ensemble: flags.ensemble, chunkSize: spec.chunkSize, params: arch.layout().reduce((t, L) => t + layoutSize(L), 0), width: arch.spec.width, depth: arch.spec.depth, points: inputs.count, dOut: arch.spec.dOut, yes: c.options.yes });
      noteThreads(c.info, flags.threads);
      // Every network's outputs are kept when the whole ensemble is small (decided on M, so shards agree with one run).
      const config: MomentsConfig = flags.ensemble <= flags.maxPrint ? { keepOutputs: true } : {};
      const run = await runEnsembleFlags(c, { ...flags, chunk: undefined }, { spec, estimator: { id: 'moments', config }, command: 'sample' });
      if (!run.complete) return;
      const result = sampleResultFromPartial(run.partial, { elapsedSeconds: run.elapsed, networksPerSecond: run.networksPerSecond ?? 0, threads: flags.threads });
      if (await emitResult(c, flags, 'sample', SAMPLE_PRECISION, result)) return;
      printSample(c, result);
      c.info(`sample: ${(run.networksPerSecond ?? 0).toFixed(0)} networks/s (${run.elapsed.toFixed(2)} s)`);
    });
  addEnsembleFlags(cmd);
}

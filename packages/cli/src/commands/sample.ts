import type { Command } from 'commander';
import {
  OutputMoments,
  ensemble$,
  ensemblePlan,
  inputRows,
  layoutSize,
  parseInputs,
  runEnsembleStatistic,
  type EnsembleChunk,
  type InputSet,
  type OutputMomentsState,
  type ParamSampler,
} from '@nnsym/core';
import { compileInitSpec, formatInitSpec, parseInitSpec, resolveInit } from '@nnsym/distributions';
import type { CliContext } from '../context';
import { nonNegativeInt } from '../flags';
import { addArchOptions, addEnsembleOptions, addInputsOption, addOutputOptions, archConfigFromFlags, archFromFlags, checkEnsembleCost, emitResult, noteThreads, progressBar, type ArchFlags } from '../options';

interface SampleFlags extends ArchFlags {
  ensemble: number;
  inputs: string;
  init?: string;
  chunk?: number;
  shard?: { index: number; count: number };
  maxPrint: number;
  progress?: boolean;
  out?: string;
  threads: number;
}

function rows3(outputs: Float32Array, count: number, P: number, dOut: number): number[][][] {
  return Array.from({ length: count }, (_, i) => Array.from({ length: P }, (_, p) => Array.from(outputs.subarray((i * P + p) * dOut, (i * P + p + 1) * dOut))));
}

function matrix(a: Float64Array, P: number, dOut: number): number[][] {
  return Array.from({ length: P }, (_, p) => Array.from(a.subarray(p * dOut, (p + 1) * dOut)));
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
    help: { threads: 'worker threads (default 1; 2 uses both cores of a 2-core machine): the shard is split over T worker_threads and their moments merged exactly (same result as T = 1 to float64 rounding); moments mode only' },
  });
  addOutputOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym sample --arch gauss-net --width 100 --ensemble 5 --inputs '[0.1, 0.5]' --json\n" +
        '  nnsym sample --arch relu-net --d-in 3 --width 1000 --ensemble 100000 --inputs normal:8 --seed 7\n' +
        '  nnsym sample --arch tanh-net --d-in 3 --width 100 --ensemble 1000000 --inputs normal:8 --threads 2\n' +
        "  nnsym sample --arch erf-net --d-out 3 --ensemble 20000 --inputs '[[1],[2]]' --init 'Wout.rows[0:1].mean=0.5'\n" +
        'Outputs are computed in float32 (tfjs); moments are accumulated in float64 with standard errors.\n' +
        'Same --seed and --chunk give identical networks; chunk c uses Rng.derive(seed, "ensemble", c, param).\n',
    )
    .action(async (flags: SampleFlags) => {
      const c = ctx();
      // Inputs first (their dimension is --d-in's default), then the architecture (which checks d_in).
      const inputs0: InputSet = parseInputs(flags.inputs, { dIn: flags.dIn, seed: c.seed });
      const arch = archFromFlags(flags, inputs0.dIn);
      const inputs = inputs0.dIn !== arch.spec.dIn ? parseInputs(flags.inputs, { dIn: arch.spec.dIn, seed: c.seed }) : inputs0;
      let sampler: ParamSampler | undefined;
      let initText = 'normal (NN-QFT default: W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²))';
      let initDescription: Record<string, unknown>[] | undefined;
      if (flags.init !== undefined) {
        const spec = parseInitSpec(flags.init, '--init');
        const resolved = resolveInit(spec, arch.layout(), { flag: '--init' });
        sampler = compileInitSpec(spec, arch.layout(), { flag: '--init' });
        initText = formatInitSpec(spec);
        initDescription = resolved.map((r) => ({ param: r.name, law: r.base.describe(), blocks: r.blocks.map((b) => ({ rows: b.rows, cols: b.cols, law: b.dist.describe() })) }));
      }
      if (flags.bias === false && flags.sigmaB !== undefined) c.info('sample: note: --sigma-b has no effect with --no-bias');
      await c.backend();
      const opts = { arch, inputs, ensemble: flags.ensemble, chunkSize: flags.chunk, seed: c.seed, sampler, shard: flags.shard };
      const plan = ensemblePlan(opts);
      checkEnsembleCost({ ensemble: flags.ensemble, chunkSize: plan.chunkSize, params: arch.layout().reduce((t, L) => t + layoutSize(L), 0), width: arch.spec.width, depth: arch.spec.depth, points: inputs.count, dOut: arch.spec.dOut, yes: c.options.yes });
      const P = inputs.count;
      const dOut = arch.spec.dOut;
      const printAll = plan.networks <= flags.maxPrint;
      noteThreads(c.info, flags.threads);
      if (flags.threads > 1 && printAll) c.info(`sample: note: --threads applies to moments mode only (${plan.networks} networks <= --max-print ${flags.maxPrint} are printed from one thread)`);
      const kept: EnsembleChunk[] = [];
      const moments = new OutputMoments(P, dOut);
      const bar = progressBar(c, flags, 'sample');
      let rate = 0;
      let elapsed = 0;
      if (flags.threads > 1 && !printAll) {
        // Worker threads: each rebuilds the architecture and --init sampler from its id, config and InitSpec text
        // (functions do not cross threads), runs its shard of this run's chunks, and returns its OutputMoments state.
        const t0 = Date.now();
        // Core's ensemble runner with the `moments` estimator: workers rebuild the run from the spec alone.
        const spec = { arch: { id: flags.arch, config: archConfigFromFlags(flags, inputs0.dIn) }, points: inputRows(inputs), ensemble: flags.ensemble, chunkSize: plan.chunkSize, seed: c.seed, ...(flags.init !== undefined ? { init: flags.init } : {}) };
        const run = await runEnsembleStatistic<OutputMomentsState>({ spec, estimator: { id: 'moments', config: {} }, threads: flags.threads, shard: flags.shard, command: 'sample' }, (e) => {
          if (e.type === 'progress') bar?.update(e.done, e.total, 'networks');
        });
        moments.merge(run.partial.state);
        elapsed = (Date.now() - t0) / 1000;
        rate = elapsed > 0 ? plan.networks / elapsed : 0;
      } else {
        await new Promise<void>((resolve, reject) =>
          ensemble$(opts).subscribe({
            next: (e) => {
              if (e.type === 'chunk') {
                moments.add(e.chunk);
                if (printAll) kept.push(e.chunk);
              } else if (e.type === 'progress') bar?.update(e.done, e.total, e.unit);
              else if (e.type === 'run-end') {
                rate = e.networksPerSecond;
                elapsed = e.elapsed;
              }
            },
            error: reject,
            complete: resolve,
          }),
        );
      }
      bar?.done();
      const m = moments.result();
      const meta = {
        architecture: { id: arch.id, ...arch.spec },
        init: initText,
        ...(initDescription ? { initLaws: initDescription } : {}),
        ensemble: flags.ensemble,
        networks: plan.networks,
        chunkSize: plan.chunkSize,
        chunks: plan.mine.length,
        ...(flags.threads > 1 && !printAll ? { threads: flags.threads } : {}),
        ...(flags.shard ? { shard: `${flags.shard.index}/${flags.shard.count}` } : {}),
        inputs: inputRows(inputs),
        elapsedSeconds: elapsed,
        networksPerSecond: rate,
      };
      const momentsOut = { mean: matrix(m.mean, P, dOut), meanSE: matrix(m.meanSE, P, dOut), variance: matrix(m.variance, P, dOut), varianceSE: matrix(m.varianceSE, P, dOut) };
      const payload = () =>
        printAll
          ? { ...meta, mode: 'outputs', outputs: kept.flatMap((ch) => rows3(ch.outputs, ch.count, P, dOut)), outputShape: '[network][input][output]', moments: momentsOut }
          : { ...meta, mode: 'moments', moments: momentsOut };
      if (await emitResult(c, flags, 'sample', 'float32 sampling and evaluation (tfjs); moments accumulated in float64', payload)) return;
      c.out(`${arch.id}: ${plan.networks} networks (width ${arch.spec.width}, d_in ${arch.spec.dIn}, d_out ${dOut}, ${arch.spec.parameterization}), ${P} inputs, init ${initText}`);
      if (printAll) {
        for (const ch of kept) rows3(ch.outputs, ch.count, P, dOut).forEach((net, i) => c.out(`net ${ch.start + i}: ${net.map((o) => (dOut === 1 ? o[0].toPrecision(6) : `[${o.map((v) => v.toPrecision(6)).join(', ')}]`)).join('  ')}`));
      }
      c.out('input  output  mean ± SE  variance ± SE (float64)');
      for (let p = 0; p < P; p++) {
        for (let d = 0; d < dOut; d++) {
          const j = p * dOut + d;
          c.out(`${String(p).padStart(5)}  ${String(d).padStart(6)}  ${m.mean[j].toPrecision(6)} ± ${m.meanSE[j].toPrecision(2)}  ${m.variance[j].toPrecision(6)} ± ${m.varianceSE[j].toPrecision(2)}`);
        }
      }
      c.info(`sample: ${rate.toFixed(0)} networks/s (${elapsed.toFixed(2)} s)`);
    });
}

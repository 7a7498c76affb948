import type { Command } from 'commander';
import {
  OutputMoments,
  UsageError,
  createArchitecture,
  ensemble$,
  ensemblePlan,
  inputRows,
  isNnsymError,
  parseInputs,
  plugins,
  runEnsembleStatistic,
  type Architecture,
  type EnsembleChunk,
  type InputSet,
  type OutputMomentsState,
  type ParamSampler,
} from '@nnsym/core';
import { compileInitSpec, formatInitSpec, parseInitSpec, resolveInit } from '@nnsym/distributions';
import type { CliContext } from '../context';
import { addEnsembleFlags, runEnsembleFlags, type EnsembleFlags } from '../ensemble-flags';
import { finiteNumber, nonNegativeInt, oneOf, positiveInt, shardSpec } from '../flags';
import { ProgressBar } from '../progress';
import { resultEnvelope } from '../result';

/** Flags that define an architecture (shared by commands that sample networks). */
export interface ArchFlags {
  arch: string;
  width?: number;
  dIn?: number;
  dOut?: number;
  depth?: number;
  sigmaW?: number;
  sigmaB?: number;
  activation?: string;
  parameterization?: 'standard' | 'ntk';
  bias?: boolean;
}

interface SampleFlags extends ArchFlags, EnsembleFlags {
  ensemble: number;
  inputs: string;
  init?: string;
  chunk?: number;
  shard?: { index: number; count: number };
  maxPrint: number;
  progress?: boolean;
  threads: number;
}

const FLAG_OF: Record<string, string> = {
  'config.width': '--width',
  'config.dIn': '--d-in',
  'config.dOut': '--d-out',
  'config.depth': '--depth',
  'config.sigmaW': '--sigma-w',
  'config.sigmaB': '--sigma-b',
  'config.activation': '--activation',
  'config.parameterization': '--parameterization',
  config: '--arch',
  architecture: '--arch',
};

/** The architecture config that {@link archFromFlags} gives `createArchitecture` (flags not given are left out). */
export function archConfigFromFlags(flags: ArchFlags, inputDim?: number): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (flags.width !== undefined) config.width = flags.width;
  const dIn = flags.dIn ?? inputDim;
  if (dIn !== undefined) config.dIn = dIn;
  if (flags.dOut !== undefined) config.dOut = flags.dOut;
  if (flags.depth !== undefined) config.depth = flags.depth;
  if (flags.sigmaW !== undefined) config.sigmaW = flags.sigmaW;
  if (flags.sigmaB !== undefined) config.sigmaB = flags.sigmaB;
  if (flags.activation !== undefined) config.activation = flags.activation;
  if (flags.parameterization !== undefined) config.parameterization = flags.parameterization;
  if (flags.bias === false) config.bias = false;
  return config;
}

/**
 * Build the architecture named by `--arch` from CLI flags. Flags not given keep the plugin's defaults; `--d-in`
 * defaults to `inputDim` (the inputs' dimension) when known. Errors are one line naming the flag.
 */
export function archFromFlags(flags: ArchFlags, inputDim?: number): Architecture {
  const config = archConfigFromFlags(flags, inputDim);
  try {
    return createArchitecture(flags.arch, config, plugins, '--arch');
  } catch (e) {
    if (!isNnsymError(e)) throw e;
    const flag = (e.field && FLAG_OF[e.field]) ?? (e.field?.startsWith('--') ? e.field : '--arch');
    const unknownKey = /Unrecognized key/i.test(e.message) ? /"([a-zA-Z]+)"/.exec(e.message)?.[1] : undefined;
    if (unknownKey) {
      const f = `--${unknownKey.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
      throw new UsageError(`${f} does not apply to --arch ${flags.arch}`, f);
    }
    // `architecture "relu-net": config.activation: this family uses relu (...)` -> `--activation: --arch relu-net: ...`
    const detail = e.message.replace(/^architecture "[^"]+": config(\.[A-Za-z]+)?: /, '');
    if (detail !== e.message) throw new UsageError(`${flag}: --arch ${flags.arch}: ${detail}`, flag);
    throw new UsageError(e.message.startsWith('--') ? e.message : `${flag}: ${e.message}`, flag);
  }
}

/** Commander options of {@link ArchFlags}, for reuse by other sampling commands. */
export function addArchOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--arch <id>', 'architecture: gauss-net, exp-net, erf-net, relu-net, tanh-net, shallow, mlp, linear-net (or a plugin)')
    .option('--width <N>', 'hidden width N (default 100)', positiveInt('--width'))
    .option('--d-in <n>', 'input dimension (default: the inputs\' dimension)', positiveInt('--d-in'))
    .option('--d-out <n>', 'number of outputs (default 1)', positiveInt('--d-out'))
    .option('--depth <L>', 'hidden layers (mlp: default 2; linear-net: default 1, 0 allowed)', nonNegativeInt('--depth'))
    .option('--activation <id>', 'activation of shallow / mlp (relu, leaky-relu, gelu, tanh, sigmoid, erf, exp, identity, power, gauss)')
    .option('--sigma-w <s>', 'weight scale σ_w: W ~ N(0, σ_w²/fan_in) (default 1)', finiteNumber('--sigma-w', { min: 0 }))
    .option('--sigma-b <s>', 'bias scale σ_b: b ~ N(0, σ_b²) (default 1)', finiteNumber('--sigma-b', { min: 0 }))
    .option('--parameterization <p>', 'standard (NN-QFT, default) or ntk', oneOf('--parameterization', ['standard', 'ntk'] as const))
    .option('--no-bias', 'networks without biases');
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
  addArchOptions(cmd)
    .requiredOption('--ensemble <M>', 'number of networks M', positiveInt('--ensemble'))
    .requiredOption('--inputs <spec>', 'inputs: JSON (0.2, [0.1, 0.2] = two 1-D points, [[0.1, 0.2]] = one 2-D point), @file.json, or a grid (linspace:-1,1,6, grid:-1,1,3, circle:1,8, sphere:1,16, normal:10, axis:0,2,5)')
    .option('--init <spec>', "parameter distribution (InitSpec), e.g. 'Wout.rows[0:2].mean=0.5', 'W*=laplace;b*=point-mass', mean-rows(k=2,mu=0.5), JSON or @file.json (docs/conventions.md)")
    .option('--chunk <n>', 'networks per chunk (default: from a 64 MB budget); part of the ensemble\'s identity with --seed', positiveInt('--chunk'))
    .option('--shard <i/n>', 'compute only chunks c = i, i+n, ... (the union of all shards is the unsharded ensemble)', shardSpec('--shard'))
    .option('--max-print <n>', 'print every network\'s outputs when M <= n, else moments', nonNegativeInt('--max-print'), 1000)
    .option('--progress', 'show a progress bar on stderr even when it is not a terminal')
    .option('--threads <T>', 'worker threads (default 1; 2 uses both cores of a 2-core machine): the shard is split over T worker_threads and their moments merged exactly (same result as T = 1 to float64 rounding); moments mode only', positiveInt('--threads'), 1)
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
      await c.backend();
      const opts = { arch, inputs, ensemble: flags.ensemble, chunkSize: flags.chunk, seed: c.seed, sampler, shard: flags.shard };
      const plan = ensemblePlan(opts);
      const P = inputs.count;
      const dOut = arch.spec.dOut;
      const printAll = plan.networks <= flags.maxPrint;
      const kept: EnsembleChunk[] = [];
      const moments = new OutputMoments(P, dOut);
      const bar = c.interactive || flags.progress ? new ProgressBar((s) => process.stderr.write(s), 'sample', { tty: c.interactive }) : undefined;
      let rate = 0;
      let elapsed = 0;
      if ((flags.threads > 1 || flags.checkpoint || flags.resume || flags.out) && !printAll) {
        // Worker threads: each rebuilds the architecture and --init sampler from its id, config and InitSpec text
        // (functions do not cross threads), runs its shard of this run's chunks, and returns its OutputMoments state.
        const t0 = Date.now();
        // Core's ensemble runner with the `moments` estimator: workers rebuild the run from the spec alone.
        const spec = { arch: { id: flags.arch, config: archConfigFromFlags(flags, inputs0.dIn) }, points: inputRows(inputs), ensemble: flags.ensemble, chunkSize: plan.chunkSize, seed: c.seed, ...(flags.init !== undefined ? { init: flags.init } : {}) };
        const run = flags.checkpoint || flags.resume || flags.out
          ? await runEnsembleFlags(c, { ...flags, chunk: undefined }, { spec, estimator: { id: 'moments', config: {} }, command: 'sample' })
          : await runEnsembleStatistic<OutputMomentsState>({ spec, estimator: { id: 'moments', config: {} }, threads: flags.threads, shard: flags.shard, command: 'sample' }, (e) => {
              if (e.type === 'progress') bar?.update(e.done, e.total, 'networks');
            });
        if (run.interrupted) return;
        moments.merge(run.partial.state as OutputMomentsState);
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
      if (c.json) {
        const payload = printAll
          ? { ...meta, mode: 'outputs', outputs: kept.flatMap((ch) => rows3(ch.outputs, ch.count, P, dOut)), outputShape: '[network][input][output]', moments: momentsOut }
          : { ...meta, mode: 'moments', moments: momentsOut };
        c.out(JSON.stringify(await resultEnvelope(c, 'sample', 'float32 sampling and evaluation (tfjs); moments accumulated in float64', payload)));
        return;
      }
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
  addEnsembleFlags(cmd); // --checkpoint/--resume/--out (moments mode: --out writes the partial for `nnsym merge`); --threads, --shard, --chunk are the command's own
}

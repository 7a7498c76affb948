import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { NnsymError, UsageError, assertSameSpec, checkpointAction, ensemblePlan, inputRows, layoutSize, parseInputs, prepareOutputFile, type Architecture } from '@nnsym/core';
import {
  SPEC_FIELDS,
  correlators$,
  eftCouplings,
  exactCorrelators,
  exactResult,
  finalizeCorrelators,
  kernelFor,
  sweepSummary,
  type CorrelatorPartial,
  type CorrelatorResult,
  type CorrelatorRunSpec,
} from '@nnsym/correlators';
import type { CliContext } from '../context';
import { nonNegativeInt, numberList, oneOf, positiveInt } from '../flags';
import {
  addArchOptions,
  addEnsembleOptions,
  addHiddenAlias,
  addInputsOption,
  addOrdersOption,
  addOutputOptions,
  archFromFlags,
  checkEnsembleCost,
  checkEnsembleForErrors,
  noteThreads,
  checkOrders,
  emitResult,
  interruptible,
  printCorrelatorResult,
  printSweep,
  progressBar,
  readPartial,
  writeResultFile,
  type ArchFlags,
} from '../options';
import { consumeRun } from '../progress';
import { addEftOptions, checkEftFlags, printEft, writeEftCsv, writeEftSvg, type EftFlags } from '../options/eft';

interface CorrelatorFlags extends ArchFlags, EftFlags {
  inputs: string;
  orders: number[];
  ensemble?: number;
  widths?: number[];
  method: 'montecarlo' | 'exact';
  out?: string;
  shard?: { index: number; count: number };
  chunk?: number;
  checkpoint?: string;
  checkpointEvery: number;
  resume?: boolean;
  groups: number;
  neuronSamples?: number;
  overwrite?: boolean;
  progress?: boolean;
  show: number;
  threads: number;
}

const MC_PRECISION = 'float32 network outputs (tfjs), float64 accumulation (Welford/Chan)';

/** Checkpoint file of one width in a sweep: `run.json` -> `run.w100.json`. */
function checkpointPath(path: string, width: number, sweep: boolean): string {
  if (!sweep) return path;
  return /\.json$/.test(path) ? path.replace(/\.json$/, `.w${width}.json`) : `${path}.w${width}`;
}

/** Spec fields a checkpoint must match, mapped to the flag that sets each. */
const SPEC_FLAG: Record<string, string> = {
  arch: '--arch', width: '--width', depth: '--depth', activation: '--activation', dIn: '--d-in', dOut: '--d-out', sigmaW: '--sigma-w', sigmaB: '--sigma-b',
  bias: '--no-bias', parameterization: '--parameterization', inputs: '--inputs', orders: '--orders', ensemble: '--ensemble', chunkSize: '--chunk', seed: '--seed', groups: '--groups',
};

function specFields(s: CorrelatorRunSpec): Record<string, unknown> {
  return Object.fromEntries(SPEC_FIELDS.map((f) => [f, s[f]]));
}

/** Run the Monte Carlo of one width; resolves with the partial (possibly interrupted). */
async function runMonteCarlo(c: CliContext, o: CorrelatorFlags, spec: CorrelatorRunSpec, arch: Architecture, sweep: boolean, signal: AbortSignal): Promise<{ partial: CorrelatorPartial; seconds: number; rate: number | null }> {
  const ckpt = o.checkpoint ? checkpointPath(o.checkpoint, spec.width, sweep) : undefined;
  let resume: CorrelatorPartial | undefined;
  if (ckpt && existsSync(ckpt) && o.resume) {
    resume = readPartial(ckpt, '--resume');
    // The same spec check for complete and incomplete checkpoints (every spec field; the differing one is named).
    assertSameSpec(specFields(resume.spec), specFields(spec), '--resume', ckpt, (f) => SPEC_FLAG[f]);
    if (resume.complete && !o.shard) {
      c.info(`correlators: ${ckpt} is already complete (${resume.networks} networks); using it`);
      return { partial: resume, seconds: 0, rate: null };
    }
    c.info(`correlators: resuming ${ckpt}: ${resume.networks} networks in ${resume.done.length} of ${resume.chunks} chunks done`);
  } else if (ckpt && o.resume) c.info(`correlators: no checkpoint at ${ckpt} yet; starting a fresh run`);
  const bar = progressBar(c, o, `correlators ${spec.arch} N=${spec.width}`);
  const t0 = Date.now();
  const end = await consumeRun<{ partial: CorrelatorPartial; networksPerSecond?: number }>(
    correlators$({
      spec,
      arch,
      shard: o.shard,
      threads: o.threads,
      resume,
      signal,
      checkpoint: ckpt ? { every: o.checkpointEvery, write: (p) => (writeResultFile(ckpt, p, '--checkpoint'), ckpt) } : undefined,
    }),
    { bar, quietMs: 1000 },
  );
  if (!end) throw new NnsymError('correlators: the run ended without a result');
  const partial = end.summary.partial;
  const rate = end.summary.networksPerSecond ?? null;
  return { partial, seconds: (Date.now() - t0) / 1000, rate };
}

/** `nnsym correlators`: n-point functions of a network ensemble, their GP limits, and exact finite-width values. */
export function registerCorrelators(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('correlators')
    .description('n-point correlators G^(n)(x_i1..x_in) of an ensemble with error bars, Wick/GP predictions, connected pieces; Monte Carlo or exact in 1/N (NN-QFT, arXiv 2008.08601)');
  addArchOptions(cmd);
  addInputsOption(cmd);
  addOrdersOption(cmd, [2, 4]);
  addEnsembleOptions(cmd, ['ensemble'], { help: { ensemble: 'networks M (Monte Carlo; max 1e12)' } });
  cmd
    .option('--widths <list>', 'width sweep, e.g. 2,5,10,100,1000: a table of deviations and their fit against 1/N', numberList('--widths', positiveInt('--widths', 1e6)))
    .option('--method <m>', 'montecarlo (ensemble of networks) or exact (one-hidden-layer families: single-neuron moments, exact in 1/N)', oneOf('--method', ['montecarlo', 'exact'] as const), 'montecarlo');
  addEnsembleOptions(cmd, ['shard', 'chunk', 'checkpoint', 'resume', 'overwrite', 'threads'], {
    help: {
      shard: 'compute only chunks c = i, i+n, ... of the ensemble; combine shards with `nnsym merge`',
      checkpoint: 'write the partial result to this file every --checkpoint-every chunks and on Ctrl-C / SIGTERM (sweeps: one file per width)',
      threads: 'worker threads (default 1; 2 uses both cores of a 2-core machine): the run (or --shard) is split over T worker_threads and their partials merged exactly (same result as T = 1 to float64 rounding); with --checkpoint/--resume too',
    },
  });
  cmd
    .option('--checkpoint-every <K>', 'chunks between checkpoints', positiveInt('--checkpoint-every'), 10)
    .option('--groups <B>', 'interleaved groups for jackknife errors of derived quantities', positiveInt('--groups', 1e4), 16)
    .option('--neuron-samples <S>', 'exact method: single-neuron Monte-Carlo samples when quadrature does not apply (rank > 2)', positiveInt('--neuron-samples', 1e9))
    .option('--show <k>', 'tuples printed per order in the text output', nonNegativeInt('--show'), 6);
  addEftOptions(cmd);
  addOutputOptions(cmd, { out: 'also write the JSON result (with the mergeable partial state) to this file' });
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym correlators --arch relu-net --sigma-b 0 --width 10 --ensemble 100000 --inputs '[0.2,0.4,0.6,0.8,1.0,1.2]' --orders 2,4,6\n" +
        "  nnsym correlators --arch erf-net --inputs '[-1,-0.6,-0.2,0.2,0.6,1]' --orders 4,6 --method exact --widths 2,5,10,100,1000\n" +
        "  nnsym correlators --arch gauss-net --inputs '[-0.01,0.01]' --width 50 --ensemble 1000000 --shard 0/4 --out s0.json\n" +
        "  nnsym correlators --arch relu-net --width 10 --ensemble 1000000 --inputs '[0.2,0.6,1.0]' --orders 2,4 --threads 2\n" +
        "  nnsym correlators --arch relu-net --sigma-b 0 --width 20 --method exact --inputs '[0.2,0.4,0.6,0.8,1.0,1.2]' --orders 2,4 --eft-cutoffs 7,10,100,1000\n" +
        '  nnsym merge s0.json s1.json s2.json s3.json --out all.json\n' +
        '  nnsym correlators ... --checkpoint run.json --resume      (after Ctrl-C: continues where it stopped)\n' +
        'Output (--json): {"orders": {"4": {"tuples": [[i,j,k,l], ...], "estimate", "stderr", "gp", "connected", "deviation",\n' +
        '"summary": {...}}, ...}, "kernel": {...}, "partial": {...}}; sweeps add {"sweep": {"rows", "fits"}}.\n' +
        'GP predictions use the analytic NNGP kernel where one exists, else the measured G2. Errors: exact standard errors\n' +
        'of the mean for estimates; with an analytic K, exact per-network errors sd(s_m)/sqrt(M) for the mean deviations and\n' +
        'the mean connected 4-/6-pt (affine in the per-network products); jackknife over --groups interleaved groups for\n' +
        'the rest (per-tuple connected 6-pt, m_n, everything with the measured G2). summary.stderrEstimators names each.\n' +
        'In a sweep, width N uses the independent ensemble with seed "<seed>:wN" (so the widths\' errors are independent).\n',
    )
    .action(async (o: CorrelatorFlags) => {
      const c = ctx();
      const set = parseInputs(o.inputs, { dIn: o.dIn, seed: c.seed });
      const inputs = inputRows(set);
      if (o.widths && o.width !== undefined) throw new UsageError('give either --width or --widths, not both', '--widths');
      if (o.widths && o.shard) throw new UsageError('--shard works with one --width; shard each width of a sweep separately', '--shard');
      const widths = o.widths ?? [o.width ?? 100];
      const sweep = o.widths !== undefined;
      const arch0 = archFromFlags({ ...o, width: widths[0] }, set.dIn);
      const orders = [...new Set(o.orders)].sort((a, b) => a - b);
      checkOrders(orders, inputs.length, arch0.spec.dOut);
      checkEftFlags(o, { orders, dIn: set.dIn, sweep });
      if (o.groups < 2) throw new UsageError('--groups must be at least 2', '--groups');
      const specBase = {
        arch: arch0.id,
        ...(o.depth !== undefined ? { depth: arch0.spec.depth } : {}),
        ...(o.activation !== undefined ? { activation: arch0.spec.activation } : {}),
        dIn: arch0.spec.dIn,
        dOut: arch0.spec.dOut,
        sigmaW: arch0.spec.sigmaW,
        sigmaB: arch0.spec.sigmaB,
        ...(arch0.spec.bias === false ? { bias: false } : {}),
        parameterization: arch0.spec.parameterization,
        inputs,
        orders,
      };
      const kernel = kernelFor(specBase);
      const results: CorrelatorResult[] = [];
      const partials: CorrelatorPartial[] = [];
      let interrupted = false;
      let seconds = 0;
      const rates: (number | null)[] = [];
      if (o.method === 'exact') {
        const family = arch0.singleHidden;
        if (!family) throw new UsageError(`--method exact needs a one-hidden-layer architecture (gauss-net, exp-net, erf-net, relu-net, tanh-net, shallow); ${arch0.id} has ${arch0.spec.depth} hidden layers`, '--method');
        if (o.shard || o.checkpoint || o.resume) throw new UsageError('--shard, --checkpoint and --resume apply to --method montecarlo', '--method');
        const t0 = Date.now();
        const ex = exactCorrelators(family, inputs, { orders, samples: o.neuronSamples, seed: c.seed, groups: o.groups });
        for (const N of widths) results.push(exactResult(ex, arch0.id, N, inputs, kernel.source === 'analytic' ? kernel : undefined));
        seconds = (Date.now() - t0) / 1000;
      } else {
        if (o.ensemble === undefined) throw new UsageError('--ensemble M is required with --method montecarlo', '--ensemble');
        checkEnsembleForErrors(o.ensemble, o.shard?.count ?? 1);
        noteThreads(c.info, o.threads);
        if (o.resume && !o.checkpoint) throw new UsageError('--resume needs --checkpoint FILE (the file to resume from)', '--resume');
        // The run-file policy, before any work: every checkpoint path is writable, and an existing one is resumed
        // (--resume) or replaced (--overwrite), never silently overwritten.
        if (o.checkpoint) {
          for (const N of widths) {
            const ck = checkpointPath(o.checkpoint, N, sweep);
            prepareOutputFile(ck, '--checkpoint');
            const exists = existsSync(ck);
            checkpointAction({ path: ck, flag: '--checkpoint', exists, resume: o.resume, overwrite: o.overwrite, describe: exists ? describeCheckpoint(ck) : undefined });
          }
        }
        for (const N of widths) {
          const arch = N === widths[0] ? arch0 : archFromFlags({ ...o, width: N }, set.dIn);
          const chunkSize = ensemblePlan({ arch, inputs, ensemble: o.ensemble, chunkSize: o.chunk }).chunkSize;
          checkEnsembleCost({ ensemble: o.ensemble, chunkSize, params: arch.layout().reduce((t, L) => t + layoutSize(L), 0), width: arch.spec.width, depth: arch.spec.depth, points: inputs.length, dOut: arch.spec.dOut, yes: c.options.yes });
        }
        await c.backend();
        const stop = interruptible(c, 'correlators', 'finishing the current chunk and writing what was computed');
        const ac = { signal: stop.signal };
        try {
          for (const N of widths) {
            const arch = N === widths[0] ? arch0 : archFromFlags({ ...o, width: N }, set.dIn);
            const chunkSize = ensemblePlan({ arch, inputs, ensemble: o.ensemble, chunkSize: o.chunk }).chunkSize;
            // Each width of a sweep gets its own ensemble (seed "<seed>:w<N>"): with one seed, the widths would share
            // random streams (e.g. the same output biases b1), correlating their errors and biasing the 1/N fit.
            const seed = sweep ? `${c.seed}:w${N}` : c.seed;
            const spec: CorrelatorRunSpec = { ...specBase, width: N, ensemble: o.ensemble, chunkSize, seed, groups: o.groups };
            const run = await runMonteCarlo(c, o, spec, arch, sweep, ac.signal);
            partials.push(run.partial);
            results.push(finalizeCorrelators(run.partial, kernel));
            seconds += run.seconds;
            rates.push(run.rate);
            if (run.partial.interrupted) {
              interrupted = true;
              break;
            }
          }
        } finally {
          stop.release();
        }
      }
      const sweepOut = sweep ? sweepSummary(results) : undefined;
      const eft = o.eftCutoffs
        ? eftCouplings(results[0], { arch: arch0.id, sigmaW: arch0.spec.sigmaW, sigmaB: arch0.spec.sigmaB, dIn: arch0.spec.dIn, ...(arch0.spec.bias === false ? { bias: false } : {}) }, o.eftCutoffs, { fitCutoff: o.eftFitCutoff })
        : undefined;
      if (eft && o.eftCsv) writeEftCsv(o.eftCsv, eft);
      if (eft && o.eftSvg) await writeEftSvg(o.eftSvg, eft);
      const precision = o.method === 'exact' ? 'float64 (exact in 1/N; quadrature or closed-form single-neuron moments)' : MC_PRECISION;
      const payload: Record<string, unknown> = sweep
        ? { method: o.method, arch: arch0.id, widths, ...(interrupted ? { interrupted: true } : {}), sweep: sweepOut, results: results.map((r, i) => ({ ...r, ...(partials[i] ? { partial: partials[i] } : {}) })), seconds }
        : { ...results[0], ...(eft ? { eft } : {}), ...(partials[0] ? { partial: partials[0] } : {}), seconds, ...(rates[0] ? { networksPerSecond: rates[0] } : {}) };
      if (!(await emitResult(c, o, 'correlators', precision, payload, { complete: !interrupted }))) {
        if (sweepOut) printSweep(c, sweepOut);
        else printCorrelatorResult(c, results[0], o.show);
        if (eft) printEft(c, eft);
        c.out(`(${seconds.toFixed(1)} s${rates[0] ? `, ${Math.round(rates[0])} networks/s` : ''}; ${precision})`);
      }
      if (interrupted) {
        const where = o.out ?? o.checkpoint;
        throw new NnsymError(`interrupted: the partial result (marked incomplete) ${where ? `is in ${where}` : 'was printed'}; resume with --checkpoint FILE --resume`, { exitCode: 130 });
      }
    });
  addHiddenAlias(cmd, '--samples <S>', '--neuron-samples', positiveInt('--samples', 1e9));
}

/** "12 of 20 chunks, 12000 networks done" for a refusal to overwrite, or a note that it cannot be read. */
function describeCheckpoint(path: string): string {
  try {
    const p = readPartial(path, '--checkpoint');
    return `${p.networks} networks in ${p.done.length} of ${p.chunks} chunks${p.complete ? ', complete' : ''}`;
  } catch {
    return 'not a readable correlator checkpoint';
  }
}

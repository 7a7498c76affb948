import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { NnsymError, UsageError, ensemblePlan, inputRows, parseInputs, type Architecture } from '@nnsym/core';
import {
  correlators$,
  exactCorrelators,
  exactResult,
  finalizeCorrelators,
  kernelFor,
  sweepSummary,
  checkOrders,
  type CorrelatorPartial,
  type CorrelatorResult,
  type CorrelatorRunSpec,
  type SweepSummary,
} from '@nnsym/correlators';
import type { CliContext } from '../context';
import { nonNegativeInt, numberList, oneOf, positiveInt, shardSpec } from '../flags';
import { ProgressBar } from '../progress';
import { resultEnvelope } from '../result';
import { addHiddenAlias } from './flag-alias';
import { addArchOptions, archFromFlags, type ArchFlags } from './sample';

interface CorrelatorFlags extends ArchFlags {
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
  samples?: number;
  progress?: boolean;
  show: number;
  threads: number;
}

const MC_PRECISION = 'float32 network outputs (tfjs), float64 accumulation (Welford/Chan)';

export function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function readPartial(path: string, flag: string): CorrelatorPartial {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]}`, flag);
  }
  const p = (raw as { partial?: unknown }).partial ?? raw;
  if (!p || (p as { format?: string }).format !== 'nnsym-correlators-partial') throw new UsageError(`${flag}: ${path} holds no correlator partial result`, flag);
  return p as CorrelatorPartial;
}

/** Checkpoint file of one width in a sweep: `run.json` -> `run.w100.json`. */
function checkpointPath(path: string, width: number, sweep: boolean): string {
  if (!sweep) return path;
  return /\.json$/.test(path) ? path.replace(/\.json$/, `.w${width}.json`) : `${path}.w${width}`;
}

function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toPrecision(digits) : v.toExponential(digits - 1);
}

export function printResult(c: CliContext, r: CorrelatorResult, show: number): void {
  const head = r.method === 'exact' ? `exact-in-N (${r.moments?.note})` : `${r.networks} networks${r.complete ? '' : r.interrupted ? ' (INTERRUPTED: partial result)' : ' (shard: partial ensemble)'}`;
  c.out(`correlators: ${r.arch} N=${r.width}, ${head}; ${r.inputs.length} inputs, d_out ${r.dOut}; K: ${r.kernel.source} (${r.kernel.detail.split('(')[0].trim()})`);
  for (const [n, o] of Object.entries(r.orders)) {
    const s = o.summary;
    const pm = (e: number | null) => (e === 0 ? '' : ` ± ${fmt(e, 2)}`);
    const conn = s.meanConnectedDeviation !== null ? `; mean G_c/GP ${fmt(s.meanConnectedDeviation)}${pm(s.meanConnectedDeviationStderr)}` : '';
    c.out(`order ${n}: ${o.tuples.length} tuples; mean (G-GP)/GP ${fmt(s.meanDeviation)}${pm(s.meanDeviationStderr)}; m_${n} = mean |G-GP|/GP ${fmt(s.meanAbsDeviation)}${conn}${s.maxAbsZ !== null ? `; max |G-GP|/se ${fmt(s.maxAbsZ, 3)}` : ''}`);
    if (show > 0) {
      c.out(`  ${'tuple'.padEnd(4 * Number(n) + 2)} ${'estimate'.padStart(12)} ${'± stderr'.padStart(10)} ${'GP'.padStart(12)} ${'(G-GP)/GP'.padStart(11)} ${'connected'.padStart(12)}`);
      for (let t = 0; t < Math.min(show, o.tuples.length); t++) {
        const tup = `[${o.tuples[t].join(',')}]${o.outputs ? `_${o.outputs[t].join('')}` : ''}`;
        c.out(`  ${tup.padEnd(4 * Number(n) + 2)} ${fmt(o.estimate[t], 6).padStart(12)} ${fmt(o.stderr[t], 2).padStart(10)} ${fmt(o.gp[t], 6).padStart(12)} ${fmt(o.deviation[t], 3).padStart(11)} ${fmt(o.connected[t], 4).padStart(12)}`);
      }
      if (o.tuples.length > show) c.out(`  (${show} of ${o.tuples.length} tuples; --json for all)`);
    }
  }
}

function printSweep(c: CliContext, s: SweepSummary): void {
  const orders = Object.keys(s.rows[0]?.orders ?? {});
  const cols = orders.flatMap((n) => (n === '2' ? [`dev${n}`] : n === '4' ? [`dev${n}`, `m${n}`] : [`dev${n}`, `conn${n}/GP`]));
  c.out(`width sweep: ${s.arch}, ${s.method}`);
  c.out(`  ${'N'.padStart(6)} ${cols.map((h) => h.padStart(22)).join(' ')}`);
  for (const r of s.rows) {
    const cells = orders.flatMap((n) => {
      const o = r.orders[n];
      const pm = (v: number | null, e: number | null) => (e === 0 ? fmt(v) : `${fmt(v)} ± ${fmt(e, 2)}`);
      if (n === '2') return [pm(o.meanDeviation, o.meanDeviationStderr)];
      if (n === '4') return [pm(o.meanDeviation, o.meanDeviationStderr), pm(o.meanAbsDeviation, o.meanAbsDeviationStderr)];
      return [pm(o.meanDeviation, o.meanDeviationStderr), pm(o.meanConnectedDeviation, o.meanConnectedDeviationStderr)];
    });
    c.out(`  ${String(r.width).padStart(6)} ${cells.map((x) => x.padStart(22)).join(' ')}`);
  }
  c.out('fits (weighted least squares over the widths; errors from the per-width errors):');
  for (const f of s.fits) {
    const terms = f.fit.powers.map((p, i) => `${p === 0 ? 'a' : `c/N^${p}`}=${fmt(f.fit.coefficients[i])}${f.fit.stderr[i] === 0 ? '' : ` ± ${fmt(f.fit.stderr[i], 2)}`}`).join(', ');
    c.out(`  order ${f.order} ${f.quantity.padEnd(13)} ${f.model.padEnd(20)} ${terms}; chi2/dof ${fmt(f.fit.chi2, 3)}/${f.fit.dof}; log-log slope ${fmt(f.slope.slope, 3)}${f.slope.slopeStderr === 0 ? '' : ` ± ${fmt(f.slope.slopeStderr, 2)}`}`);
  }
}

/** Run the Monte Carlo of one width; resolves with the partial (possibly interrupted). */
async function runMonteCarlo(c: CliContext, o: CorrelatorFlags, spec: CorrelatorRunSpec, arch: Architecture, sweep: boolean, signal: AbortSignal): Promise<{ partial: CorrelatorPartial; seconds: number; rate: number | null }> {
  const ckpt = o.checkpoint ? checkpointPath(o.checkpoint, spec.width, sweep) : undefined;
  let resume: CorrelatorPartial | undefined;
  if (o.resume) {
    if (!ckpt) throw new UsageError('--resume needs --checkpoint FILE (the file to resume from)', '--resume');
    if (existsSync(ckpt)) {
      resume = readPartial(ckpt, '--resume');
      if (resume.complete && !o.shard) {
        c.info(`correlators: ${ckpt} is already complete; using it`);
        return { partial: resume, seconds: 0, rate: null };
      }
      c.info(`correlators: resuming ${ckpt} (${resume.networks} networks done)`);
    }
  }
  const showBar = o.progress || (c.interactive && !c.json);
  const bar = showBar ? new ProgressBar((s) => process.stderr.write(s), `correlators ${spec.arch} N=${spec.width}`, { tty: c.interactive }) : undefined;
  const t0 = Date.now();
  let partial: CorrelatorPartial | undefined;
  let rate: number | null = null;
  await new Promise<void>((resolve, reject) =>
    correlators$({
      spec,
      arch,
      shard: o.shard,
      threads: o.threads,
      resume,
      signal,
      checkpoint: ckpt ? { every: o.checkpointEvery, write: (p) => (atomicWrite(ckpt, JSON.stringify(p)), ckpt) } : undefined,
    }).subscribe({
      next: (e) => {
        if (e.type === 'progress' && Date.now() - t0 > 1000) bar?.update(e.done, e.total, e.unit);
        if (e.type === 'run-end') {
          partial = e.summary.partial;
          rate = e.summary.networksPerSecond ?? null;
        }
      },
      error: reject,
      complete: resolve,
    }),
  );
  bar?.done();
  return { partial: partial!, seconds: (Date.now() - t0) / 1000, rate };
}

/** `nnsym correlators`: n-point functions of a network ensemble, their GP limits, and exact finite-width values. */
export function registerCorrelators(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('correlators')
    .description('n-point correlators G^(n)(x_i1..x_in) of an ensemble with error bars, Wick/GP predictions, connected pieces; Monte Carlo or exact in 1/N (NN-QFT, arXiv 2008.08601)');
  addArchOptions(cmd)
    .requiredOption('--inputs <spec>', 'inputs: JSON ([0.2, 0.4] = two 1-D points, [[0.1, 0.2]] = one 2-D point), @file.json, or a grid (linspace:-1,1,6, ...)')
    .option('--orders <list>', 'even orders, e.g. 2,4,6', numberList('--orders', positiveInt('--orders')), [2, 4])
    .option('--ensemble <M>', 'networks M (Monte Carlo)', positiveInt('--ensemble'))
    .option('--widths <list>', 'width sweep, e.g. 2,5,10,100,1000: a table of deviations and their fit against 1/N', numberList('--widths', positiveInt('--widths')))
    .option('--method <m>', 'montecarlo (ensemble of networks) or exact (one-hidden-layer families: single-neuron moments, exact in 1/N)', oneOf('--method', ['montecarlo', 'exact'] as const), 'montecarlo')
    .option('--out <file>', 'also write the JSON result (with the mergeable partial state) to this file')
    .option('--shard <i/n>', 'compute only chunks c = i, i+n, ... of the ensemble; combine shards with `nnsym merge`', shardSpec('--shard'))
    .option('--chunk <C>', 'networks per chunk (default: from a 64 MB budget); part of the ensemble\'s identity with --seed', positiveInt('--chunk'))
    .option('--checkpoint <file>', 'write the partial result to this file every --checkpoint-every chunks and on Ctrl-C (sweeps: one file per width)')
    .option('--checkpoint-every <K>', 'chunks between checkpoints', positiveInt('--checkpoint-every'), 10)
    .option('--resume', 'continue from --checkpoint FILE when it exists (same run: every spec field must match)')
    .option('--groups <B>', 'interleaved groups for jackknife errors of derived quantities', positiveInt('--groups'), 16)
    .option('--samples <S>', 'exact method: single-neuron Monte-Carlo samples when quadrature does not apply (rank > 2)', positiveInt('--samples'))
    .option('--show <k>', 'tuples printed per order in the text output', nonNegativeInt('--show'), 6)
    .option('--progress', 'show a progress bar on stderr even when it is not a terminal or with --json')
    .option('--threads <T>', 'worker threads (default 1; 2 uses both cores of a 2-core machine): the run (or --shard) is split over T worker_threads and their partials merged exactly (same result as T = 1 to float64 rounding)', positiveInt('--threads'), 1)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym correlators --arch relu-net --sigma-b 0 --width 10 --ensemble 100000 --inputs '[0.2,0.4,0.6,0.8,1.0,1.2]' --orders 2,4,6\n" +
        "  nnsym correlators --arch erf-net --inputs '[-1,-0.6,-0.2,0.2,0.6,1]' --orders 4,6 --method exact --widths 2,5,10,100,1000\n" +
        "  nnsym correlators --arch gauss-net --inputs '[-0.01,0.01]' --width 50 --ensemble 1000000 --shard 0/4 --out s0.json\n" +
        "  nnsym correlators --arch relu-net --width 10 --ensemble 1000000 --inputs '[0.2,0.6,1.0]' --orders 2,4 --threads 2\n" +
        '  nnsym merge s0.json s1.json s2.json s3.json --out all.json\n' +
        '  nnsym correlators ... --checkpoint run.json --resume      (after Ctrl-C: continues where it stopped)\n' +
        'Output (--json): {"orders": {"4": {"tuples": [[i,j,k,l], ...], "estimate", "stderr", "gp", "connected", "deviation",\n' +
        '"summary": {...}}, ...}, "kernel": {...}, "partial": {...}}; sweeps add {"sweep": {"rows", "fits"}}.\n' +
        'GP predictions use the analytic NNGP kernel where one exists, else the measured G2. Errors: exact standard errors\n' +
        'of the mean for estimates; jackknife over --groups interleaved groups for connected 6-pt and means over tuples.\n' +
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
        const ex = exactCorrelators(family, inputs, { orders, samples: o.samples, seed: c.seed, groups: o.groups });
        for (const N of widths) results.push(exactResult(ex, arch0.id, N, inputs, kernel.source === 'analytic' ? kernel : undefined));
        seconds = (Date.now() - t0) / 1000;
      } else {
        if (o.ensemble === undefined) throw new UsageError('--ensemble M is required with --method montecarlo', '--ensemble');
        if (o.ensemble < 2) throw new UsageError(`--ensemble ${o.ensemble} is too small for an error bar: need at least 2 networks`, '--ensemble');
        if (o.shard && o.ensemble < 2 * o.shard.count) throw new UsageError(`--ensemble ${o.ensemble} is too small for ${o.shard.count} shards with an error bar each`, '--ensemble');
        await c.backend();
        const ac = new AbortController();
        const onSigint = (): void => {
          c.info('\ncorrelators: interrupted; finishing the current chunk and writing what was computed');
          ac.abort();
        };
        process.once('SIGINT', onSigint);
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
          process.removeListener('SIGINT', onSigint);
        }
      }
      const sweepOut = sweep ? sweepSummary(results) : undefined;
      const precision = o.method === 'exact' ? 'float64 (exact in 1/N; quadrature or closed-form single-neuron moments)' : MC_PRECISION;
      const payload: Record<string, unknown> = sweep
        ? { method: o.method, arch: arch0.id, widths, ...(interrupted ? { interrupted: true } : {}), sweep: sweepOut, results: results.map((r, i) => ({ ...r, ...(partials[i] ? { partial: partials[i] } : {}) })), seconds }
        : { ...results[0], ...(partials[0] ? { partial: partials[0] } : {}), seconds, ...(rates[0] ? { networksPerSecond: rates[0] } : {}) };
      const needEnvelope = c.json || o.out;
      const env = needEnvelope ? await resultEnvelope(c, 'correlators', precision, payload) : undefined;
      if (o.out) atomicWrite(o.out, JSON.stringify(env));
      if (c.json) c.out(JSON.stringify(env));
      else {
        if (sweepOut) printSweep(c, sweepOut);
        else printResult(c, results[0], o.show);
        c.out(`(${seconds.toFixed(1)} s${rates[0] ? `, ${Math.round(rates[0])} networks/s` : ''}; ${precision})`);
      }
      if (interrupted) {
        const where = o.out ?? o.checkpoint;
        throw new NnsymError(`interrupted: the partial result (marked incomplete) ${where ? `is in ${where}` : 'was printed'}; resume with --checkpoint FILE --resume`, { exitCode: 130 });
      }
    });
  addHiddenAlias(cmd, '--order <list>', '--orders', numberList('--order', positiveInt('--order')));
}

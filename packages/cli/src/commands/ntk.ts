import type { Command } from 'commander';
import { checkMemory, createArchitecture, inputRows, LIMITS, parseInputs, UsageError, type Architecture } from '@nnsym/core';
import { analyticKernel, analyticKernelAsync, architectureNtk, convergenceReport, defaultNtkChunkSize, empiricalNtkFromPartial, kernelDeviation, kernelRows, NoAnalyticKernelError, ntkConvergence, type AnalyticKernels, type ConvergenceRow } from '@nnsym/ntk';
import type { CliContext } from '../context';
import { finiteNumber, nonNegativeInt, numberList, oneOf, positiveInt } from '../flags';
import {
  addEnsembleFlags, addHiddenAlias, addInputsOption, addOutputOptions, addRunGridOptions, analyticMeta, emitResult, formatMatrix, interruptible, progressBar, registerSweepKind, reportInterrupted, runEnsembleFlags, runSweep,
  type EnsembleRunFlags, type RunGridFlags,
} from '../options';

interface NtkFlags extends EnsembleRunFlags, RunGridFlags {
  arch: string;
  inputs: string;
  mode: 'analytic' | 'empirical';
  parameterization: 'ntk' | 'standard';
  depth?: number;
  width?: number;
  widths?: number[];
  sigmaW?: number;
  sigmaB?: number;
  dIn?: number;
  dOut?: number;
  activation?: string;
  bias: boolean;
  ensemble: number;
  kernelOutput: 'full' | 'trace' | 'diagonal';
  method: 'auto' | 'structured' | 'vjp';
  batch?: number;
  quadrature?: 'series' | 'panels' | 'hermite';
  out?: string;
  progress?: boolean;
}

/** Build the architecture for empirical mode; only flags the user gave are passed (the plugin validates them). */
function buildArch(f: NtkFlags, width: number, dIn: number): Architecture {
  return createArchitecture(f.arch, archConfig(f, width, dIn), undefined, '--arch');
}

/** The architecture config of the flags (what an ensemble spec records). */
function archConfig(f: NtkFlags, width: number, dIn: number): Record<string, unknown> {
  const cfg: Record<string, unknown> = { width, dIn, parameterization: f.parameterization };
  if (f.dOut !== undefined) cfg.dOut = f.dOut;
  if (f.sigmaW !== undefined) cfg.sigmaW = f.sigmaW;
  if (f.sigmaB !== undefined) cfg.sigmaB = f.sigmaB;
  if (f.bias === false) cfg.bias = false;
  if (f.depth !== undefined) cfg.depth = f.depth;
  if (f.activation !== undefined) cfg.activation = f.activation;
  return cfg;
}

/** The analytic kernels for comparison, or undefined (with the reason) when there is no closed form. */
function tryAnalytic(arch: Architecture, rows: number[][], f: NtkFlags): { k?: AnalyticKernels; why?: string } {
  try {
    return { k: analyticKernel(arch, rows, { width: arch.spec.width, quadrature: f.quadrature ? { rule: f.quadrature } : undefined }) };
  } catch (e) {
    if (e instanceof NoAnalyticKernelError) return { why: e.message };
    throw e;
  }
}

/** `nnsym ntk`: the neural tangent kernel, analytic (infinite width) or empirical (finite width, ensemble mean ± SE). */
export function registerNtk(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('ntk')
    .description('neural tangent kernel Θ(x, x\') and NNGP: analytic (infinite width) or empirical (finite width, ensemble mean ± SE)')
    .requiredOption('--arch <id>', 'architecture: relu-net, erf-net, tanh-net, gauss-net, exp-net, shallow, mlp, linear-net, or a plugin');
  addInputsOption(cmd);
  addOutputOptions(cmd);
  cmd
    .option('--mode <mode>', 'analytic or empirical', oneOf('--mode', ['analytic', 'empirical'] as const), 'analytic')
    .option('--parameterization <p>', 'ntk (N(0,1) params scaled in the forward pass, as neural-tangents) or standard (NN-QFT)', oneOf('--parameterization', ['ntk', 'standard'] as const), 'ntk')
    .option('--depth <L>', 'hidden layers (mlp, linear-net)', nonNegativeInt('--depth'))
    .option('--width <N>', 'hidden width (needed by --mode empirical and by the standard-parameterisation NTK; max 1e6)', positiveInt('--width', LIMITS.width))
    .option('--widths <list>', 'empirical mode: width sweep, e.g. 16,64,256,1024: deviation from the analytic NTK vs 1/√N', numberList('--widths', positiveInt('--widths', LIMITS.width)))
    .option('--sigma-w <s>', 'weight scale σ_w (default 1)', finiteNumber('--sigma-w', { min: 0 }))
    .option('--sigma-b <s>', 'bias scale σ_b (default 1)', finiteNumber('--sigma-b', { min: 0 }))
    .option('--d-in <n>', 'input dimension (default: that of the inputs)', positiveInt('--d-in', LIMITS.dim))
    .option('--d-out <n>', 'number of outputs (analytic: Θ_ab = δ_ab Θ)', positiveInt('--d-out', LIMITS.dim))
    .option('--activation <id>', 'activation for shallow / mlp (relu, erf, identity, tanh, gelu, ...)')
    .option('--no-bias', 'networks without biases')
    .option('--ensemble <M>', 'empirical mode: networks averaged (standard errors need M >= 2)', positiveInt('--ensemble', LIMITS.ensemble), 16)
    .option('--kernel-output <kind>', 'empirical mode: full ([P·d_out]²), trace (mean over outputs, P×P) or diagonal (P)', oneOf('--kernel-output', ['full', 'trace', 'diagonal'] as const), 'trace')
    .option('--method <m>', 'empirical mode: auto, structured (dense layer Jacobians) or vjp (any architecture)', oneOf('--method', ['auto', 'structured', 'vjp'] as const), 'auto')
    .option('--batch <B>', 'empirical VJP mode: inputs per Jacobian block (memory bound)', positiveInt('--batch'))
    .option('--quadrature <rule>', 'numerics for activations without a closed form: series (default), panels or hermite', oneOf('--quadrature', ['series', 'panels', 'hermite'] as const))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym ntk --arch mlp --activation relu --depth 2 --inputs '[[1,0],[0.6,0.8]]' --json\n" +
        "  nnsym ntk --arch relu-net --mode empirical --width 512 --ensemble 32 --inputs '[[1,0],[0.6,0.8]]' --json\n" +
        '  nnsym ntk --arch mlp --depth 2 --mode empirical --widths 16,64,256,1024 --inputs circle:1,6 --d-in 2\n' +        '  nnsym ntk --arch mlp --depth 2 --mode empirical --widths 16,64,256,1024 --inputs circle:1,6 --d-in 2 --shard 0/2 --out w0.json\n' +
        'Analytic mode says so when an architecture has no closed form and points to --mode empirical.\n',
    )
    .action(async (flags: NtkFlags) => {
      const c = ctx();
      const set = parseInputs(flags.inputs, { dIn: flags.dIn, seed: c.seed });
      const rows = inputRows(set);
      if (rows.length > LIMITS.kernelPoints) throw new UsageError(`--inputs: ${rows.length} points make a ${rows.length}x${rows.length} kernel (max ${LIMITS.kernelPoints} points)`, '--inputs');
      if (flags.mode === 'empirical') return runEmpirical(c, flags, rows, set.dIn);
      if (flags.widths) throw new UsageError('--widths is a width sweep of the empirical NTK; add --mode empirical', '--widths');
      const extra = flags.shard ? '--shard' : flags.checkpoint ? '--checkpoint' : flags.resume ? '--resume' : flags.chunk !== undefined ? '--chunk' : flags.resumeFrom ? '--resume-from' : flags.threads > 1 ? '--threads' : undefined;
      if (extra) throw new UsageError(`${extra} applies to --mode empirical (the analytic kernel samples no networks)`, extra);
      let k: AnalyticKernels & { architecture: string; complete: boolean; rowsDone: number };
      // Ctrl-C / SIGTERM: stop after the current block of rows and write the rows done (marked incomplete).
      const stop = interruptible(c, 'ntk', 'stopping after the current block of rows and writing the rows done');
      const bar = progressBar(c, flags, 'ntk');
      try {
        k = await analyticKernelAsync(flags.arch, rows, {
          sigmaW: flags.sigmaW,
          sigmaB: flags.sigmaB,
          dIn: flags.dIn,
          dOut: flags.dOut,
          depth: flags.depth,
          width: flags.width,
          activation: flags.activation,
          parameterization: flags.parameterization,
          bias: flags.bias === false ? false : undefined,
          quadrature: flags.quadrature ? { rule: flags.quadrature } : undefined,
          field: '--inputs',
          signal: stop.signal,
          onProgress: (d, n) => bar?.update(d, n, 'rows'),
        });
      } catch (e) {
        if (e instanceof NoAnalyticKernelError && e.field === 'arch') throw new UsageError(`${e.message.split(';')[0]}; use --mode empirical --width N`, '--arch');
        throw e;
      } finally {
        stop.release();
        bar?.done();
      }
      if (!k.ntk) throw new UsageError(`the standard-parameterisation NTK grows with the width: pass --width N, or use --parameterization ntk`, '--width');
      const ntk = k.ntk;
      const cut = k.complete ? undefined : `${k.rowsDone} of ${k.P} rows`;
      const partial = k.complete ? {} : { complete: false, rowsDone: k.rowsDone, note: `rows and columns 0..${k.rowsDone - 1} are final; the other entries were not computed (null)` };
      if (await emitResult(c, flags, 'ntk', 'float64 (host arithmetic; analytic, no sampling)', () => ({ mode: 'analytic', ...partial, parameterization: k.parameterization, width: k.width, ntk: kernelRows(ntk, k.P), nngp: kernelRows(k.nngp, k.P), ...analyticMeta(k), inputs: rows }), { complete: k.complete })) {
        if (cut) reportInterrupted(c, 'ntk', flags.out, cut);
        return;
      }
      c.out(`NTK of ${k.architecture} (${k.activation}, depth ${k.depth}, ${k.parameterization} parameterisation; ${k.method}; float64)${cut ? ` (INTERRUPTED after ${cut}: "-" not computed)` : ''}:`);
      for (const line of formatMatrix(k.ntk, k.P, undefined, { missing: cut ? '-' : undefined })) c.out(line);
      c.out('NNGP:');
      for (const line of formatMatrix(k.nngp, k.P, undefined, { missing: cut ? '-' : undefined })) c.out(line);
      for (const n of k.notes) c.info(`note: ${n}`);
      if (cut) reportInterrupted(c, 'ntk', flags.out, cut);
    });
  addEnsembleFlags(cmd);
  addRunGridOptions(cmd, { what: 'widths of --widths' });
  registerSweepKind<ConvergenceRow & { method: string }>('ntk-widths', {
    command: 'ntk',
    precision: (k) => String(k?.['precision'] ?? ''),
    payload: (runs, setup, k, missing) => {
      const rep = convergenceReport(runs.map(({ index: _i, method: _m, ...r }) => r));
      const inputs = setup['inputs'] as number[][];
      return {
        mode: 'empirical',
        sweep: rep.rows,
        fitInvSqrt: rep.fitInvSqrt,
        powerLaw: rep.powerLaw,
        method: [...new Set(runs.map((r) => r.method))].join(','),
        ensemble: setup['ensemble'],
        parameterization: setup['parameterization'],
        analytic: k?.['analytic'],
        inputs,
        ...(missing.length ? { missingWidths: missing.map((j) => (setup['widths'] as number[])[j]) } : {}),
      };
    },
    print: (c, p) => {
      const rs = p['sweep'] as ConvergenceRow[];
      const fit = p['fitInvSqrt'] as { c: number; stderr: number };
      const pl = p['powerLaw'] as { slope: number; stderr: number };
      c.out(`empirical NTK of ${(p['setup'] as Record<string, unknown>)['arch']} vs analytic, ${p['ensemble']} networks per width (relative Frobenius deviation r):`);
      c.out('   width        r ± se       √N·r    rel. bias of mean');
      for (const r of rs) c.out(`${String(r.width).padStart(8)}  ${r.meanRelDev.toFixed(4)} ± ${r.stderrRelDev.toFixed(4)}  ${r.scaledDev.toFixed(3).padStart(8)}  ${r.relBias.toFixed(4).padStart(10)}`);
      for (const w of (p['missingWidths'] as number[] | undefined) ?? []) c.out(`${String(w).padStart(8)}  (not run: interrupted)`);
      c.out(`fit r = c/√N: c = ${fit.c.toFixed(3)} ± ${fit.stderr.toFixed(3)};  power law slope ${pl.slope.toFixed(3)} ± ${pl.stderr.toFixed(3)} (expected -0.5)`);
    },
  });
  addHiddenAlias(cmd, '--output <kind>', '--kernel-output', oneOf('--output', ['full', 'trace', 'diagonal'] as const));
}

async function runEmpirical(c: CliContext, f: NtkFlags, rows: number[][], dIn: number): Promise<void> {
  const widths = f.widths ?? (f.width !== undefined ? [f.width] : undefined);
  if (!widths) throw new UsageError('--mode empirical needs --width N (the hidden width of the finite networks) or --widths N1,N2,...', '--width');
  if (f.ensemble < 2) throw new UsageError(`--ensemble ${f.ensemble} is too small for standard errors of the empirical NTK: need at least 2 networks`, '--ensemble');
  const side = f.kernelOutput === 'full' ? rows.length * (f.dOut ?? 1) : rows.length;
  checkMemory({ bytes: 8 * 6 * side * side, what: `${side}x${side} float64 kernel accumulators`, flag: '--inputs', yes: c.options.yes });
  const info = await c.backend();
  const precision = `float32 networks and Jacobians (tfjs ${info.name}), float64 ensemble accumulation`;
  const bar = progressBar(c, f, 'ntk');
  const unit = (w: number) => `networks (N=${w})`;
  if (f.resumeFrom && !f.widths) throw new UsageError('--resume-from continues a width sweep (--widths); one width resumes with --checkpoint FILE --resume', '--resume-from');
  if (f.widths) {
    // A width sweep is a run-index grid: --shard i/n over the widths, --out pieces for `nnsym merge`, --resume-from.
    if (f.checkpoint || f.resume) throw new UsageError(`${f.checkpoint ? '--checkpoint' : '--resume'} saves one ensemble; a --widths sweep resumes from its --out file with --resume-from FILE`, f.checkpoint ? '--checkpoint' : '--resume');
    if (f.chunk !== undefined) throw new UsageError('--chunk sets the chunks of one width\'s ensemble; not with --widths', '--chunk');
    if (f.threads > 1) throw new UsageError('--threads splits one width\'s ensemble; a --widths sweep needs every network\'s kernel in one thread (split it over widths with --shard i/n)', '--threads');
    const ref = tryAnalytic(buildArch(f, widths[0], dIn), rows, f);
    if (!ref.k?.ntk) throw new UsageError(`--widths needs an analytic NTK to converge to: ${ref.why ?? 'none for this architecture'}`, '--widths');
    const ana = ref.k;
    // Standard parameterisation: the analytic NTK scales with the width, so each width has its own reference.
    const analyticAt = (N: number) => (N === widths[0] ? ana.ntk : tryAnalytic(buildArch(f, N, dIn), rows, f).k?.ntk) as Float64Array;
    const { threads: _t, shard: _s, out: _o, progress: _p, resumeFrom: _r, checkpoint: _c, checkpointEvery: _ce, resume: _re, chunk: _ch, ...flags } = f;
    const setup = { ...flags, inputs: rows, seed: c.seed };
    const common = { precision, analytic: { ntk: kernelRows(ana.ntk as Float64Array, rows.length), nngp: kernelRows(ana.nngp, rows.length), width: f.parameterization === 'standard' ? widths[0] : null } };
    await runSweep(c, f, {
      grid: 'ntk-widths',
      setup,
      common,
      n: widths.length,
      unit: 'widths',
      label: 'ntk',
      bar: false, // the per-network bar below
      run: (j) => {
        const N = widths[j];
        let method = '';
        const rep = ntkConvergence({
          widths: [N],
          analytic: f.parameterization === 'standard' ? analyticAt : (ana.ntk as Float64Array),
          precision,
          compute: (w, onMember) => {
            method = architectureNtk(buildArch(f, w, dIn), rows, { ensemble: f.ensemble, seed: c.seed, mode: 'trace', method: f.method, batchSize: f.batch, onMember, onProgress: (d, t) => bar?.update(d, t, unit(w)) }).method;
          },
        });
        return { ...rep.rows[0], method };
      },
    });
    bar?.done();
    return;
  }
  const arch = buildArch(f, widths[0], dIn);
  const t0 = Date.now();
  // On core's ensemble runner (the `empirical-ntk` estimator): --threads, --shard, --checkpoint/--resume.
  const spec = { arch: { id: f.arch, config: archConfig(f, widths[0], dIn) }, points: rows, ensemble: f.ensemble, chunkSize: defaultNtkChunkSize(arch, f.ensemble), seed: c.seed };
  const run = await runEnsembleFlags(c, f, { spec, estimator: { id: 'empirical-ntk', config: { mode: f.kernelOutput, method: f.method, ...(f.batch ? { batchSize: f.batch } : {}) } }, command: 'ntk' });
  if (!run.complete) return;
  const r = empiricalNtkFromPartial(run.partial as Parameters<typeof empiricalNtkFromPartial>[0], arch);
  const seconds = (Date.now() - t0) / 1000;
  const ref = tryAnalytic(arch, rows, f);
  const P = rows.length;
  const shape = (a: Float64Array) => (f.kernelOutput === 'diagonal' ? Array.from(a) : kernelRows(a, r.size));
  let comparison: Record<string, unknown> | undefined;
  if (ref.k?.ntk && f.kernelOutput !== 'full') {
    const diag = (k: Float64Array) => Float64Array.from({ length: P }, (_, i) => k[i * P + i]);
    const ana = f.kernelOutput === 'diagonal' ? diag(ref.k.ntk) : ref.k.ntk;
    comparison = { ntk: kernelDeviation(r.mean, r.stderr, ana), nngp: kernelDeviation(r.nngp.mean, r.nngp.stderr, ref.k.nngp) };
  }
  const payload = {
    mode: 'empirical',
    arch: arch.id,
    width: arch.spec.width,
    depth: arch.spec.depth,
    parameterization: arch.spec.parameterization,
    output: f.kernelOutput,
    method: r.method,
    ensemble: r.M,
    paramCount: r.paramCount,
    seconds,
    ntk: shape(r.mean),
    ntkStderr: shape(r.stderr),
    nngp: kernelRows(r.nngp.mean, P),
    nngpStderr: kernelRows(r.nngp.stderr, P),
    nngpNote: 'Monte-Carlo NNGP from the same networks: (1/d_out) sum_a f_a(x) f_a(x\')',
    analytic: ref.k ? { ntk: ref.k.ntk ? kernelRows(ref.k.ntk, P) : null, nngp: kernelRows(ref.k.nngp, P), method: ref.k.method } : null,
    analyticUnavailable: ref.why,
    deviation: comparison,
    inputs: rows,
  };
  if (await emitResult(c, f, 'ntk', r.precision, payload)) return;
  c.out(`empirical NTK of ${arch.id} (width ${arch.spec.width}, depth ${arch.spec.depth}, ${arch.spec.parameterization ?? 'plugin'} parameterisation; ${r.M} networks, ${r.method}; ${r.precision}):`);
  if (f.kernelOutput === 'diagonal') c.out(Array.from(r.mean, (v, i) => `${v.toPrecision(6)} ± ${r.stderr[i].toPrecision(2)}`).join('  '));
  else {
    for (const line of formatMatrix(r.mean, r.size)) c.out(line);
    // The mean's standard errors (audit L9: the text showed the mean alone).
    c.out(`± standard error (over ${r.M} networks):`);
    for (const line of formatMatrix(r.stderr, r.size)) c.out(line);
  }
  if (comparison) {
    const d = comparison.ntk as ReturnType<typeof kernelDeviation>;
    c.out(`vs analytic (${ref.k?.method}): relative deviation ${d.relFrobenius.toExponential(2)}, max |z| = ${d.maxAbsZ.toFixed(2)} standard errors`);
  } else if (ref.why) c.info(`note: ${ref.why}`);
}

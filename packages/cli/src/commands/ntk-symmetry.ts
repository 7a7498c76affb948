import type { Command } from 'commander';
import { checkMemory, inputRows, LIMITS, parseInputs, UsageError, type Dataset, type NnsymEvent } from '@nnsym/core';
import { loadDataset } from '@nnsym/datasets';
import { groupForSpace } from '@nnsym/groups';
import { analyticNtkInvariance, empiricalNtkInvariance, ntkDriftVsWidth } from '@nnsym/symmetry';
import type { CliContext } from '../context';
import { finiteNumber, nonNegativeInt, numberList, oneOf, positiveInt } from '../flags';
import { addHiddenAlias, addOutputOptions, emitResult, interruptible, progressBar, reportInterrupted } from '../options';

interface SymFlags {
  arch: string;
  group: string;
  inputs: string;
  mode: 'analytic' | 'empirical';
  activation?: string;
  depth?: number;
  width: number;
  sigmaW?: number;
  sigmaB?: number;
  parameterization: 'ntk' | 'standard';
  groupSamples?: number;
  ensemble: number;
  out?: string;
  alpha: number;
  tol?: number;
  dIn?: number;
  progress?: boolean;
}

const ARCH_ACTIVATION: Record<string, string> = { 'relu-net': 'relu', 'erf-net': 'erf', 'tanh-net': 'tanh', 'gauss-net': 'gauss', 'exp-net': 'exp', 'linear-net': 'identity' };

/** `nnsym ntk-symmetry`: is Θ(g·x, g·x') = Θ(x, x')? Analytic (deterministic) or empirical (ensemble test). */
export function registerNtkSymmetry(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('ntk-symmetry')
    .description('invariance of the NTK under a group acting on inputs: analytic (float64, with the predicted verdict) or empirical (ensemble, paired Hotelling test with tail diagnostics: invariant, broken or inconclusive)')
    .requiredOption('--group <id>', 'group acting on inputs: so (alias rotations), o, sym (alias permutations), sign-flips, cyclic, translations, scalings, ...')
    .requiredOption('--inputs <spec>', 'base inputs: JSON, @file.json or a grid (normal:4, sphere:1,5, ...)')
    .option('--arch <id>', 'analytic family (relu-net, erf-net, gauss-net, mlp, ...) or, empirically, a dense MLP of that activation', 'relu-net')
    .option('--mode <mode>', 'analytic or empirical', oneOf('--mode', ['analytic', 'empirical'] as const), 'analytic')
    .option('--activation <id>', 'activation for mlp / shallow')
    .option('--depth <L>', 'hidden layers', nonNegativeInt('--depth'))
    .option('--width <N>', 'empirical mode: hidden width', positiveInt('--width', LIMITS.width), 64)
    .option('--sigma-w <s>', 'σ_w (default 1)', finiteNumber('--sigma-w', { min: 0 }))
    .option('--sigma-b <s>', 'σ_b (default 1)', finiteNumber('--sigma-b', { min: 0 }))
    .option('--parameterization <p>', 'ntk or standard', oneOf('--parameterization', ['ntk', 'standard'] as const), 'ntk')
    .option('--group-samples <S>', 'sampled group elements (analytic 8, empirical 3)', positiveInt('--group-samples', 1e4))
    .option('--ensemble <M>', 'empirical mode: networks', positiveInt('--ensemble', LIMITS.ensemble), 128)
    .option('--alpha <a>', 'empirical mode: significance level', finiteNumber('--alpha', { min: 0, exclusiveMin: true, max: 1 }), 0.05)
    .option('--tol <t>', 'analytic mode: relative deviation counted as invariant (default 1e-8)', finiteNumber('--tol', { min: 0 }))
    .option('--d-in <n>', 'input dimension for grids', positiveInt('--d-in', LIMITS.dim));
  addOutputOptions(cmd, { progress: 'empirical mode: show progress (networks) even when stderr is not a terminal' });
  cmd
    .addHelpText('after', "\nExamples:\n  nnsym ntk-symmetry --arch relu-net --group so --inputs normal:4 --d-in 3\n  nnsym ntk-symmetry --arch gauss-net --group translations --inputs normal:4 --d-in 3 --json\n  nnsym ntk-symmetry --arch relu-net --mode empirical --width 64 --ensemble 128 --group translations --inputs normal:3 --d-in 3\n")
    .action(async (f: SymFlags) => {
      const c = ctx();
      const set = parseInputs(f.inputs, { dIn: f.dIn, seed: c.seed });
      const rows = inputRows(set);
      const group = groupForSpace(f.group, {}, { on: 'inputs', dimension: set.dIn, flag: '--d-in' });
      if (f.mode === 'analytic') {
        const r = analyticNtkInvariance({
          arch: f.arch, group, inputs: rows, samples: f.groupSamples, tolerance: f.tol, seed: c.seed,
          kernel: { activation: f.activation, depth: f.depth, sigmaW: f.sigmaW, sigmaB: f.sigmaB, parameterization: f.parameterization, width: f.parameterization === 'standard' ? f.width : undefined },
        });
        if (await emitResult(c, f, 'ntk-symmetry', 'float64 (analytic kernels, host arithmetic)', { mode: 'analytic', ...r, inputs: rows })) return;
        c.out(`${r.arch} under ${r.group} (${r.samples} sampled elements, float64):`);
        for (const [name, m] of [['NTK ', r.ntk], ['NNGP', r.nngp]] as const) {
          c.out(`  ${name} max|Δ|/max|k| = ${m.relDeviation.toExponential(2)} -> ${m.measured}; predicted ${m.prediction.predicted} (${m.prediction.reason})${m.agrees ? '' : '  ** DISAGREES **'}`);
        }
        return;
      }
      const activation = f.activation ?? ARCH_ACTIVATION[f.arch];
      if (!activation) throw new UsageError(`--arch ${f.arch}: empirical mode needs --activation for a generic MLP`, '--activation');
      await c.backend();
      const net = { dIn: set.dIn, dOut: 1, width: f.width, depth: f.depth ?? 1, activation, sigmaW: f.sigmaW ?? 1, sigmaB: f.sigmaB ?? 1, bias: true, parameterization: f.parameterization };
      // SIGINT/SIGTERM: stop between chunks of networks; the test of the networks done is written, marked incomplete.
      const stop = interruptible(c, 'ntk-symmetry', 'stopping after the current chunk of networks and writing the test of the networks done');
      const bar = progressBar(c, f, 'ntk-symmetry');
      let r: Awaited<ReturnType<typeof empiricalNtkInvariance>>;
      try {
        r = await empiricalNtkInvariance({ net, group, inputs: rows, ensemble: f.ensemble, samples: f.groupSamples, alpha: f.alpha, seed: c.seed, signal: stop.signal, onProgress: (d, t) => bar?.update(d, t, 'networks') });
      } catch (e) {
        // Too few networks done for the test: nothing to keep but the fact.
        if (!stop.interrupted || !(e instanceof UsageError)) throw e;
        await emitResult(c, f, 'ntk-symmetry', 'float32 layer Jacobians (tfjs)', { mode: 'empirical', complete: false, verdict: null, networksPlanned: f.ensemble, note: `interrupted before enough networks for a test (${e.message})` }, { complete: false });
        reportInterrupted(c, 'ntk-symmetry', f.out, 'too few networks for a test');
        return;
      } finally {
        stop.release();
        bar?.done();
      }
      const { interrupted, ...res } = r;
      const cut = interrupted ? `${r.networks} of ${f.ensemble} networks` : undefined;
      const partial = cut ? { complete: false, networksPlanned: f.ensemble, note: `interrupted: the test of the first ${r.networks} networks` } : {};
      if (await emitResult(c, f, 'ntk-symmetry', r.precision, { mode: 'empirical', ...res, inputs: rows, ...partial }, { complete: !cut })) {
        if (cut) reportInterrupted(c, 'ntk-symmetry', f.out, cut);
        return;
      }
      c.out(`empirical NTK (width ${f.width}, ${r.networks} networks) under ${r.group}: ${r.verdict} (Hotelling T² = ${r.statistic.toFixed(2)}, dof ${r.dof} of ${r.components} components, p = ${r.pValue.toExponential(2)}, effect ${r.effectSize.toFixed(4)}, max|z| ${r.maxAbsZ.toFixed(2)})`);
      if (r.verdict === 'inconclusive') c.out(`  inconclusive: ${r.reason}; ${r.suggestedEnsemble === null ? 'no ensemble size is expected to decide it' : `about ${r.suggestedEnsemble} networks would decide it`}`);
      if (cut) reportInterrupted(c, 'ntk-symmetry', f.out, cut);
    });
  addHiddenAlias(cmd, '--tolerance <t>', '--tol', finiteNumber('--tolerance', { min: 0 }));
  addHiddenAlias(cmd, '--samples <S>', '--group-samples', positiveInt('--samples', 1e4));
}

interface DriftFlags {
  widths: number[];
  depth: number;
  activation: string;
  steps: number;
  lr: number;
  parameterization: 'ntk' | 'standard';
  every: number;
  probe: number;
  limitTrain: number;
  repeats: number;
  out?: string;
  dataset: 'teacher-student' | 'mnist';
  dIn: number;
  classes: number;
  events?: boolean;
}

/** `nnsym ntk-drift`: ‖Θ_t − Θ_0‖_F / ‖Θ_0‖_F during training against the width (lazy regime). */
export function registerNtkDrift(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('ntk-drift')
    .description('kernel drift ‖Θ_t − Θ_0‖/‖Θ_0‖ of the empirical NTK on a probe set while training, against the width (metric events `ntk-drift`)')
    .option('--widths <list>', 'hidden widths', numberList('--widths', positiveInt('--widths', LIMITS.width)), [64, 256, 1024])
    .option('--depth <L>', 'hidden layers', positiveInt('--depth'), 1)
    .option('--activation <id>', 'activation', 'relu')
    .option('--steps <n>', 'full-batch gradient-descent steps', positiveInt('--steps'), 100)
    .option('--lr <η>', 'learning rate (NTK parameterisation; standard: divided by N)', finiteNumber('--lr', { min: 0, exclusiveMin: true }), 1)
    .option('--parameterization <p>', 'ntk (per-layer rate σ²/fan_in) or standard (global rate lr/N)', oneOf('--parameterization', ['ntk', 'standard'] as const), 'ntk')
    .option('--every <K>', 'measure Θ every K steps', positiveInt('--every'), 10)
    .option('--probe <P>', 'probe inputs (from the test split; at most 10000)', positiveInt('--probe', 10000), 16)
    .option('--limit-train <n>', 'training examples (full batch)', positiveInt('--limit-train', 60000), 256)
    .option('--repeats <r>', 'independent initialisations per width', positiveInt('--repeats'), 1)
    .option('--dataset <id>', 'teacher-student or mnist', oneOf('--dataset', ['teacher-student', 'mnist'] as const), 'teacher-student')
    .option('--d-in <n>', 'teacher-student input dimension', positiveInt('--d-in'), 10)
    .option('--classes <n>', 'teacher-student classes', positiveInt('--classes'), 3)
    .option('--events', 'write every training event (JSONL) to stdout instead of the table');
  addOutputOptions(cmd, { progress: false });
  cmd
    .addHelpText('after', '\nExamples:\n  nnsym ntk-drift --widths 64,256,1024,4096 --steps 100 --repeats 3\n  nnsym ntk-drift --dataset mnist --limit-train 256 --widths 128,512,2048 --steps 50 --json\n')
    .action(async (f: DriftFlags) => {
      const c = ctx();
      // Memory of the probe Jacobians and kernels, before allocating (the wasm heap is at most 4 GB).
      const W = Math.max(...f.widths);
      const outDim = f.dataset === 'mnist' ? 10 : f.classes;
      const dIn = f.dataset === 'mnist' ? 784 : f.dIn;
      const params = dIn * W + (f.depth - 1) * W * W + W * outDim + f.depth * W + outDim;
      const rowsJ = f.probe * outDim;
      checkMemory({ bytes: 4 * rowsJ * params + 8 * 4 * rowsJ * rowsJ, what: `Jacobians of ${f.probe} probe inputs x ${outDim} outputs x ${params} parameters`, flag: f.probe > 64 ? '--probe' : '--widths', yes: c.options.yes, budget: 2 ** 31 });
      await c.backend();
      const seed = typeof c.seed === 'number' ? c.seed : 0;
      const ds: Dataset = f.dataset === 'mnist' ? await loadDataset('mnist') : await loadDataset('teacher-student', { d: f.dIn, hidden: 20, classes: f.classes, nTrain: f.limitTrain, nTest: Math.max(f.probe, 16), seed });
      const onEvent = f.events ? (e: NnsymEvent, width: number, repeat: number) => c.out(JSON.stringify({ width, repeat, ...e })) : (e: NnsymEvent, width: number) => e.type === 'metric' && e.name === 'ntk-drift' && c.info(`N=${width} step ${e.step}: drift ${e.values.drift.toExponential(3)}`);
      // SIGINT/SIGTERM: the training run stops at its next step; its width is dropped and the widths finished are kept.
      const stop = interruptible(c, 'ntk-drift', 'stopping the current training run and writing the widths finished');
      let r: Awaited<ReturnType<typeof ntkDriftVsWidth>>;
      try {
        r = await ntkDriftVsWidth({ dataset: ds, widths: f.widths, depth: f.depth, activation: f.activation, steps: f.steps, lr: f.lr, parameterization: f.parameterization, every: f.every, probe: f.probe, nTrain: f.limitTrain, repeats: f.repeats, seed: c.seed, onEvent, signal: stop.signal });
      } finally {
        stop.release();
      }
      const { interrupted, ...study } = r;
      const missingWidths = f.widths.slice(r.rows.length);
      const cut = interrupted ? `${r.rows.length} of ${f.widths.length} widths` : undefined;
      if (f.events) {
        if (cut) reportInterrupted(c, 'ntk-drift', undefined, cut);
        return;
      }
      const partial = cut ? { complete: false, missingWidths, note: 'interrupted: the widths in "rows" are final; the run in training was dropped' } : {};
      if (await emitResult(c, f, 'ntk-drift', r.precision, { ...study, dataset: ds.id, parameterization: f.parameterization, ...partial }, { complete: !cut })) {
        if (cut) reportInterrupted(c, 'ntk-drift', f.out, cut);
        return;
      }
      c.out(`kernel drift after ${r.steps} steps (${f.parameterization} parameterisation, ${ds.id}, ${f.repeats} repeat(s)):`);
      c.out('   width   drift ± se            √N·drift   final loss');
      for (const row of r.rows) c.out(`${String(row.width).padStart(8)}   ${row.finalDrift.toExponential(3)} ± ${Number.isNaN(row.finalDriftSe) ? '   -    ' : row.finalDriftSe.toExponential(1)}   ${row.scaledDrift.toFixed(4).padStart(8)}   ${row.finalLoss.toFixed(4)}`);
      for (const w of missingWidths) c.out(`${String(w).padStart(8)}   (not run: interrupted)`);
      c.out(`log-log slope ${r.slope.toFixed(3)}${f.repeats > 1 && Number.isFinite(r.slopeStderr) ? ` ± ${r.slopeStderr.toFixed(3)}` : ''} (lazy-regime bound −0.5; 1/N expected from the NTK hierarchy)`);
      if (cut) reportInterrupted(c, 'ntk-drift', f.out, cut);
    });
  addHiddenAlias(cmd, '--d <n>', '--d-in', positiveInt('--d'));
  addHiddenAlias(cmd, '--n-train <n>', '--limit-train', positiveInt('--n-train', 60000));
}

import { type Command, Option } from 'commander';
import { checkMemory, inputRows, LIMITS, parseInputs, plugins, UsageError } from '@nnsym/core';
import { parseInitSpec } from '@nnsym/distributions';
import { tupleCount } from '@nnsym/correlators';
import { groupForSpace, type GroupAction } from '@nnsym/groups';
import {
  calibrationBattery,
  runCalibration,
  type CalibrationRow,
  coreEnsembleSource,
  invarianceRepeatSeed,
  summarizeInvarianceRepeats,
  trainedEnsembleChunks,
  trainedParameterSide,
  type EnsembleSource,
  type TrainingTask,
  REFERENCE_ARCHS,
  referenceSource,
  runSymmetryStudy,
  runSymmetryStudyUntil,
  symmetryStudySpec,
  type StudyEnsemble,
  type SymmetryStudyOptions,
  type SymmetryStudyResult,
  type SymmetryStudyRun,
} from '@nnsym/symmetry';
import type { CliContext } from '../context';
import { finiteNumber, numberList, oneOf, positiveInt } from '../flags';
import {
  addEnsembleFlags, addHiddenAlias, addOutputOptions, addRunGridOptions, checkExactFlags, emitResult, finalizeEnsemblePartial, interruptible, progressBar, reportInterrupted, registerSweepKind, runEnsembleFlags, runExactSymmetry, runSweep,
  wantsEnsembleRun, type EnsembleRunFlags, type RunGridFlags, type SymmetryDesignFlags,
} from '../options';

interface SymmetryOptions extends EnsembleRunFlags, RunGridFlags, SymmetryDesignFlags {
  arch: string;
  dIn: number;
  dOut: number;
  width: number;
  ensemble: number;
  inputs?: string;
  group: string;
  groupConfig?: string;
  alpha: number;
  method: 'per-order' | 'hotelling' | 'bonferroni';
  calibrate?: 'full' | 'ci';
  predict?: boolean;
  widths?: number[];
  repeats?: number;
  engine: 'core' | 'reference' | 'exact';
  init?: string;
  train?: string;
}

/** Parse `--train '{"inputs": [[0.5]], "targets": [[1, 0, 0]], "steps": 200, "lr": 0.05}'`. */
function parseTask(raw: string, dIn: number, dOut: number): TrainingTask {
  const o = parseJsonObject(raw, '--train');
  const pts = (v: unknown, d: number, what: string): Float64Array[] => {
    if (!Array.isArray(v) || v.length === 0) throw new UsageError(`--train: "${what}" must be a non-empty array of points`, '--train');
    return v.map((p, i) => {
      const arr = typeof p === 'number' ? [p] : p;
      if (!Array.isArray(arr) || arr.length !== d || !arr.every((t) => typeof t === 'number' && Number.isFinite(t))) {
        throw new UsageError(`--train: ${what}[${i}] must be ${d} finite number(s)`, '--train');
      }
      return Float64Array.from(arr as number[]);
    });
  };
  const inputs = pts(o.inputs, dIn, 'inputs');
  const targets = pts(o.targets, dOut, 'targets');
  if (inputs.length !== targets.length) throw new UsageError(`--train: ${inputs.length} inputs but ${targets.length} targets`, '--train');
  const num = (k: string) => (o[k] === undefined ? undefined : typeof o[k] === 'number' && (o[k] as number) > 0 ? (o[k] as number) : (() => { throw new UsageError(`--train: "${k}" must be a positive number`, '--train'); })());
  return { inputs, targets, steps: num('steps'), lr: num('lr') };
}

function parseJsonObject(raw: string | undefined, flag: string): Record<string, unknown> {
  if (raw === undefined) return {};
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new UsageError(`${flag} must be a JSON object, e.g. '{"n": 5}', got ${raw}`, flag);
}

const fmt = (x: number) => (x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4));

function orderLine(r: SymmetryStudyResult): string {
  if (!r.orderTests?.length || r.method !== 'per-order') {
    const orders = Object.keys(r.perOrder);
    return orders.length > 1 ? ` [${orders.map((n) => `order ${n}: p=${fmt(r.perOrder[n].pValue)}`).join(', ')}]` : '';
  }
  const cells = r.orderTests.map((o) => `order ${o.order}: p=${fmt(o.pValue)} (Holm ${fmt(o.adjustedPValue)}) rank ${o.rank}/${o.components}${o.rejects ? (o.supported ? '' : ' UNSUPPORTED') : ''}`);
  return ` [${cells.join('; ')}]`;
}

function row(r: SymmetryStudyResult, label = ''): string {
  const pred = r.predicted === 'unknown' ? 'unknown' : `${r.predicted} (${r.agree === null ? 'undecided' : r.agree ? 'agree' : 'DISAGREE'})`;
  const unbroken = r.unbroken ? `  | ${r.unbroken.group}: ${r.unbroken.verdict} p=${fmt(r.unbroken.pValue)}` : '';
  const line = `${label}${r.group.padEnd(26)} ${r.on.padEnd(7)} ${r.verdict.padEnd(12)} p=${fmt(r.pValue).padEnd(9)} T2=${fmt(r.statistic).padEnd(9)} dof=${String(r.dof).padEnd(4)} effect${r.perOrder['2'] ? '(G2)' : ''}=${fmt((r.perOrder['2'] ?? r.joint).effectSize).padEnd(9)} predicted=${pred}${orderLine(r)}${unbroken}`;
  if (r.verdict !== 'inconclusive') return line;
  const m = r.suggestedEnsemble === null ? 'no ensemble size is expected to decide it (use a larger --width, smaller group elements or a lower order)' : `an ensemble of about ${r.suggestedEnsemble} networks would decide it`;
  return `${line}\n  inconclusive: ${r.reason}; ${m}`;
}

function calibrationTable(rows: CalibrationRow[]): string[] {
  const pct = (x: number) => x.toFixed(3);
  const out = ['case                 kind         M     N   broken            95% CI (Clopper-Pearson)  inconclusive  invariant  s'];
  for (const r of rows) {
    out.push(`${r.id.padEnd(20)} ${r.kind.padEnd(12)} ${String(r.networks).padEnd(5)} ${String(r.width).padEnd(3)} ${`${r.broken}/${r.repeat}`.padEnd(17)} [${pct(r.brokenInterval[0])}, ${pct(r.brokenInterval[1])}]          ${`${r.inconclusive}/${r.repeat}`.padEnd(13)} ${`${r.invariant}/${r.repeat}`.padEnd(10)} ${r.seconds.toFixed(1)}`);
  }
  return out;
}

function summary(r: SymmetryStudyResult): Record<string, unknown> {
  const { joint: _joint, ...rest } = r;
  return rest;
}

/** `nnsym symmetry`: test a symmetry of the network density through its correlators (arXiv 2106.00694). */
export function registerSymmetry(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('symmetry')
    .description('test whether an ensemble\'s correlators are invariant under a group (paired Hotelling test of ΔG = G(g·) − G per order, Holm-combined; invariant, broken or inconclusive) and compare with the parameter-side prediction (Maiti-Halverson-Stoner, arXiv 2106.00694)')
    .option('--arch <id>', 'architecture (a registered id, see `nnsym list`; --engine reference: single-hidden-layer families only)', 'gauss-net')
    .option('--d-in <a>', "input dimension (default: the inputs' dimension, else 1)", positiveInt('--d-in', LIMITS.dim))
    .option('--d-out <b>', 'output dimension', positiveInt('--d-out', LIMITS.dim), 1)
    .option('--width <N>', 'hidden width', positiveInt('--width', LIMITS.width), 100)
    .option('--ensemble <M>', 'number of networks', positiveInt('--ensemble', LIMITS.ensemble), 10000)
    .option('--inputs <json>', 'input points: JSON array (a number is a 1-D point), @file.json or a grid such as linspace:-1,1,3; default one point (0.5, …, 0.5)')
    .option('--group <id>', 'registered group-action id, or "auto" for every applicable one (see `nnsym list`)', 'so')
    .option('--group-config <json>', 'group config as JSON; n defaults to the dimension acted on, e.g. \'{"fixRowBlock": 1}\'')
    .addOption(new Option('--on <space>', 'what the group acts on').default('outputs').argParser(oneOf('--on', ['inputs', 'outputs'] as const)))
    .option('--orders <list>', 'even correlator orders', numberList('--orders', positiveInt('--orders')), [2, 4])
    .option('--break-mean <mu>', 'mean μ of W1 rows 0..k-1 (breaks SO(d_out) to the stabiliser)', finiteNumber('--break-mean'))
    .option('--break-rows <k>', 'number of W1 rows with mean μ', positiveInt('--break-rows'), 1)
    .option('--input-mean <mu0>', 'mean of every W0 entry (breaks SO(d_in))', finiteNumber('--input-mean'))
    .option('--sigma-w <s>', 'σ_w', finiteNumber('--sigma-w', { min: 0, exclusiveMin: true }), 1)
    .option('--sigma-b <s>', 'σ_b', finiteNumber('--sigma-b', { min: 0 }), 1)
    .option('--group-samples <S>', 'sampled group elements g', positiveInt('--group-samples', 1e4), 4)
    .option('--max-components <K>', 'cap on (g, tuple) components in the joint test (default min(120, M/10))', positiveInt('--max-components'))
    .option('--alpha <a>', 'significance level of the verdict', finiteNumber('--alpha', { min: 0, exclusiveMin: true, max: 1 }), 0.05)
    .addOption(new Option('--method <m>', 'per-order (one Hotelling test per order, Holm-combined, with tail diagnostics that can say "inconclusive"), hotelling (one joint F test) or bonferroni').default('per-order').argParser(oneOf('--method', ['per-order', 'hotelling', 'bonferroni'] as const)))
    .addOption(new Option('--calibrate [battery]', 'run the calibration battery (null and breaking cases, --repeats each, default 100) and print size and power with Clopper-Pearson intervals; "ci" is the reduced set').preset('full').argParser(oneOf('--calibrate', ['full', 'ci'] as const)))
    .option('--predict', 'require a parameter-side prediction (error if the architecture or group has no symmetry metadata)')
    .option('--widths <list>', 'sweep these widths (one row each; --shard i/n --out runs widths j ≡ i mod n, `nnsym merge` joins the pieces)', numberList('--widths', positiveInt('--widths')))
    .option('--repeats <R>', 'repeat with R independent ensembles (derived seeds) and report the "broken" rate (calibration / power)', positiveInt('--repeats', LIMITS.repeats))
    .option('--init <spec>', "parameter init spec (@nnsym/distributions), e.g. 'Wout=laplace' or 'mean-rows(k=2,mu=0.5)'; the breaking flags are added to it")
    .option('--train <json>', 'train every network first (full-batch GD on MSE, float64 host; relu-net, tanh-net, gauss-net): {"inputs": [[x]], "targets": [[y1,..]], "steps": 200, "lr": 0.05}')
    .addOption(
      new Option('--engine <e>', `core: the tfjs ensemble runner (float32); reference: float64 host evaluator of ${REFERENCE_ARCHS.join(', ')}; exact: exact-in-N correlators (architectures declaring the exact engine), no Monte Carlo: invariant/broken by |ΔG| against its float64 rounding bound`)
        .default('core')
        .argParser(oneOf('--engine', ['core', 'reference', 'exact'] as const)),
    );
  addOutputOptions(cmd);
  cmd
    .addHelpText(
      'after',
      "\nNetworks come from core's ensemble runner (float32, any registered architecture, --init specs) or, with\n" +
        '--engine reference, a float64 host evaluator of the single-hidden-layer families; statistics are float64.\n' +
        'Output symmetries transform each network\'s outputs by ρ(g); input symmetries evaluate the same networks on x and g·x.\n\n' +
        'Examples:\n' +
        '  nnsym symmetry --arch gauss-net --d-out 5 --width 100 --ensemble 20000 --inputs "[1]" --group so --on outputs --json\n' +
        '  nnsym symmetry --d-out 5 --break-mean 0.5 --break-rows 1 --group so          # broken; SO(4) = Stab(e0) survives\n' +
        '  nnsym symmetry --d-in 3 --inputs "[[0.5,-0.3,0.8]]" --group auto --on inputs\n' +
        '  nnsym symmetry --d-out 2 --ensemble 2000 --repeats 100 --orders 2            # calibration: broken rate ≈ α\n' +
        '  nnsym symmetry --calibrate --repeats 100                                      # size and power table of the battery\n' +
        "  nnsym symmetry --engine exact --d-in 1 --inputs '[0.3,0.8]' --group translations --on inputs --width 10  # no Monte Carlo\n" +
        '  nnsym symmetry --d-out 3 --widths 10,20,40,80 --shard 1/4 --out w1.json          # one piece; nnsym merge w*.json\n' +
        '  nnsym symmetry --arch tanh-net --d-out 3 --width 20 --ensemble 3000 --inputs "[1]" --train \'{"inputs":[[0.5]],"targets":[[1,0,0]]}\'\n',
    )
    .action(async (o: SymmetryOptions) => {
      const c = ctx();
      if (o.engine === 'exact') checkExactFlags(o);
      if (o.calibrate) {
        const extra = o.shard ? '--shard' : o.checkpoint ? '--checkpoint' : o.resume ? '--resume' : o.chunk !== undefined ? '--chunk' : o.resumeFrom ? '--resume-from' : o.threads > 1 ? '--threads' : undefined;
        if (extra) throw new UsageError(`${extra} does not apply to --calibrate (its battery runs in one process)`, extra);
        if (o.engine === 'core') await c.backend();
        const bar = progressBar(c, o, 'calibrate');
        const repeat = o.repeats ?? 100;
        const cases = calibrationBattery(o.calibrate);
        // SIGINT/SIGTERM: finish the case in progress (its repeats), keep the cases done.
        const stop = interruptible(c, 'symmetry', 'finishing the current calibration case and writing the cases done');
        let rows: CalibrationRow[];
        try {
          rows = await runCalibration({
            cases,
            repeat,
            alpha: o.alpha,
            seed: c.seed,
            source: o.engine === 'core' ? coreEnsembleSource : referenceSource,
            onCase: (_r, i, total) => bar?.update(i + 1, total, 'cases'),
            signal: stop.signal,
          });
        } finally {
          stop.release();
          bar?.done();
        }
        const missingCases = cases.slice(rows.length).map((k) => k.id);
        const cut = missingCases.length ? `${rows.length} of ${cases.length} calibration cases` : undefined;
        const precision = o.engine === 'core' ? 'float32 network outputs (tfjs ensemble runner), float64 statistics' : 'float64 host evaluation of the networks, float64 statistics';
        if (!(await emitResult(c, o, 'symmetry', precision, { calibration: o.calibrate, repeat, alpha: o.alpha, engine: o.engine, cases: rows, ...(cut ? { complete: false, missingCases } : {}) }, { complete: !cut }))) {
          c.out(`calibration battery "${o.calibrate}", ${repeat} ensembles per case, α = ${o.alpha}, engine ${o.engine}, method per-order (size: "broken" rate of null cases; power: of alternatives)`);
          for (const l of calibrationTable(rows)) c.out(l);
          for (const id of missingCases) c.out(`${id.padEnd(20)} (not run: interrupted)`);
        }
        if (cut) reportInterrupted(c, 'symmetry', o.out, cut);
        return;
      }
      if (o.engine === 'reference' && !(REFERENCE_ARCHS as readonly string[]).includes(o.arch)) {
        throw new UsageError(`--arch: --engine reference evaluates ${REFERENCE_ARCHS.join(', ')}; got "${o.arch}" (use --engine core)`, '--arch');
      }
      if (o.engine === 'reference' && o.init) throw new UsageError('--init needs --engine core', '--init');
      const init = o.init ? parseInitSpec(o.init, '--init') : undefined;
      // L6: --d-in defaults to the inputs' dimension (JSON rows or a grid that fixes it), else 1.
      o.dIn ??= o.inputs === undefined ? 1 : parseInputs(o.inputs, { seed: c.seed }).dIn;
      const task = o.train ? parseTask(o.train, o.dIn, o.dOut) : undefined;
      if (task && !['relu-net', 'tanh-net', 'gauss-net'].includes(o.arch)) throw new UsageError(`--train: trained ensembles support relu-net, tanh-net, gauss-net; got --arch ${o.arch}`, '--train');
      if (task && (o.init || o.breakMean || o.inputMean)) throw new UsageError('--train: combine it with the default init only (no --init, --break-mean, --input-mean)', '--train');
      if (o.engine === 'core' && !task) await c.backend();
      const trainedSpec = { arch: o.arch as 'relu-net' | 'tanh-net' | 'gauss-net', dIn: o.dIn, dOut: o.dOut, sw: o.sigmaW, sb: o.sigmaB };
      const trainedSource: EnsembleSource | undefined = task
        ? Object.assign((e: StudyEnsemble, points: readonly Float64Array[], seed: string | number) => trainedEnsembleChunks({ ...trainedSpec, width: e.width, networks: e.networks }, task, points, seed), { precision: 'float64 (host, trained by full-batch GD)' })
        : undefined;
      if (o.orders.some((n) => n % 2 !== 0)) throw new UsageError(`--orders: correlator orders must be even, got ${o.orders.join(',')}`, '--orders');
      const inputs = o.inputs === undefined ? [new Float64Array(o.dIn).fill(0.5)] : inputRows(parseInputs(o.inputs, { dIn: o.dIn, seed: c.seed })).map((r) => Float64Array.from(r));
      // Memory of the paired covariance before allocating: k = (group samples) x (correlator tuples) components, k² float64.
      const Q = inputs.length * o.dOut;
      const tuples = o.orders.reduce((t, n) => t + tupleCount(Q, n), 0);
      const comps = o.groupSamples * tuples;
      checkMemory({ bytes: 8 * comps * comps * 2, what: `a ${comps.toExponential(1)}-component covariance (${o.groupSamples} group samples x ${tuples} tuples)`, flag: o.groupSamples > 16 ? '--group-samples' : o.dOut > 8 ? '--d-out' : '--orders', yes: c.options.yes });
      const space = { on: o.on, dimension: o.on === 'inputs' ? o.dIn : o.dOut, flag: o.on === 'inputs' ? '--d-in' : '--d-out' };
      const groupConfig = parseJsonObject(o.groupConfig, '--group-config');
      if ((o.group === 'so' || o.group === 'o') && space.dimension === 1) c.info(`symmetry: warning: ${o.group === 'so' ? 'SO(1) is trivial' : 'O(1) is only a sign flip'} on a 1-dimensional ${o.on === 'inputs' ? 'input' : 'output'}; use ${space.flag} >= 2 for a real test`);
      if (o.ensemble < 100) c.info(`symmetry: warning: --ensemble ${o.ensemble} is small: the covariance of the test statistic is poorly estimated below ~100 networks`);
      let groups: GroupAction[];
      if (o.group === 'auto') {
        groups = [];
        for (const id of plugins.kind('group-action').ids()) {
          try {
            groups.push(groupForSpace(id, {}, space));
          } catch {
            // not applicable to this space (dimension, non-linear on outputs, needs config)
          }
        }
        if (groups.length === 0) throw new UsageError(`--group auto: no registered group acts on the ${o.on} (dimension ${space.dimension})`, '--group');
      } else {
        groups = [groupForSpace(o.group, groupConfig, space)];
      }
      if (o.engine === 'exact') return runExactSymmetry(c, o, groups, inputs, c.seed);
      const ens = (width: number): StudyEnsemble => ({
        arch: o.arch,
        dIn: o.dIn,
        dOut: o.dOut,
        width,
        networks: o.ensemble,
        sw: o.sigmaW,
        sb: o.sigmaB,
        breakMean: o.breakMean,
        breakRows: o.breakRows,
        inputMean: o.inputMean,
        init,
      });
      const studyOptions = (group: GroupAction, width: number, seed: number | string): SymmetryStudyOptions => ({
          ensemble: ens(width),
          inputs,
          group,
          on: o.on,
          orders: o.orders,
          samples: o.groupSamples,
          maxComponents: o.maxComponents,
          alpha: o.alpha,
          method: o.method,
          seed,
          requirePrediction: o.predict,
          source: trainedSource ?? (o.engine === 'core' ? coreEnsembleSource : referenceSource),
          side: task ? trainedParameterSide({ ...trainedSpec, width, networks: o.ensemble }, task) : undefined,
        });
      const precision = o.engine === 'core' ? 'float32 network outputs (tfjs ensemble runner), float64 statistics' : 'float64 host evaluation of the networks, float64 statistics';
      const bar = progressBar(c, o, 'symmetry');

      // Sweeps (--widths, --repeats, --group auto) are run-index grids: --shard i/n over their runs, --out pieces that
      // `nnsym merge` joins, --resume-from; --threads splits each run's ensemble (core's runner).
      const grid = o.repeats ? 'symmetry-repeats' : o.widths ? 'symmetry-widths' : o.group === 'auto' ? 'symmetry-groups' : undefined;
      if (!grid && o.resumeFrom) throw new UsageError('--resume-from continues a sweep (--widths, --repeats or --group auto); one study resumes with --checkpoint FILE --resume', '--resume-from');
      if (grid) {
        const what = '--widths, --repeats and --group auto';
        if (o.checkpoint || o.resume) throw new UsageError(`${o.checkpoint ? '--checkpoint' : '--resume'} saves one ensemble; ${what} resume from their --out file with --resume-from FILE`, o.checkpoint ? '--checkpoint' : '--resume');
        if (o.chunk !== undefined) throw new UsageError(`--chunk sets the chunks of one study's ensemble; not with ${what}`, '--chunk');
        if (o.threads > 1 && (o.engine !== 'core' || task)) throw new UsageError('--threads splits an ensemble over worker threads of core\'s runner: needs --engine core and no --train', '--threads');
        const group = groups[0];
        const width = o.widths?.[0] ?? o.width;
        const run = o.threads > 1 ? { run: { threads: o.threads } } : {};
        const studyRun = async (g: GroupAction, w: number, seed: number | string) => {
          const r = await runSymmetryStudy({ ...studyOptions(g, w, seed), ...run });
          return { ...summary(r), jointEffectSize: r.joint.effectSize };
        };
        const setup = { ...sweepSetup(o), inputs: inputs.map((x) => Array.from(x)), seed: c.seed };
        const common = { group: grid === 'symmetry-groups' ? 'auto' : group.name, groups: groups.map((g) => g.name), on: o.on, precision };
        const n = o.repeats ?? o.widths?.length ?? groups.length;
        const runOne = async (j: number): Promise<Record<string, unknown>> => {
          if (grid === 'symmetry-repeats') {
            const r = await runSymmetryStudy({ ...studyOptions(group, width, invarianceRepeatSeed(c.seed, j)), ...run });
            return { verdict: r.verdict, pValue: r.pValue, predicted: r.predicted, unbrokenSubgroup: r.unbrokenSubgroup };
          }
          const w = (o.widths ?? [])[j];
          return grid === 'symmetry-widths' ? { width: w, ...(await studyRun(group, w, c.seed)) } : studyRun(groups[j], o.width, c.seed);
        };
        await runSweep(c, o, { grid, setup, common, n, run: runOne, unit: grid === 'symmetry-repeats' ? 'ensembles' : grid === 'symmetry-widths' ? 'widths' : 'groups', label: 'symmetry' });
        return;
      }

      // One group (--group auto is a sweep above). Ctrl-C / SIGTERM stop between chunks of networks (and before the
      // unbroken subgroup's test): the test of the networks done is written, marked incomplete; on core's runner
      // with the ensemble partial, which `--checkpoint FILE --resume` continues bit-identically.
      const group = groups[0];
      let run: SymmetryStudyRun;
      const stop = interruptible(c, 'symmetry', 'stopping after the current chunk of networks and writing what was computed');
      try {
        if (wantsEnsembleRun(o)) {
          const given = o.shard ? '--shard' : o.checkpoint ? '--checkpoint' : o.resume ? '--resume' : o.chunk !== undefined ? '--chunk' : '--threads';
          if (o.engine !== 'core' || task) throw new UsageError(`${given} runs the study on core's ensemble runner: needs --engine core and no --train (or shard a --repeats/--widths sweep)`, given);
          stop.release();
          const er = await runEnsembleFlags(c, o, { ...symmetryStudySpec(studyOptions(group, o.width, c.seed)), command: 'symmetry' });
          if (!er.complete) return;
          run = { complete: true, networks: er.partial.networks, planned: o.ensemble, result: finalizeEnsemblePartial(er.partial).result as SymmetryStudyResult };
        } else {
          run = await runSymmetryStudyUntil({ ...studyOptions(group, o.width, c.seed), signal: stop.signal, onProgress: (d, t) => bar?.update(d, t, 'networks') });
        }
      } finally {
        stop.release();
        bar?.done();
      }
      const r = run.result;
      if (run.complete && r) {
        if (!(await emitResult(c, o, 'symmetry', precision, summary(r), { complete: true }))) c.out(row(r));
        return;
      }
      const cut = run.networks < run.planned ? `${run.networks} of ${run.planned} networks` : `the test of ${group.name} (the unbroken subgroup's test not run)`;
      const resumable = run.partial && o.out ? `; continue with --checkpoint ${o.out} --resume` : '';
      const payload = {
        ...(r ? summary(r) : { group: group.name, groupId: group.id, on: o.on, verdict: null }),
        complete: false,
        networksDone: run.networks,
        networksPlanned: run.planned,
        note: r
          ? run.networks < run.planned ? `interrupted: the test of the first ${run.networks} networks (chunks in the seed order of an uninterrupted run); no unbroken-subgroup test` : 'interrupted before the unbroken subgroup\'s test'
          : `interrupted after ${run.networks} networks, too few for a test`,
        ...(run.partial ? { partial: run.partial } : {}),
      };
      if (!(await emitResult(c, o, 'symmetry', precision, payload, { complete: false }))) {
        c.out(r ? `${row(r)}\n  (INTERRUPTED after ${cut})` : `${group.name.padEnd(26)} (INTERRUPTED after ${cut}: too few networks for a test)`);
      }
      c.info(`symmetry: interrupted after ${cut}; the partial result (marked incomplete) ${o.out ? `is in ${o.out}` : 'was printed'}${resumable}`);
      c.exitCode = 130;
    });
  addEnsembleFlags(cmd);
  addRunGridOptions(cmd, { what: 'runs (widths, repeats, or groups of --group auto)' });
  registerSymmetrySweeps();
  addHiddenAlias(cmd, '--repeat <R>', '--repeats', positiveInt('--repeat', LIMITS.repeats));
  addHiddenAlias(cmd, '--samples <S>', '--group-samples', positiveInt('--samples', 1e4));
}

/** Every flag that determines a sweep's runs (what its pieces must share); threads, output and progress do not. */
function sweepSetup(o: SymmetryOptions): Record<string, unknown> {
  const { threads: _t, shard: _s, out: _o, progress: _p, resumeFrom: _r, checkpoint: _c, checkpointEvery: _ce, resume: _re, chunk: _ch, ...rest } = o as SymmetryOptions & Record<string, unknown>;
  return rest;
}

type StudyRow = Record<string, unknown> & { jointEffectSize: number };
const studyRow = ({ index: _i, jointEffectSize: _j, ...r }: StudyRow & { index?: number }): Record<string, unknown> => r;
const printRow = (c: CliContext, r: StudyRow, label = '') => c.out(row({ ...r, joint: { effectSize: r.jointEffectSize } } as unknown as SymmetryStudyResult, label));

/** The sweep kinds of `nnsym symmetry`: their results from the runs, for the command and for `nnsym merge`. */
function registerSymmetrySweeps(): void {
  const precision = (k?: Record<string, unknown>) => String(k?.['precision'] ?? '');
  registerSweepKind<StudyRow>('symmetry-widths', {
    command: 'symmetry',
    precision,
    payload: (runs, setup, k, missing) => ({ group: k?.['group'], on: k?.['on'], sweep: runs.map(studyRow), ...(missing.length ? { complete: false, missingWidths: missing.map((j) => (setup['widths'] as number[])[j]) } : {}) }),
    print: (c, p, runs) => {
      for (const r of runs) printRow(c, r, `N=${String(r['width']).padEnd(6)} `);
      for (const w of (p['missingWidths'] as number[] | undefined) ?? []) c.out(`N=${String(w).padEnd(6)} (not run: interrupted)`);
    },
  });
  registerSweepKind<StudyRow>('symmetry-groups', {
    command: 'symmetry',
    precision,
    payload: (runs, _setup, k, missing) => ({ group: 'auto', on: k?.['on'], results: runs.map(studyRow), ...(missing.length ? { complete: false, missingGroups: missing.map((j) => (k?.['groups'] as string[])[j]) } : {}) }),
    print: (c, p, runs) => {
      for (const r of runs) printRow(c, r);
      for (const g of (p['missingGroups'] as string[] | undefined) ?? []) c.out(`${g.padEnd(26)} (not run: interrupted)`);
    },
  });
  type Rep = { verdict: SymmetryStudyResult['verdict']; pValue: number; predicted: string; unbrokenSubgroup: string | null };
  registerSweepKind<Rep>('symmetry-repeats', {
    command: 'symmetry',
    precision,
    payload: (runs, setup, k) => {
      if (runs.length === 0) return { group: k?.['group'], on: k?.['on'], repeat: 0 };
      const rep = summarizeInvarianceRepeats(runs, setup['alpha'] as number);
      return {
        group: k?.['group'],
        on: k?.['on'],
        repeat: rep.repeat,
        networks: setup['ensemble'],
        width: (setup['widths'] as number[] | undefined)?.[0] ?? setup['width'],
        breakMean: setup['breakMean'] ?? 0,
        alpha: setup['alpha'],
        method: setup['method'],
        broken: rep.broken,
        invariant: rep.invariant,
        inconclusive: rep.inconclusive,
        brokenRate: rep.brokenRate,
        brokenInterval: rep.brokenInterval,
        inconclusiveRate: rep.inconclusiveRate,
        brokenRateStderr: rep.brokenRateStderr,
        exceedanceP: rep.exceedanceP,
        predicted: runs[0].predicted,
        unbrokenSubgroup: runs[0].unbrokenSubgroup,
        pValues: rep.pValues,
      };
    },
    print: (c, p) => {
      if (!p['repeat']) return c.out(`${p['group']} on ${p['on']}: no ensembles run`);
      const iv = p['brokenInterval'] as [number, number];
      c.out(`${p['group']} on ${p['on']}: "broken" in ${p['broken']}/${p['repeat']} ensembles (rate ${(p['brokenRate'] as number).toFixed(3)} ± ${(p['brokenRateStderr'] as number).toFixed(3)}, 95% CI [${iv[0].toFixed(3)}, ${iv[1].toFixed(3)}], α = ${p['alpha']}; P(≥ ${p['broken']} | α) = ${fmt(p['exceedanceP'] as number)}); "inconclusive" in ${p['inconclusive']}, "invariant" in ${p['invariant']}; predicted ${p['predicted']}`);
    },
  });
}

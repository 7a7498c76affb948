import { type Command, Option } from 'commander';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { checkWork, LIMITS, plugins, UsageError, type NnsymEvent } from '@nnsym/core';
import { noetherActivation, paramCount64, parseAugmentation, randomMlp64, teacherData, trackNoether, type NoetherOptimizer, type NoetherSummary } from '@nnsym/weight-space';
import type { CliContext } from '../context';
import { finiteNumber, numberList, oneOf, positiveInt } from '../flags';
import { addHiddenAlias, addNoetherCheckOptions, addOutputOptions, checkNoetherChecks, emitResult, interruptible, noetherChecks, printNoetherChecks, progressBar, reportInterrupted, sweepCheckColumns, type NoetherCheckFlags, type NoetherCheckReports } from '../options';

/** Architecture ids the Noether study understands, and the activation each implies (mlp/shallow take --activation). */
const ARCH_ACTIVATION: Record<string, string | undefined> = {
  mlp: undefined,
  shallow: undefined,
  'linear-net': 'identity',
  'relu-net': 'relu',
  'tanh-net': 'tanh',
  'erf-net': 'erf',
  'exp-net': 'exp',
};

/** `nnsym noether`: conserved quantities of gradient flow from the architecture's continuous symmetries. */
export function registerNoether(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('noether')
    .description('train a small MLP in float64 and track the Noether charges of its continuous symmetries (Głuch & Urbanke, arXiv 2104.05508)')
    .addOption(new Option('--arch <id>', `architecture: ${Object.keys(ARCH_ACTIVATION).join(', ')}`).default('mlp'))
    .option('--activation <id>', 'activation for mlp/shallow (a registered activation id)', 'relu')
    .option('--depth <L>', 'number of hidden layers', positiveInt('--depth'), 1)
    .option('--width <N>', 'hidden width', positiveInt('--width', LIMITS.width), 16)
    .option('--d-in <a>', 'input dimension', positiveInt('--d-in', LIMITS.dim), 4)
    .option('--d-out <b>', 'output dimension', positiveInt('--d-out', LIMITS.dim), 2)
    .addOption(new Option('--dataset <id>', 'training data: teacher-student (alias teacher): a random teacher MLP on Gaussian inputs').default('teacher').argParser((v: string) => oneOf('--dataset', ['teacher', 'teacher-student'] as const)(v) && 'teacher'))
    .option('--limit-train <n>', 'training set size', positiveInt('--limit-train', 1e7), 128)
    .addOption(new Option('--loss <loss>', 'mse or xent (softmax cross-entropy: adds logit-translation charges)').default('mse').argParser(oneOf('--loss', ['mse', 'xent'] as const)))
    .option('--lr <eta>', 'step size (for flow: the RK4 step)', finiteNumber('--lr', { min: 0, exclusiveMin: true }), 0.01)
    .option('--steps <T>', 'optimisation steps', positiveInt('--steps', LIMITS.steps), 1000)
    .addOption(new Option('--optimizer <opt>', 'gd (full-batch Euler), flow (alias gradient-flow: RK4 gradient flow), sgd, momentum, adam').default('gd').argParser((v: string) => (v === 'gradient-flow' ? 'flow' : oneOf('--optimizer', ['gd', 'flow', 'sgd', 'momentum', 'adam'] as const)(v))))
    .option('--batch <B>', 'minibatch size for sgd/momentum/adam', positiveInt('--batch'))
    .option('--augment <spec>', 'data augmentation drawn fresh each step: none, sign-flip (x -> ±x), noise:SIGMA', 'none')
    .option('--eta-sweep <list>', 'also run at these step sizes to the same flow time and tabulate the charges\' drift (e.g. 0.04,0.02,0.01)', numberList('--eta-sweep', finiteNumber('--eta-sweep', { min: 0, exclusiveMin: true })))
    ;
  addNoetherCheckOptions(cmd);
  addOutputOptions(cmd);
  addHiddenAlias(cmd, '--samples <n>', '--limit-train', positiveInt('--samples', 1e7));
  cmd
    .addHelpText(
      'after',
      '\nComputed on the host in float64. Charges: per-neuron 1/2(|w_in|^2 + b^2 - d|w_out|^2) for positively homogeneous\n' +
        'activations of degree d, the balance matrices W_l W_l^T + b_l b_l^T - W_{l+1}^T W_{l+1} of deep linear nets, and logit\n' +
        'translations under softmax cross-entropy; a control (1/2|W_0|^2) that is no charge is tracked too.\n\n' +
        'Examples:\n  nnsym noether --arch relu-net --width 16 --lr 0.01 --steps 2000 --json\n' +
        '  nnsym noether --arch linear-net --depth 2 --optimizer flow --lr 0.02 --steps 500\n' +
        '  nnsym noether --arch relu-net --eta-sweep 0.04,0.02,0.01,0.005 --steps 100 --lr 0.04\n' +
        '  nnsym noether --arch tanh-net --balance --ntk-energy   (per-unit |w_in|^2+b^2-|w_out|^2; dL/dt vs the NTK)\n',
    )
    .action(async (o: { arch: string; activation: string; depth: number; width: number; dIn: number; dOut: number; limitTrain: number; loss: 'mse' | 'xent'; lr: number; steps: number; optimizer: NoetherOptimizer; batch?: number; augment: string; etaSweep?: number[]; progress?: boolean; out?: string } & NoetherCheckFlags) => {
      const c = ctx();
      if (!(o.arch in ARCH_ACTIVATION)) {
        const known = plugins.kind('architecture').ids();
        throw new UsageError(`--arch: the Noether study supports ${Object.keys(ARCH_ACTIVATION).join(', ')}; got "${o.arch}"${known.includes(o.arch) ? ' (registered, but not an MLP family)' : ''}`, '--arch');
      }
      const actId = ARCH_ACTIVATION[o.arch] ?? o.activation;
      if (o.batch !== undefined && (o.optimizer === 'gd' || o.optimizer === 'flow')) c.info(`noether: note: --batch is ignored by --optimizer ${o.optimizer} (full batch)`);
      if (o.loss === 'xent' && o.dOut < 2) throw new UsageError('--loss xent needs --d-out >= 2 (softmax over one output is constant)', '--d-out');
      // The charges' set-up is quadratic in the width (balance matrices): ask before hours of work.
      checkWork({ units: o.width * o.width * o.depth, limit: 1e8, unit: 'matrix entries (width² x depth)', flag: '--width', yes: c.options.yes });
      const { act, degree, linear } = noetherActivation(actId);
      const augment = parseAugmentation(o.augment);
      const sizes = [o.dIn, ...new Array(o.arch === 'mlp' || o.arch === 'linear-net' ? o.depth : 1).fill(o.width), o.dOut];
      const net = randomMlp64(sizes, act, { seed: `${c.seed}:student` });
      const teacherAct = noetherActivation(plugins.kind('activation').has('tanh') ? 'tanh' : actId).act;
      const data = teacherData([o.dIn, Math.max(4, o.width), o.dOut], teacherAct, o.limitTrain, o.loss, c.seed);
      checkNoetherChecks({ ...o, yes: c.options.yes }, paramCount64(net));
      const run = async (lr: number, steps: number, show: boolean): Promise<{ summary: NoetherSummary; events: NnsymEvent[]; checks: NoetherCheckReports }> => {
        const checks = noetherChecks(o, { net, data, loss: o.loss, degree, lr, steps });
        const bar = show ? progressBar(c, o, `noether ${o.optimizer} lr=${lr}`) : undefined;
        const events = await lastValueFrom(
          trackNoether({ net, data, loss: o.loss, optimizer: o.optimizer, lr, steps, batch: o.batch, seed: c.seed, homogeneousDegree: degree, linear, augment, observers: checks.observers, signal: stop.signal }).pipe(
            tap((e) => bar?.onEvent(e)),
            toArray(),
          ),
        );
        bar?.done();
        const last = events[events.length - 1];
        if (last.type === 'error') throw new UsageError(`${last.message} (${last.cause}); see --lr`, '--lr');
        if (last.type !== 'run-end') throw new Error('noether: the run ended without a summary');
        return { summary: last.summary as unknown as NoetherSummary, events, checks: checks.reports() };
      };
      // Ctrl-C / SIGTERM: every run stops at its next recorded step; the charges so far are written, marked incomplete.
      const stop = interruptible(c, 'noether', 'stopping at the next recorded step and writing the charges so far');
      let summary: NoetherSummary;
      let events: NnsymEvent[];
      let checks: NoetherCheckReports;
      let sweep: ({ lr: number; steps: number; stepsDone: number; time: number; maxChargeDrift: number; controlDrift: number; lossFinal: number } & ReturnType<typeof sweepCheckColumns>)[] | undefined;
      try {
        ({ summary, events, checks } = await run(o.lr, o.steps, true));
        sweep =
          o.etaSweep && !stop.interrupted
            ? await Promise.all(
                o.etaSweep.map(async (eta) => {
                  const steps = Math.max(1, Math.round((o.steps * o.lr) / eta));
                  const { summary: s, checks: sc } = await run(eta, steps, false);
                  return { lr: eta, steps, stepsDone: s.steps, time: s.time, maxChargeDrift: s.maxChargeDrift, controlDrift: s.minControlDrift, lossFinal: s.loss.final, ...sweepCheckColumns(sc) };
                }),
              )
            : undefined;
      } finally {
        stop.release();
      }
      const complete = summary.complete && (sweep ?? []).every((r) => r.stepsDone === r.steps) && !(o.etaSweep && !sweep);
      const charges = summary.quantities.filter((q) => q.conserved);
      if (charges.length === 0) {
        c.info(`noether: ${o.arch} with ${actId} has no continuous parameter symmetry among those looked for: ${summary.families.map((f) => `${f.family} (${f.why})`).join('; ')}`);
      }
      const trace = events.flatMap((e) => (e.type === 'metric' ? [{ step: e.step, ...e.values }] : []));
      if (
        await emitResult(c, o, 'noether', 'float64 (host)', {
              arch: o.arch,
              activation: actId,
              sizes,
              optimizer: o.optimizer,
              augment: o.augment,
              lr: o.lr,
              steps: o.steps,
              ...(complete ? {} : { complete: false, stepsDone: summary.steps, ...(o.etaSweep && !sweep ? { missingEtaSweep: o.etaSweep } : {}) }),
              quantities: summary.quantities.map(({ name, family, formula, initial, final, maxRelativeDrift, conserved }) => ({ name, family, formula, initial, final, maxRelativeDrift, conserved })),
              families: summary.families,
              loss: summary.loss,
              maxChargeDrift: summary.maxChargeDrift,
              controlDrift: summary.minControlDrift,
              trace,
              ...checks,
              ...(sweep ? { etaSweep: sweep } : {}),
            }, { complete })
      ) {
        if (!complete) reportInterrupted(c, 'noether', o.out, `${summary.steps} of ${o.steps} steps`);
        return;
      }
      const cut = summary.complete ? '' : ` (INTERRUPTED after ${summary.steps} of ${o.steps} steps: partial result)`;
      c.out(`noether: ${o.arch} (${actId}) sizes ${sizes.join('-')}, ${o.optimizer} lr ${o.lr} x ${o.steps} steps${cut}, loss ${o.loss}, float64`);
      c.out(`loss: ${summary.loss.initial.toExponential(3)} -> ${summary.loss.final.toExponential(3)}`);
      for (const f of summary.families) c.out(`  ${f.present ? '[x]' : '[ ]'} ${f.family}: ${f.why}`);
      c.out(`charges: ${charges.length}, max relative drift ${summary.maxChargeDrift.toExponential(2)}; control (1/2|W0|^2) drift ${summary.minControlDrift.toExponential(2)}`);
      const shown = summary.quantities.slice(0, 6).concat(summary.quantities.filter((q) => !q.conserved));
      for (const q of new Set(shown)) c.out(`  ${q.name.padEnd(22)} ${q.initial.toFixed(6).padStart(12)} -> ${q.final.toFixed(6).padStart(12)}  drift ${q.maxRelativeDrift.toExponential(2)}`);
      const hidden = summary.quantities.length - new Set(shown).size;
      if (hidden > 0) c.out(`  (${hidden} more charge${hidden === 1 ? '' : 's'}; --json for all)`);
      if (sweep) {
        c.out('\n  eta        steps   max charge drift   control drift   final loss');
        for (const r of sweep) c.out(`  ${String(r.lr).padEnd(9)} ${String(r.steps).padStart(6)}   ${r.maxChargeDrift.toExponential(3).padStart(16)}   ${r.controlDrift.toExponential(3).padStart(13)}   ${r.lossFinal.toExponential(3)}${r.stepsDone < r.steps ? `  (interrupted at step ${r.stepsDone})` : ''}`);
      } else if (o.etaSweep) c.out('\n  --eta-sweep: not run (interrupted)');
      printNoetherChecks((line) => c.out(line), checks, sweep);
      if (!complete) reportInterrupted(c, 'noether', o.out, `${summary.steps} of ${o.steps} steps`);
    });
}

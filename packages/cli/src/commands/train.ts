import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { lastValueFrom, tap } from 'rxjs';
import {
  LIMITS, NnsymError, Rng, UsageError, assertSameSpec, atomicWriteFile, checkPort, checkpointAction, hasCheckpoint, prepareDirectory, normalizeDataset, parseNormalization, describeNormalization, plugins, stringifyEvent, trainArchitecture, trainableArchitectures, trainMlp, type Dataset, type HostParams, type LayerShape, type NnsymEvent, type ParamLayout, type SeedKey,
} from '@nnsym/core';
import { loadDataset } from '@nnsym/datasets';
import { compileInitSpec, formatInitSpec, parseInitSpec as parseDistInitSpec, type InitSpec as DistInitSpec } from '@nnsym/distributions';
import type { CliContext } from '../context';
import { withDashboard } from '../dashboard';
import { finiteNumber, positiveInt } from '../flags';
import { ProgressBar, formatRate } from '../progress';
import { addEnsembleOptions, addOutputOptions, emitResult } from '../options';

/** Parsed `--init` spec: one of the two local forms, or a general @nnsym/distributions InitSpec. */
export type InitChoice =
  | { kind: 'normal' | 'mean-rows'; sw: number; sb: number; k: number; mu: number }
  | { kind: 'spec'; spec: DistInitSpec; text: string };

/**
 * Parse `--init`. Two local forms, kept so that the published init-symmetry results reproduce draw for draw:
 * `normal[:sw=1,sb=1]` (the default, NN-QFT convention) and `mean-rows:k=4,mu=0.1[,sw=1,sb=1]` (rows 0..k-1 of the
 * output layer with mean mu, arXiv 2106.00694; k = 0 allowed). Anything else is an @nnsym/distributions InitSpec
 * (`Wout.rows[0:2].mean=0.5`, `W*=laplace; b*=point-mass`, JSON, `@file.json`).
 */
export function parseInitChoice(value: string, flag = '--init'): InitChoice {
  const m = /^(normal|mean-rows)(?::(.*))?$/.exec(value.trim());
  if (!m) return { kind: 'spec', spec: parseDistInitSpec(value, flag), text: value.trim() };
  const kind = m[1] as 'normal' | 'mean-rows';
  const spec = { kind, sw: 1, sb: 1, k: 0, mu: 0 };
  for (const part of (m[2] ?? '').split(',').filter((x) => x.trim() !== '')) {
    const [key, raw] = part.split('=').map((x) => x.trim());
    const allowed = kind === 'normal' ? ['sw', 'sb'] : ['k', 'mu', 'sw', 'sb'];
    if (!allowed.includes(key) || raw === undefined) throw new UsageError(`${flag}: unknown or malformed field "${part}" for ${kind}; fields: ${allowed.join(', ')}`, flag);
    const n = Number(raw);
    if (!Number.isFinite(n) || raw === '') throw new UsageError(`${flag}: ${key} must be a number, got "${raw}"`, flag);
    if (key === 'k' && (!Number.isInteger(n) || n < 0)) throw new UsageError(`${flag}: k must be a non-negative integer, got "${raw}"`, flag);
    if ((key === 'sw' || key === 'sb') && n < 0) throw new UsageError(`${flag}: ${key} must be >= 0, got "${raw}"`, flag);
    (spec as Record<string, unknown>)[key] = n;
  }
  return spec;
}

/** The NN-QFT layouts (sigma_w = sigma_b = 1, standard parameterisation) of the trainer's MLP, for InitSpecs. */
function mlpLayouts(shapes: LayerShape[]): ParamLayout[] {
  return shapes.flatMap((s, l) => {
    const output = l === shapes.length - 1;
    const w: ParamLayout = { name: `W${l}`, shape: [s.out, s.in], fanIn: s.in, role: 'weight', layer: l, output, sigma: 1, std: 1 / Math.sqrt(s.in), forwardScale: 1 };
    const b: ParamLayout = { name: `b${l}`, shape: [s.out], fanIn: s.in, role: 'bias', layer: l, output, sigma: 1, std: 1, forwardScale: 1 };
    return s.bias ? [w, b] : [w];
  });
}

/**
 * Initial parameters for an `--init` choice. Local forms (a small helper here, written before the
 * @nnsym/distributions layer-override API existed, and kept for reproducibility): W_l ~ N(0, sw^2 / fan_in),
 * b_l ~ N(0, sb^2), each layer from `Rng.derive(seed, 'init', l)` exactly as core's default init; for `mean-rows`,
 * mu is then added to rows 0..k-1 of the output layer (W_ij ~ N(mu, sw^2 / fan_in) for i < k), so a shifted run
 * and the unshifted one of the same seed differ only by the shift. General specs go through
 * @nnsym/distributions' `compileInitSpec` (parameter P drawn from `Rng.derive(seed, 'init').fork(P)`).
 */
export function initFromChoice(choice: InitChoice, shapes: LayerShape[], seed: SeedKey): HostParams {
  if (choice.kind === 'spec') {
    const layouts = mlpLayouts(shapes);
    const sampler = compileInitSpec(choice.spec, layouts);
    const rng = Rng.derive(seed, 'init');
    const byName = new Map(layouts.map((L) => [L.name, sampler(L, rng.fork(L.name), 1)]));
    return shapes.map((s, l) => ({ out: s.out, in: s.in, w: byName.get(`W${l}`) as Float32Array, b: s.bias ? byName.get(`b${l}`) : undefined }));
  }
  const last = shapes.length - 1;
  if (choice.k > shapes[last].out) throw new UsageError(`--init: k=${choice.k} exceeds the ${shapes[last].out} output rows`, '--init');
  return shapes.map((s, l) => {
    const rng = Rng.derive(seed, 'init', l);
    const w = rng.normalArray(s.out * s.in, 0, choice.sw / Math.sqrt(s.in));
    const b = s.bias ? rng.normalArray(s.out, 0, choice.sb) : undefined;
    if (l === last && choice.kind === 'mean-rows') for (let i = 0; i < choice.k * s.in; i++) w[i] += choice.mu;
    return { out: s.out, in: s.in, w, b };
  });
}

/** A one-line description of an init choice, for run-start and results. */
export function describeInit(c: InitChoice): string {
  if (c.kind === 'spec') return `spec(${formatInitSpec(c.spec)})`;
  return c.kind === 'normal' ? `normal(sw=${c.sw},sb=${c.sb})` : `mean-rows(k=${c.k},mu=${c.mu},sw=${c.sw},sb=${c.sb})`;
}

/** Resolve `--dataset`: a registered id, or `idx:DIR` for IDX files in DIR. */
export async function loadDatasetFlag(value: string): Promise<Dataset> {
  if (value.startsWith('idx:')) return loadDataset('idx', { dir: value.slice(4) });
  const reg = plugins.kind('dataset');
  if (!reg.has(value)) throw new UsageError(`--dataset: ${reg.unknownMessage(value)} (or idx:DIR)`, '--dataset');
  return loadDataset(value);
}

interface TrainFlags {
  dataset: string;
  arch: string;
  hidden: number[];
  activation: string;
  bias: boolean;
  epochs: number;
  batch: number;
  optimizer: string;
  lr: number;
  lrDecay: number;
  lrDecayEvery: number;
  momentum?: number;
  loss: string;
  init: string;
  checkpoint?: string;
  resume?: boolean;
  overwrite?: boolean;
  out?: string;
  limitTrain?: number;
  limitTest?: number;
  normalize?: string;
  logEvery: number;
  progress?: boolean;
  dashboard?: boolean;
  dashboardPort?: number;
}

/** The run fields a resumed training must keep (the model's own fields are checked by the checkpoint's fingerprint). */
const RUN_FILE = 'run.json';
const RUN_FLAG: Record<string, string> = { seed: '--seed', batch: '--batch', limitTrain: '--limit-train', limitTest: '--limit-test', lr: '--lr', lrDecay: '--lr-decay', lrDecayEvery: '--lr-decay-every', momentum: '--momentum', init: '--init', normalize: '--normalize' };

function readCheckpointMeta(dir: string): { epoch: number; batch: number; step: number; seed: number | string } {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as { epoch: number; batch: number; step: number; seed: number | string };
    if (typeof m !== 'object' || m === null) throw new Error('not an object');
    return m;
  } catch (e) {
    throw new UsageError(`--checkpoint: cannot read ${join(dir, 'checkpoint.json')} (${(e as Error).message.split('\n')[0]})`, '--checkpoint');
  }
}

function readRunSpec(dir: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const hiddenList = (v: string): number[] => v.split(',').map((s) => positiveInt('--hidden')(s.trim()));

/** `nnsym train`: train one dense MLP on a dataset, streaming events (JSONL with --json) and a final summary. */
export function registerTrain(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('train')
    .description('train a dense network on a dataset (progress on stderr; --json: one event per line, then a summary line with testAccuracy)')
    .requiredOption('--dataset <id>', 'dataset: mnist, fashion-mnist, teacher-student, or idx:DIR (IDX/IDX.gz files)')
    .option('--arch <id>', `dense architecture: ${trainableArchitectures().join(', ')} (mlp: d-hidden-C with --activation; the others fix their activation and depth); without --init, the init is normal with the architecture's sigma_w, sigma_b`, 'mlp')
    .option('--hidden <widths>', 'hidden widths, comma-separated', hiddenList, [50])
    .option('--activation <id>', 'activation id from the registry (nnsym list activation)', 'relu')
    .option('--no-bias', 'networks without biases')
    .option('--epochs <n>', 'epochs', positiveInt('--epochs', LIMITS.epochs), 20)
    .option('--batch <n>', 'batch size', positiveInt('--batch'), 64)
    .option('--optimizer <id>', 'sgd, adam or gradient-flow', 'adam')
    .option('--lr <x>', 'learning rate (flow time per step for gradient-flow)', finiteNumber('--lr', { min: 0, exclusiveMin: true }), 1e-3)
    .option('--lr-decay <gamma>', 'step decay: lr * gamma^floor(epoch/every)', finiteNumber('--lr-decay', { min: 0, exclusiveMin: true }), 1)
    .option('--lr-decay-every <epochs>', 'epochs between decays', positiveInt('--lr-decay-every'), 1)
    .option('--momentum <mu>', 'SGD momentum', finiteNumber('--momentum', { min: 0, max: 0.999999 }))
    .option('--loss <id>', 'xent, mse-onehot or mse-onecold', 'xent')
    .option('--init <spec>', 'normal[:sw=1,sb=1], mean-rows:k=K,mu=MU[,sw=..,sb=..], or an InitSpec of @nnsym/distributions (e.g. "Wout.rows[0:2].mean=0.5; W0=laplace")', 'normal')
    ;
  addEnsembleOptions(cmd, ['checkpoint', 'resume', 'overwrite'], {
    help: {
      checkpoint: 'checkpoint directory: written at every epoch end and on Ctrl-C / SIGTERM (created if only its last level is missing)',
      resume: 'continue from the checkpoint in --checkpoint (refused if it is of another model or run: seed, batch, data subset, lr)',
      overwrite: 'start afresh in a --checkpoint directory that holds a checkpoint (without it, that is refused)',
    },
  });
  cmd
    .option('--limit-train <n>', 'use a fixed random subset of N training examples (the same for every run)', positiveInt('--limit-train'))
    .option('--limit-test <n>', 'use a fixed random subset of N test examples', positiveInt('--limit-test'))
    .option('--normalize <MEAN,STD>', 'inputs (x - MEAN) / STD with x = pixel / 255 (torchvision ToTensor + Normalize); presets: fashion-mnist-paper (= paper: 0.1307,0.3081, arXiv 2106.00694\'s script), none', 'none')
    .option('--log-every <n>', 'with --json, write a batch-end event every N steps', positiveInt('--log-every'), 50)
    .option('--dashboard', 'serve a live dashboard of the run (loss, accuracy, progress) on http://127.0.0.1')
    .option('--dashboard-port <port>', 'dashboard port 0..65535 (default 7717; 0 = any free port)', (v: string) => checkPort(v, '--dashboard-port'));
  addOutputOptions(cmd, { out: 'also write the summary (the --json envelope) to this file', progress: 'show the progress bar even when stderr is not a terminal' });
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  nnsym train --dataset fashion-mnist --hidden 50 --epochs 1 --loss mse-onehot --no-bias\n' +
        '  nnsym train --dataset mnist --epochs 5 --checkpoint runs/a --json > runs/a.jsonl\n' +
        '  nnsym train --dataset mnist --epochs 10 --checkpoint runs/a --resume\n' +
        '  nnsym train --dataset fashion-mnist --loss mse-onecold --init mean-rows:k=4,mu=0.1 --no-bias --lr-decay 0.7\n' +
        '  nnsym train --dataset mnist --activation gauss --hidden 256 --init normal:sw=3,sb=1 --epochs 5 --dashboard\n' +
        '  nnsym train --dataset teacher-student --arch tanh-net --hidden 64 --epochs 3 --checkpoint runs/tanh\n' +
        '\nThe Gauss-net activation exp(z - q(x)) (--activation gauss, one hidden layer) uses\n' +
        'q(x) = sb^2 + sw^2 |x|^2 / d_in with sw, sb of --init normal|mean-rows (1, 1 for other init specs).\n' +
        'Ctrl-C stops the run after the current step, writes the checkpoint (with --checkpoint) and exits 130.\n',
    )
    .action(async (flags: TrainFlags) => {
      const c = ctx();
      // The architecture fixes the activation (tanh-net) or takes --activation (mlp), and gives the init's sigma's.
      const explicit = (name: string) => cmd.getOptionValueSource(name) === 'cli';
      const arch = trainArchitecture(flags.arch, { hidden: flags.hidden, bias: flags.bias, activation: explicit('activation') ? flags.activation : undefined }, plugins);
      const activation = arch.activation;
      if (flags.resume && !flags.checkpoint) throw new UsageError('--resume needs --checkpoint DIR', '--resume');
      if (flags.dashboardPort !== undefined && !flags.dashboard) throw new UsageError('--dashboard-port needs --dashboard', '--dashboard-port');
      for (const [kind, id, flag] of [['loss', flags.loss, '--loss'], ['optimizer', flags.optimizer, '--optimizer'], ['activation', activation, '--activation']] as const) {
        if (!plugins.kind(kind).has(id)) throw new UsageError(`${flag}: ${plugins.kind(kind).unknownMessage(id)}`, flag);
      }
      if (flags.momentum !== undefined && flags.optimizer !== 'sgd') throw new UsageError('--momentum applies to --optimizer sgd only', '--momentum');
      // Without --init: normal with the architecture's sigma_w, sigma_b (1, 1 for the built-ins, so `normal`).
      const init = parseInitChoice(explicit('init') ? flags.init : `normal:sw=${arch.sigmaW},sb=${arch.sigmaB}`);
      const norm = parseNormalization(flags.normalize ?? 'none', '--normalize');
      // The run-file policy, before any work: a usable checkpoint directory; an existing checkpoint is resumed
      // (--resume, same run) or replaced (--overwrite), never silently overwritten.
      const runSpec = { seed: c.seed, batch: flags.batch, limitTrain: flags.limitTrain ?? null, limitTest: flags.limitTest ?? null, lr: flags.lr, lrDecay: flags.lrDecay, lrDecayEvery: flags.lrDecayEvery, momentum: flags.momentum ?? null, init: flags.init, ...(norm ? { normalize: describeNormalization(norm) } : {}) };
      // (normalize is recorded only when set, so checkpoints written before --normalize existed still resume)
      if (flags.checkpoint) {
        prepareDirectory(flags.checkpoint, '--checkpoint');
        const exists = hasCheckpoint(flags.checkpoint);
        const saved = exists ? readCheckpointMeta(flags.checkpoint) : undefined;
        const action = checkpointAction({ path: flags.checkpoint, flag: '--checkpoint', exists, resume: flags.resume, overwrite: flags.overwrite, describe: saved ? `epoch ${saved.epoch}, batch ${saved.batch}, step ${saved.step}` : undefined });
        if (action === 'resume' && saved) {
          const run = readRunSpec(flags.checkpoint);
          assertSameSpec(run ?? { seed: saved.seed }, run ? runSpec : { seed: c.seed }, '--resume', flags.checkpoint, (f) => RUN_FLAG[f]);
          if (saved.batch === 0 && saved.epoch >= flags.epochs) c.info(`train: ${flags.checkpoint} already has ${saved.epoch} epoch(s) (--epochs ${flags.epochs}): nothing left to train; its summary follows`);
          else c.info(`train: resuming ${flags.checkpoint} at epoch ${saved.epoch + 1}, batch ${saved.batch}, step ${saved.step}`);
        } else if (flags.resume) c.info(`train: no checkpoint in ${flags.checkpoint} yet; starting a fresh run`);
        if (action === 'fresh') atomicWriteFile(join(flags.checkpoint, RUN_FILE), JSON.stringify(runSpec), '--checkpoint');
      }
      const backend = await c.backend();
      const dataset = normalizeDataset(await loadDatasetFlag(flags.dataset), norm);
      if (flags.limitTrain !== undefined && flags.limitTrain > dataset.train.n) c.info(`train: note: --limit-train ${flags.limitTrain} is more than the ${dataset.train.n} training examples of ${dataset.id}; using all of them`);
      if (flags.limitTest !== undefined && flags.limitTest > dataset.test.n) c.info(`train: note: --limit-test ${flags.limitTest} is more than the ${dataset.test.n} test examples of ${dataset.id}; using all of them`);
      const controller = new AbortController();
      let running = true;
      // Our handler stays registered until the command returns: the first Ctrl-C stops the run gracefully
      // (checkpoint, exit 130), a second one exits at once; after the run it does nothing (the dashboard's own
      // handler closes the page). Keeping it registered also stops withDashboard from re-raising the signal
      // (it does so only when no other SIGINT handler is left) before the checkpoint is written.
      const onSigint = () => {
        if (!running) return;
        if (controller.signal.aborted) process.exit(130);
        c.info(`\nnnsym: interrupted: ${flags.checkpoint ? 'saving a checkpoint and ' : ''}stopping (Ctrl-C again to abort at once)`);
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const showBar = !c.json && (c.interactive || Boolean(flags.progress));
      let bar: ProgressBar | undefined;
      let seen = 0;
      let failure: NnsymEvent | undefined;
      let end: NnsymEvent | undefined;
      const render = (e: NnsymEvent) => {
        if (c.json) {
          if (e.type !== 'batch-end' || e.step % flags.logEvery === 0) c.out(stringifyEvent(e));
        }
        if (e.type === 'epoch-start') {
          seen = 0;
          if (showBar) bar = new ProgressBar((s) => process.stderr.write(s), `epoch ${e.epoch + 1}/${e.epochs}`, { tty: c.interactive });
        } else if (e.type === 'batch-end') {
          seen += e.size;
          if (bar && (e.step % 10 === 0 || e.batch === 0)) bar.update(seen, Math.min(dataset.train.n, flags.limitTrain ?? Infinity), 'samples', `loss ${e.loss.toPrecision(4)}  acc ${(100 * (e.metrics?.['accuracy'] ?? NaN)).toFixed(1)}%`);
        } else if (e.type === 'epoch-end') {
          bar?.done();
          bar = undefined;
          const m = e.metrics;
          if (!c.json) c.info(`epoch ${e.epoch + 1}/${e.epochs}  loss ${m['loss'].toPrecision(4)}  acc ${(100 * m['accuracy']).toFixed(2)}%  test loss ${m['testLoss'].toPrecision(4)}  test acc ${(100 * m['testAccuracy']).toFixed(2)}%  ${formatRate(m['samplesPerSecond'])} samples/s  lr ${m['lr'].toPrecision(3)}`);
        } else if (e.type === 'error') {
          failure = e;
        } else if (e.type === 'run-end') {
          end = e;
        } else if (e.type === 'checkpoint' && !c.json) {
          // quiet: one line per epoch is enough
        }
      };
      const preVariance = init.kind === 'spec' ? { sigmaW: 1, sigmaB: 1 } : { sigmaW: init.sw, sigmaB: init.sb };
      let dash: Awaited<ReturnType<typeof withDashboard>> | undefined;
      try {
        let events$ = trainMlp({
          dataset,
          arch: arch.id,
          hidden: flags.hidden,
          bias: flags.bias,
          activation,
          preVariance,
          loss: flags.loss,
          optimizer: flags.optimizer,
          optimizerConfig: flags.momentum !== undefined ? { momentum: flags.momentum } : {},
          lr: flags.lr,
          lrDecay: flags.lrDecay,
          lrDecayEvery: flags.lrDecayEvery,
          epochs: flags.epochs,
          batchSize: flags.batch,
          seed: c.seed,
          init: (shapes, seed) => initFromChoice(init, shapes, seed),
          initLabel: describeInit(init),
          limitTrain: flags.limitTrain,
          limitTest: flags.limitTest,
          checkpointDir: flags.checkpoint,
          resume: flags.resume,
          signal: controller.signal,
        });
        if (flags.dashboard) {
          dash = await withDashboard(events$, c, { port: flags.dashboardPort, label: 'train' });
          events$ = dash.events$;
        }
        try {
          await lastValueFrom(events$.pipe(tap(render)), { defaultValue: undefined });
        } finally {
          running = false;
          bar?.done();
        }
        if (failure && failure.type === 'error') throw new NnsymError(failure.message, { exitCode: 1 });
        const summary = end && end.type === 'run-end' ? end.summary : {};
        const interrupted = end?.type === 'run-end' && Boolean(end.interrupted);
        const payload = {
          type: 'summary',
          dataset: dataset.id,
          datasetSource: dataset.source,
          arch: arch.id,
          sizes: [dataset.train.d, ...flags.hidden, dataset.numClasses],
          bias: flags.bias,
          activation,
          loss: flags.loss,
          optimizer: flags.optimizer,
          lr: flags.lr,
          lrDecay: flags.lrDecay,
          batch: flags.batch,
          init: describeInit(init),
          normalize: describeNormalization(norm),
          interrupted,
          ...summary,
        };
        const lossEnd = Number((summary as Record<string, unknown>)['loss']);
        if ('loss' in summary && (!Number.isFinite(lossEnd) || lossEnd > 1e6)) c.info(`train: warning: the loss diverged (${lossEnd.toExponential(3)}); lower --lr`);
        if (!(await emitResult(c, flags, 'train', `float32 (tfjs ${backend.name}), float64 epoch metrics`, payload, { complete: !interrupted }))) {
          const s = summary as Record<string, number | null>;
          const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(100 * v).toFixed(2)}%`);
          c.out(`${interrupted ? 'interrupted' : 'done'}: ${s['epochs'] ?? 0} epochs, ${s['steps'] ?? 0} steps; test accuracy ${pct(s['testAccuracy'])} (best ${pct(s['bestTestAccuracy'])} at epoch ${s['bestEpoch'] === null || s['bestEpoch'] === undefined ? '-' : Number(s['bestEpoch']) + 1})${Number(s['samplesPerSecond']) > 0 ? `; ${formatRate(Number(s['samplesPerSecond']))} samples/s` : ''}`);
          if (flags.checkpoint) c.out(`checkpoint: ${flags.checkpoint}`);
        }
        // After Ctrl-C the page closes at once; otherwise it stays up for its grace period.
        if (dash) await (controller.signal.aborted ? dash.close() : dash.closed);
      } finally {
        if (dash) void dash.close();
        process.removeListener('SIGINT', onSigint);
        process.removeListener('SIGTERM', onSigint);
      }
      // A run stopped by Ctrl-C kept its checkpoint and printed its summary; the shell convention for SIGINT is 130.
      if (end?.type === 'run-end' && end.interrupted) c.exitCode = 130;
    });
}

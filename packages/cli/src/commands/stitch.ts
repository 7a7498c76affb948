import type { Command } from 'commander';
import { limitSplit, UsageError, nextMacrotask } from '@nnsym/core';
import { loadDataset } from '@nnsym/datasets';
import { loadMlpCheckpoint, mlpSizes, STITCH_KINDS, stitchNetworks, type StitchKind, type StitchResult } from '@nnsym/weight-space';
import type { CliContext } from '../context';
import { finiteNumber, nonNegativeInt, positiveInt } from '../flags';
import { ProgressBar } from '../progress';
import { addOutputOptions, emitResult, interruptible, reportInterrupted } from '../options';

interface Opts {
  a?: string;
  b?: string;
  models?: string;
  layer?: number;
  kind: string;
  rank: number;
  epochs: number;
  batch: number;
  lr: number;
  dataset?: string;
  limitTrain?: number;
  limitTest?: number;
  progress?: boolean;
  out?: string;
}

function parseKinds(v: string): StitchKind[] {
  if (v === 'all') return ['identity', 'full', 'low-rank', 'grelu', 'grelu-random'];
  const out = v.split(',').map((s) => s.trim());
  for (const k of out) if (!(STITCH_KINDS as readonly string[]).includes(k)) throw new UsageError(`--kind must be one of ${STITCH_KINDS.join(', ')} or all (comma-separated), got "${k}"`, '--kind');
  return out as StitchKind[];
}

/** `nnsym stitch`: stitching penalties between two trained networks (full, low-rank, G_relu-constrained). */
export function registerStitch(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('stitch')
    .description('stitch network A into network B at a hidden layer with a trainable layer and report the stitching penalty (Godfrey et al., arXiv 2205.14258)')
    .option('--a <dir>', 'checkpoint directory of network A (feeds the stitch)')
    .option('--b <dir>', 'checkpoint directory of network B (its tail follows the stitch)')
    .option('--models <dirs>', 'instead of --a/--b: comma-separated checkpoint dirs; every pair i < j is stitched (A = i, B = j)')
    .option('--layer <l>', 'hidden layer (default: every hidden layer)', nonNegativeInt('--layer'))
    .option('--kind <k>', `${STITCH_KINDS.join(', ')}, comma-separated, or all`, 'all')
    .option('--rank <r>', 'rank of the low-rank stitch', positiveInt('--rank'), 4)
    .option('--epochs <n>', 'epochs of stitch training (A and B frozen)', nonNegativeInt('--epochs'), 3)
    .option('--batch <n>', 'batch size', positiveInt('--batch'), 128)
    .option('--lr <x>', 'Adam learning rate', finiteNumber('--lr', { min: 0, exclusiveMin: true }), 1e-3)
    .option('--dataset <id>', 'dataset (default: the one network A was trained on)')
    .option('--limit-train <n>', 'train the stitch on this many training examples (fixed random subset)', positiveInt('--limit-train'), 10000)
    .option('--limit-test <n>', 'evaluate on this many test examples', positiveInt('--limit-test'))
    ;
  addOutputOptions(cmd, { progress: 'show progress even when stderr is not a terminal' });
  cmd
    .addHelpText(
      'after',
      '\nKinds: identity (no layer: the raw mismatch), full (S h + c), low-rank (U V h + c, --rank), grelu (P D h: the matching\n' +
        'permutation and a learned positive diagonal, i.e. G_relu), grelu-random (a random permutation instead: control).\n' +
        'Each starts from least squares / matching and is trained with Adam on cross-entropy. penalty = acc(B) - acc(stitched) on the test split.\n\n' +
        'Examples:\n  nnsym stitch --a runs/s0 --b runs/s1 --layer 0 --kind grelu --json\n' +
        '  nnsym stitch --models runs/s0,runs/s1,runs/s2 --kind all --epochs 2\n',
    )
    .action(async (o: Opts) => {
      const c = ctx();
      await c.backend();
      const kinds = parseKinds(o.kind);
      let dirs: string[];
      let pairs: [number, number][];
      if (o.models) {
        if (o.a || o.b) throw new UsageError('--models cannot be combined with --a/--b', '--models');
        dirs = o.models.split(',').map((s) => s.trim()).filter(Boolean);
        if (dirs.length < 2) throw new UsageError(`--models needs at least 2 checkpoint dirs, got ${dirs.length}`, '--models');
        pairs = [];
        for (let i = 0; i < dirs.length; i++) for (let j = i + 1; j < dirs.length; j++) pairs.push([i, j]);
      } else {
        if (!o.a || !o.b) throw new UsageError('stitch: pass --a and --b (or --models)', o.a ? '--b' : '--a');
        dirs = [o.a, o.b];
        pairs = [[0, 1]];
      }
      const nets = dirs.map((d, i) => loadMlpCheckpoint(d, { flag: o.models ? `--models (entry ${i})` : i === 0 ? '--a' : '--b' }));
      const fp = nets[0].fingerprint;
      const id = o.dataset ?? fp.dataset;
      const ds = await loadDataset(id);
      for (const n of nets) {
        if (n.net.layers[0].in !== ds.train.d) throw new UsageError(`--dataset: ${id} has ${ds.train.d} features but ${n.dir} takes ${n.net.layers[0].in} inputs`, '--dataset');
      }
      const train = limitSplit(ds.train, o.limitTrain);
      const test = limitSplit(ds.test, o.limitTest);
      const hiddenCount = nets[0].net.layers.length - 1;
      if (o.layer !== undefined && o.layer >= hiddenCount) throw new UsageError(`--layer must be a hidden layer in 0..${hiddenCount - 1}, got ${o.layer}`, '--layer');
      const layers = o.layer === undefined ? Array.from({ length: hiddenCount }, (_, i) => i) : [o.layer];
      const total = pairs.length * layers.length * kinds.length;
      const bar = c.interactive || o.progress ? new ProgressBar((s) => process.stderr.write(s), 'stitch', { tty: c.interactive }) : undefined;
      const results: (StitchResult & { a: string; b: string })[] = [];
      const missing: { a: string; b: string; layer: number; kind: StitchKind }[] = [];
      // SIGINT/SIGTERM: finish the stitch in training, keep the stitches done (each is final), list the rest.
      const stop = interruptible(c, 'stitch', 'finishing the current stitch and writing the stitches done');
      try {
        for (const [i, j] of pairs) {
          for (const layer of layers) {
            for (const kind of kinds) {
              if (stop.interrupted) {
                missing.push({ a: dirs[i], b: dirs[j], layer, kind });
                continue;
              }
              const r = await stitchNetworks(nets[i].net, nets[j].net, { kind, layer, rank: o.rank, train, test, numClasses: ds.numClasses, epochs: o.epochs, batchSize: o.batch, lr: o.lr, seed: c.seed });
              results.push({ a: dirs[i], b: dirs[j], ...r });
              bar?.update(results.length, total, 'stitches', `${kind} layer ${layer}`);
              await nextMacrotask(); // a safe point: a signal handler runs here
            }
          }
        }
      } finally {
        stop.release();
        bar?.done();
      }
      const cut = missing.length ? `${results.length} of ${total} stitches` : undefined;
      const summary = layers.flatMap((layer) =>
        kinds.filter((kind) => results.some((r) => r.layer === layer && r.kind === kind)).map((kind) => {
          const rs = results.filter((r) => r.layer === layer && r.kind === kind);
          const pen = rs.map((r) => r.penalty);
          const mean = pen.reduce((s, v) => s + v, 0) / pen.length;
          const std = Math.sqrt(pen.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, pen.length - 1));
          return { layer, kind, pairs: rs.length, penaltyMean: mean, penaltyStd: std, accuracyStitchedMean: rs.reduce((s, r) => s + r.accuracyStitched, 0) / rs.length, accuracyBMean: rs.reduce((s, r) => s + r.accuracyB, 0) / rs.length };
        }),
      );
      const partial = cut ? { complete: false, missing, note: 'interrupted: every stitch in "results" is final (the summary covers them); those in "missing" were not run' } : {};
      if (await emitResult(c, o, 'stitch', results[0]?.precision ?? 'float32', { models: dirs, sizes: mlpSizes(nets[0].net), dataset: id, source: ds.source, trainExamples: train.n, testExamples: test.n, epochs: o.epochs, lr: o.lr, rank: o.rank, summary, results, ...partial }, { complete: !cut })) {
        if (cut) reportInterrupted(c, 'stitch', o.out, cut);
        return;
      }
      c.out(`${pairs.length} pair(s) of ${mlpSizes(nets[0].net).join('-')} networks on ${id}; stitch trained ${o.epochs} epoch(s) on ${train.n} examples, tested on ${test.n}`);
      // Columns sized to the longest kind (grelu-random); one pair has no spread, so no "+- 0.0000" (audit L9).
      const kw = Math.max(4, ...summary.map((s) => s.kind.length));
      c.out(`layer  ${'kind'.padEnd(kw)}  pairs  acc(B)   acc(stitched)  penalty${pairs.length > 1 ? ' (mean +- std)' : ''}`);
      for (const s of summary) c.out(`${String(s.layer).padStart(5)}  ${s.kind.padEnd(kw)}  ${String(s.pairs).padStart(5)}  ${s.accuracyBMean.toFixed(4)}   ${s.accuracyStitchedMean.toFixed(4)}         ${s.penaltyMean.toFixed(4)}${s.pairs > 1 ? ` +- ${s.penaltyStd.toFixed(4)}` : ''}`);
      if (cut) {
        c.out(`(INTERRUPTED after ${cut}; not run: ${missing.map((m) => `${m.kind} layer ${m.layer}${pairs.length > 1 ? ` ${m.a}->${m.b}` : ''}`).join(', ')})`);
        reportInterrupted(c, 'stitch', o.out, cut);
      }
    });
}

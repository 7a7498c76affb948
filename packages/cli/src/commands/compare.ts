import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { checkMemory, limitSplit, UsageError, nextMacrotask } from '@nnsym/core';
import { loadDataset } from '@nnsym/datasets';
import {
  assertComparableArchitectures,
  compareLayerLists,
  forwardMlp,
  loadMlpCheckpoint,
  mlpSizes,
  pairwiseComparison,
  SIMILARITY_METRICS,
  type LoadedMlp,
  type SimilarityMetric,
} from '@nnsym/weight-space';
import { type Mat } from '@nnsym/numerics';
import type { CliContext } from '../context';
import { nonNegativeInt, positiveInt } from '../flags';
import { addHiddenAlias, addOutputOptions, emitResult, interruptible, progressBar, reportInterrupted } from '../options';

interface Opts {
  a?: string;
  b?: string;
  models?: string;
  layer?: number;
  metric: string;
  dataset?: string;
  split: string;
  probe: number;
  rotationControl?: boolean;
  out?: string;
  progress?: boolean;
}

const DISTANCE = new Set<SimilarityMetric>(['procrustes', 'grelu-procrustes']);

function parseMetrics(v: string): SimilarityMetric[] {
  if (v === 'all') return ['cka', 'procrustes', 'grelu-cka', 'grelu-procrustes'];
  const out = v.split(',').map((s) => s.trim());
  for (const m of out) {
    if (!(SIMILARITY_METRICS as readonly string[]).includes(m)) throw new UsageError(`--metric must be one of ${SIMILARITY_METRICS.join(', ')} or all (comma-separated), got "${m}"`, '--metric');
  }
  return out as SimilarityMetric[];
}

/** An activations file: JSON `{ "layers": [ [[...row...], ...], ... ] }` or layers as `{ rows, cols, data }`. */
function readActivations(path: string, flag: string): Mat[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${flag}: cannot read activations file ${path} (${(e as Error).message.split('\n')[0]})`, flag);
  }
  const layers = (raw as { layers?: unknown }).layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new UsageError(`${flag}: ${path} must be JSON with a non-empty "layers" array of [samples, width] matrices`, flag);
  return layers.map((L, l) => {
    if (Array.isArray(L)) {
      const rows = L.length;
      const cols = rows ? (L[0] as unknown[]).length : 0;
      const data = new Float64Array(rows * cols);
      L.forEach((r: unknown, i: number) => {
        if (!Array.isArray(r) || r.length !== cols) throw new UsageError(`${flag}: ${path} layer ${l} row ${i} has ${Array.isArray(r) ? r.length : 'no'} entries, expected ${cols}`, flag);
        r.forEach((v: unknown, j: number) => (data[i * cols + j] = Number(v)));
      });
      return { rows, cols, data };
    }
    const m = L as { rows?: number; cols?: number; data?: number[] };
    if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || !Array.isArray(m.data) || m.data.length !== (m.rows as number) * (m.cols as number)) {
      throw new UsageError(`${flag}: ${path} layer ${l} must be a nested array or { rows, cols, data } with rows*cols entries`, flag);
    }
    return { rows: m.rows as number, cols: m.cols as number, data: Float64Array.from(m.data) };
  });
}

const isCheckpointDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

async function inputsFor(models: LoadedMlp[], o: Opts): Promise<{ x: Mat; dataset: string; source: string }> {
  const id = o.dataset ?? models[0].fingerprint.dataset;
  const ds = await loadDataset(id);
  if (o.split !== 'test' && o.split !== 'train') throw new UsageError(`--split must be test or train, got "${o.split}"`, '--split');
  const split = limitSplit(o.split === 'test' ? ds.test : ds.train, o.probe);
  const x: Mat = { rows: split.n, cols: split.d, data: Float64Array.from(split.x, (v) => v * split.scale) };
  for (const m of models) {
    const d = m.net.layers[0].in;
    if (d !== split.d) throw new UsageError(`--dataset: ${id} has ${split.d} features but ${m.dir} takes ${d} inputs`, '--dataset');
  }
  return { x, dataset: id, source: ds.source };
}

/** `nnsym compare`: representation similarity between hidden layers of trained networks. */
export function registerCompare(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('compare')
    .description('compare hidden representations of two networks (CKA, Procrustes, G_relu-CKA, G_relu-Procrustes; float64)')
    .option('--a <path>', 'first model: a checkpoint directory (nnsym train --checkpoint DIR) or an activations JSON file')
    .option('--b <path>', 'second model (same kind as --a)')
    .option('--models <dirs>', 'instead of --a/--b: comma-separated checkpoint directories, compared pairwise (e.g. one per seed)')
    .option('--layer <l>', 'hidden layer index (default: every hidden layer)', nonNegativeInt('--layer'))
    .option('--metric <m>', `${SIMILARITY_METRICS.join(', ')}, comma-separated, or all`, 'all')
    .option('--dataset <id>', 'inputs for checkpoints (default: the dataset the --a model was trained on)')
    .option('--split <s>', 'test or train', 'test')
    .option('--probe <n>', 'number of probe inputs (a fixed random subset of the split)', positiveInt('--probe', 100000), 1000)
    .option('--rotation-control', 'with --models: also compare each pair with one side rotated by a random orthogonal matrix (seeded by --seed)');
  addOutputOptions(cmd, { progress: 'show progress (layer x metric) on stderr even when it is not a terminal (--a/--b)' });
  addHiddenAlias(cmd, '--samples <n>', '--probe', positiveInt('--samples', 100000));
  cmd
    .addHelpText(
      'after',
      '\nRepresentations are post-activation hidden layers [samples, width], computed in float64 from the float32 parameters.\n' +
        'cka / grelu-cka are similarities (1 = same up to the metric\'s group); procrustes / grelu-procrustes are distances (0 = same).\n' +
        'Activations files: JSON {"layers": [[[...], ...], ...]} with the same samples in the same order in both files.\n\n' +
        'Examples:\n  nnsym compare --a runs/s0 --b runs/s1 --layer 0 --metric grelu-cka --json\n' +
        '  nnsym compare --models runs/s0,runs/s1,runs/s2,runs/s3,runs/s4 --metric all --probe 1000\n' +
        '  nnsym compare --a acts0.json --b acts1.json --metric cka,procrustes\n',
    )
    .action(async (o: Opts) => {
      const c = ctx();
      const metrics = parseMetrics(o.metric);
      // Gram matrices are probe x probe float64 (several per metric and layer): refuse before loading anything.
      checkMemory({ bytes: 8 * o.probe * o.probe * 6, what: `${o.probe}x${o.probe} float64 Gram matrices`, flag: '--probe', yes: c.options.yes });
      const precision = 'float64 (host; parameters stored in float32)';
      if (o.models) {
        if (o.a || o.b) throw new UsageError('--models cannot be combined with --a/--b', '--models');
        const dirs = o.models.split(',').map((s) => s.trim()).filter(Boolean);
        const nets = dirs.map((d, i) => loadMlpCheckpoint(d, { flag: `--models (entry ${i})` }));
        const { x, dataset, source } = await inputsFor(nets, o);
        // One metric at a time (every layer of it; each metric's numbers do not depend on the others, so this is
        // pairwiseComparison's result reordered), with a safe point between metrics for SIGINT/SIGTERM.
        const stop = interruptible(c, 'compare', 'finishing the current metric and writing the metrics done');
        const bar = progressBar(c, o, 'compare');
        const entries: ReturnType<typeof pairwiseComparison> = [];
        const doneMetrics: SimilarityMetric[] = [];
        try {
          for (const m of metrics) {
            if (stop.interrupted) break;
            entries.push(...pairwiseComparison(nets.map((n) => n.net), x, [m], { rotationControl: o.rotationControl ? c.seed : undefined }));
            doneMetrics.push(m);
            bar?.update(doneMetrics.length, metrics.length, 'metrics', m);
            await nextMacrotask();
          }
        } finally {
          stop.release();
          bar?.done();
        }
        const summary = entries.sort((p, q) => p.layer - q.layer || metrics.indexOf(p.metric) - metrics.indexOf(q.metric)).filter((s) => o.layer === undefined || s.layer === o.layer);
        const missingMetrics = metrics.filter((m) => !doneMetrics.includes(m));
        const partial = missingMetrics.length ? { complete: false, missingMetrics } : {};
        const cut = missingMetrics.length ? `${doneMetrics.length} of ${metrics.length} metrics` : undefined;
        if (o.layer !== undefined && summary.length === 0 && !cut) throw new UsageError(`--layer must be a hidden layer in 0..${nets[0].net.layers.length - 2}, got ${o.layer}`, '--layer');
        if (await emitResult(c, o, 'compare', precision, { models: dirs, sizes: mlpSizes(nets[0].net), dataset, source, samples: x.rows, split: o.split, summary, ...partial }, { complete: !cut })) {
          if (cut) reportInterrupted(c, 'compare', o.out, cut);
          return;
        }
        c.out(`${nets.length} networks ${mlpSizes(nets[0].net).join('-')}, ${x.rows} ${o.split} inputs of ${dataset}; ${summary[0]?.pairs === 1 ? 'one pair' : `mean +- std over ${summary[0]?.pairs} pairs`}`);
        // One pair has no spread: print its value alone rather than "+- 0.0000" (audit L9).
        const pm = (m: number, sd: number, n: number) => (n > 1 ? `${m.toFixed(4)} +- ${sd.toFixed(4)}` : m.toFixed(4));
        for (const s of summary) c.out(`layer ${s.layer}  ${s.metric.padEnd(17)} ${pm(s.mean, s.std, s.pairs)}${s.pairs > 1 ? `  [${s.min.toFixed(4)}, ${s.max.toFixed(4)}]` : ''}  (${DISTANCE.has(s.metric) ? 'distance' : 'similarity'})${s.control ? `  rotated: ${pm(s.control.mean, s.control.std, s.pairs)}` : ''}`);
        if (cut) {
          c.out(`(INTERRUPTED after ${cut}; not computed: ${missingMetrics.join(', ')})`);
          reportInterrupted(c, 'compare', o.out, cut);
        }
        return;
      }
      if (!o.a || !o.b) throw new UsageError('compare: pass --a and --b (or --models)', o.a ? '--b' : '--a');
      const layers = o.layer === undefined ? undefined : [o.layer];
      let run: Awaited<ReturnType<typeof compareWithProgress>>;
      let extra: Record<string, unknown>;
      if (isCheckpointDir(o.a) || isCheckpointDir(o.b)) {
        const a = loadMlpCheckpoint(o.a, { flag: '--a' });
        const b = loadMlpCheckpoint(o.b, { flag: '--b' });
        const { x, dataset, source } = await inputsFor([a, b], o);
        assertComparableArchitectures(mlpSizes(a.net), mlpSizes(b.net));
        if (x.cols !== a.net.layers[0].in) throw new UsageError(`inputs have ${x.cols} features but the networks take ${a.net.layers[0].in}`, '--dataset');
        run = await compareWithProgress(c, o, forwardMlp(a.net, x).hidden, forwardMlp(b.net, x).hidden, metrics, layers);
        extra = { sizesA: mlpSizes(a.net), sizesB: mlpSizes(b.net), activationA: a.net.activation, activationB: b.net.activation, dataset, source, samples: x.rows, split: o.split };
      } else {
        const ha = readActivations(o.a, '--a');
        const hb = readActivations(o.b, '--b');
        run = await compareWithProgress(c, o, ha, hb, metrics, layers);
        extra = { samples: ha[0].rows, input: 'activations files' };
      }
      const { rows, missing, total } = run;
      const cut = missing.length ? `${total - missing.length} of ${total} comparisons` : undefined;
      const partial = cut ? { complete: false, missing, note: 'interrupted: the layers and metrics in "layers" are final; those in "missing" were not computed' } : {};
      if (await emitResult(c, o, 'compare', precision, { a: o.a, b: o.b, metrics, kinds: Object.fromEntries(metrics.map((m) => [m, DISTANCE.has(m) ? 'distance' : 'similarity'])), ...extra, layers: rows, ...partial }, { complete: !cut })) {
        if (cut) reportInterrupted(c, 'compare', o.out, cut);
        return;
      }
      c.out(`layer  width  ${metrics.map((m) => m.padStart(17)).join(' ')}`);
      for (const r of rows) c.out(`${String(r.layer).padStart(5)}  ${`${r.widthA}/${r.widthB}`.padStart(5)}  ${metrics.map((m) => (r.values[m] === undefined ? '-' : (r.values[m] as number).toFixed(4)).padStart(17)).join(' ')}`);
      if (cut) {
        c.out(`(INTERRUPTED after ${cut}: "-" not computed)`);
        reportInterrupted(c, 'compare', o.out, cut);
      }
    });
}

/**
 * `compareLayerLists` one (layer, metric) at a time, with a progress bar: the same values (each metric of each layer
 * is computed alone either way), but a long comparison (thousands of probe inputs) shows where it is. SIGINT/SIGTERM
 * stop between comparisons: the rows hold the layers begun (values of the metrics done), `missing` the rest.
 */
async function compareWithProgress(c: CliContext, o: Opts, ha: readonly Mat[], hb: readonly Mat[], metrics: readonly SimilarityMetric[], layers?: readonly number[]): Promise<{ rows: ReturnType<typeof compareLayerLists>; missing: { layer: number; metric: SimilarityMetric }[]; total: number }> {
  const sel = layers ?? ha.map((_, i) => i);
  const bar = progressBar(c, o, 'compare');
  const total = sel.length * metrics.length;
  let done = 0;
  const rows: ReturnType<typeof compareLayerLists> = [];
  const missing: { layer: number; metric: SimilarityMetric }[] = [];
  const stop = interruptible(c, 'compare', 'finishing the current comparison and writing the layers done');
  try {
    for (const l of sel) {
      const parts: ReturnType<typeof compareLayerLists> = [];
      for (const m of metrics) {
        if (stop.interrupted) {
          missing.push({ layer: l, metric: m });
          continue;
        }
        parts.push(compareLayerLists(ha, hb, [m], [l])[0]);
        bar?.update(++done, total, 'comparisons', `layer ${l} ${m}`);
        await nextMacrotask(); // a safe point: a signal handler runs here
      }
      if (parts.length) rows.push({ ...parts[0], values: Object.assign({}, ...parts.map((p) => p.values)) });
    }
  } finally {
    stop.release();
    bar?.done();
  }
  return { rows, missing, total };
}

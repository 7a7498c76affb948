import { lastValueFrom, tap, toArray } from 'rxjs';
import { ensemblePlan, stringifyEvent, trainMlp, type Dataset, type NnsymEvent, type SeedKey } from '@nnsym/core';
import { loadDataset } from '@nnsym/datasets';
import { groupForSpace } from '@nnsym/groups';
import {
  architectureFromSpec,
  correlators$,
  exactCorrelators,
  exactResult,
  finalizeCorrelators,
  kernelFor,
  type CorrelatorPartial,
  type CorrelatorRunSpec,
} from '@nnsym/correlators';
import { noetherActivation, randomMlp64, teacherData, trackNoether, type NoetherSummary } from '@nnsym/weight-space';
import { coreEnsembleSource, runSymmetryStudy, type SymmetryStudyResult } from '@nnsym/symmetry';
import { consumeRun, type ProgressBar } from './progress';

/**
 * The steps of `nnsym demo`: glue only. Each step calls the library functions that the real command calls
 * (`correlators`, `symmetry`, `train`, `noether`), wraps the result in the same envelope, and says in one line
 * what came out. Sizes are the demo's defaults; nothing here computes a statistic of its own.
 */

/** Sizes of the full tour and of `--quick` (tests, slow machines). */
export const DEMO_SIZES = {
  full: { corrWidth: 10, ensemble: 8_000_000, width: 100, dOut: 3, mu: 0.5, symEnsemble: 80_000, trainN: 30_000, testN: 5000, epochs: 6, hidden: 128, noetherLr: 0.001, noetherSteps: 20_000 },
  quick: { corrWidth: 10, ensemble: 20_000, width: 100, dOut: 3, mu: 0.5, symEnsemble: 5000, trainN: 1000, testN: 500, epochs: 2, hidden: 32, noetherLr: 0.01, noetherSteps: 300 },
};
export type DemoSizes = (typeof DEMO_SIZES)['full'];

/** What a step needs from the command: the seed, progress bars, the result envelope, a progress line. */
export interface DemoIO {
  seed: SeedKey;
  bar(label: string): ProgressBar | undefined;
  envelope(command: string, precision: string, payload: Record<string, unknown>): Promise<Record<string, unknown>>;
  announce?(what: string): void;
}

/** One part of the tour: its result (command envelope), where it is written, and what the report says about it. */
export interface DemoStep {
  id: string;
  file: string;
  heading: string;
  intro: string;
  headline: string;
  envelope: Record<string, unknown>;
  events?: NnsymEvent[];
  /** File contents when not the envelope as JSON (the training log: JSONL). */
  fileText?: string;
  /** A few numbers for `--json`. */
  summary: Record<string, unknown>;
  seconds?: number;
}

/** `mean ± stderr` with the stderr to 2 significant digits and the mean to the same decimal place. */
function pm(mean: number | null | undefined, se: number | null | undefined): string {
  if (mean === null || mean === undefined || !Number.isFinite(mean)) return '–';
  const digits = se && se > 0 && Number.isFinite(se) ? Math.min(8, Math.max(3, 1 - Math.floor(Math.log10(se)))) : 3;
  return `${mean >= 0 ? '+' : ''}${mean.toFixed(digits)}${se && Number.isFinite(se) ? ` ± ${se.toFixed(digits)}` : ''}`;
}
const f3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : (x >= 0 ? '+' : '') + x.toFixed(3));
/** A p-value for a sentence: 0 (an underflow of the F tail) prints as "< 1e-16". */
const pv = (p: number): string => (p === 0 ? '< 1e-16' : `= ${p.toPrecision(3)}`);
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);

/** Five 1-D inputs: the 4-pt function then has 70 tuples, few enough to read. */
const INPUTS = [[-0.5], [-0.25], [0], [0.25], [0.5]];
/**
 * σ_b of the correlator ensemble. A gauss-net neuron φ = exp(z)/exp(s²), z ~ N(0, s²), s² = σ_b² + σ_w² x², has
 * E φ^(2k) = exp(2k(k−1)s²), so the variance of a G4 estimate carries E φ⁸ = exp(24 s²): with σ_b = 1 the Monte-Carlo
 * G4 stays skewed low for millions of networks; with σ_b = 0.5 (s² <= 0.5 on these inputs) it behaves like a Gaussian mean.
 */
const SIGMA_B = 0.5;

/** Step 1: Monte-Carlo G2, G4 of gauss-nets vs the GP kernel (Wick) and the exact finite-N values. */
export async function correlatorStep(sz: DemoSizes, io: DemoIO): Promise<DemoStep[]> {
  io.announce?.(`correlators: ${sz.ensemble} gauss-nets (N = ${sz.corrWidth}, σ_w = 1, σ_b = ${SIGMA_B}) on ${INPUTS.length} inputs, orders 2 and 4`);
  const base = { arch: 'gauss-net', dIn: 1, dOut: 1, sigmaW: 1, sigmaB: SIGMA_B, parameterization: 'standard' as const, inputs: INPUTS, orders: [2, 4], width: sz.corrWidth, ensemble: sz.ensemble, seed: io.seed, groups: 16 };
  const arch = architectureFromSpec({ ...base, chunkSize: 1 });
  const spec: CorrelatorRunSpec = { ...base, chunkSize: ensemblePlan({ arch, inputs: INPUTS, ensemble: sz.ensemble }).chunkSize };
  const bar = io.bar('correlators');
  const events: NnsymEvent[] = [];
  const end = await consumeRun<{ partial: CorrelatorPartial; elapsed?: number; networksPerSecond?: number }>(correlators$({ spec, arch }).pipe(tap((e) => events.push(e))), { bar });
  if (!end) throw new Error('demo: the correlator run ended without a result');
  const kernel = kernelFor(spec);
  const result = finalizeCorrelators(end.summary.partial, kernel);
  const family = arch.singleHidden;
  const exact = family ? exactResult(exactCorrelators(family, INPUTS, { orders: spec.orders, seed: io.seed }), spec.arch, sz.corrWidth, INPUTS, kernel) : undefined;
  const orders: Record<string, unknown> = {};
  for (const [n, o] of Object.entries(result.orders)) {
    const ex = exact?.orders[n];
    const same = ex && JSON.stringify(ex.tuples) === JSON.stringify(o.tuples);
    orders[n] = same ? { ...o, exact: ex.estimate, exactSummary: ex.summary } : o;
  }
  const [g2, g4] = [result.orders['2'].summary, result.orders['4'].summary];
  const x4 = exact?.orders['4']?.summary.meanDeviation;
  const headline =
    `G2 vs the GP kernel: mean (G − K)/K = ${pm(g2.meanDeviation, g2.meanDeviationStderr)}; ` +
    `G4 vs Wick: mean (G − GP)/GP = ${pm(g4.meanDeviation, g4.meanDeviationStderr)} at N = ${sz.corrWidth}` +
    (x4 !== undefined ? ` (exact in 1/N: ${f3(x4)})` : '');
  const payload = { ...result, orders, seconds: end.summary.elapsed, networksPerSecond: end.summary.networksPerSecond };
  return [
    {
      id: 'correlators',
      file: '1-correlators.json',
      heading: `1. Correlators of ${sz.ensemble.toLocaleString('en')} gauss-nets vs the Gaussian process`,
      intro:
        `Gauss-nets f(x) = W1·exp(W0 x + b0)/exp(σ_b² + σ_w² x²) + b1 of width N = ${sz.corrWidth}, σ_w = 1, σ_b = ${SIGMA_B} (NN-QFT conventions, arXiv 2008.08601). ` +
        'At infinite width the outputs are a Gaussian process: G2 is the NNGP kernel K and G4 is its Wick sum. At finite N the ' +
        'two-point function still equals K, while G4 carries a connected piece of order 1/N; the dashed "exact" line is that ' +
        'finite-N value from single-neuron moments. Bands: ±1 standard error of the Monte-Carlo mean.',
      headline,
      envelope: await io.envelope('correlators', result.precision, payload),
      summary: { g2MeanDeviation: g2.meanDeviation, g2Stderr: g2.meanDeviationStderr, g4MeanDeviation: g4.meanDeviation, g4Stderr: g4.meanDeviationStderr, g4ExactDeviation: x4 ?? null, networks: result.networks },
    },
  ];
}

/** Step 2: SO(d_out) on the outputs, unbroken at μ = 0 and broken by a mean μ on row 0 of W1 (stabiliser survives). */
export async function symmetryStep(sz: DemoSizes, io: DemoIO): Promise<DemoStep[]> {
  const group = groupForSpace('so', {}, { on: 'outputs', dimension: sz.dOut, flag: '--d-out' });
  const precision = 'float32 network outputs (tfjs ensemble runner), float64 statistics';
  const steps: DemoStep[] = [];
  for (const mu of [0, sz.mu]) {
    io.announce?.(`symmetry: ${group.name} on the outputs of ${sz.symEnsemble} gauss-nets (d_out = ${sz.dOut}, N = ${sz.width}, σ_b = ${SIGMA_B}), μ = ${mu}${mu ? ' on W1 row 0' : ''}`);
    const ensemble = { arch: 'gauss-net', dIn: 1, dOut: sz.dOut, width: sz.width, networks: sz.symEnsemble, sw: 1, sb: SIGMA_B, ...(mu ? { breakMean: mu, breakRows: 1 } : {}) };
    const r: SymmetryStudyResult = await runSymmetryStudy({ ensemble, inputs: [Float64Array.of(0.5)], group, on: 'outputs', orders: [2, 4], seed: io.seed, source: coreEnsembleSource });
    const { joint: _joint, ...rest } = r;
    const payload = { arch: 'gauss-net', dOut: sz.dOut, width: sz.width, breakMean: mu, breakRows: mu ? 1 : 0, ...rest };
    const unbroken = r.unbroken ? `; the stabiliser ${r.unbroken.group}: ${r.unbroken.verdict} (p ${pv(r.unbroken.pValue)})` : '';
    const headline = `${r.group} is ${r.verdict} (p ${pv(r.pValue)}), predicted ${r.predicted}${r.agree === null ? '' : r.agree ? ' — agrees' : ' — DISAGREES'}${unbroken}`;
    steps.push({
      id: mu ? 'symmetry-broken' : 'symmetry',
      file: mu ? '3-symmetry-broken.json' : '2-symmetry.json',
      heading: mu ? `2b. ${group.name} broken by a mean μ = ${mu} on one row of W1` : `2a. ${group.name} symmetry of the outputs at μ = 0`,
      intro: mu
        ? `The same ensemble with the first row of W1 drawn with mean μ = ${mu} (Maiti-Halverson-Stoner, arXiv 2106.00694, Sec. 4.2): the mean vector m = (μ, 0, …) picks a direction, so ${group.name} is broken to the rotations that fix m, the stabiliser SO(${sz.dOut - 1}), which the test still finds invariant.`
        : `Gauss-nets as in part 1, now with d_out = ${sz.dOut} outputs and width N = ${sz.width}. Rotating the outputs f → R f leaves the density of the networks unchanged when W1 is a zero-mean isotropic normal. The test compares G(R·) with G over sampled rotations R (paired Hotelling test of ΔG on orders 2 and 4): invariance is the null hypothesis.`,
      headline,
      envelope: await io.envelope('symmetry', precision, payload),
      summary: { mu, verdict: r.verdict, predicted: r.predicted, agree: r.agree, pValue: r.pValue, unbrokenSubgroup: r.unbrokenSubgroup, unbrokenVerdict: r.unbroken?.verdict ?? null },
    });
  }
  return steps;
}

/** The training data: real MNIST, else Fashion-MNIST, else the synthetic teacher-student set. */
async function demoDataset(): Promise<Dataset> {
  for (const id of ['mnist', 'fashion-mnist']) {
    try {
      return await loadDataset(id);
    } catch {
      // data package not installed: try the next
    }
  }
  return loadDataset('teacher-student');
}

/** Step 3: a small MLP trained on a few thousand images, with its loss and accuracy curves. */
export async function trainStep(sz: DemoSizes, io: DemoIO): Promise<DemoStep[]> {
  const dataset = await demoDataset();
  const sizes = [dataset.train.d, sz.hidden, dataset.numClasses];
  io.announce?.(`train: MLP ${sizes.join('-')} (ReLU, Adam) on ${Math.min(sz.trainN, dataset.train.n)} ${dataset.id} examples, ${sz.epochs} epochs`);
  const config = { hidden: [sz.hidden], activation: 'relu', loss: 'xent', optimizer: 'adam', lr: 2e-3, epochs: sz.epochs, batchSize: 64, limitTrain: sz.trainN, limitTest: sz.testN };
  let bar: ProgressBar | undefined;
  // Every event goes to the step's file; the bar sees them thinned at the source (consumeRun's throttleProgress).
  const events: NnsymEvent[] = [];
  await consumeRun(trainMlp({ dataset, seed: io.seed, ...config }).pipe(tap((e) => events.push(e))), {
    onEvent: (e) => {
      if (e.type === 'epoch-start') bar = io.bar(`train epoch ${e.epoch + 1}/${e.epochs}`);
      else if (e.type === 'batch-end') bar?.update(Math.min((e.batch + 1) * config.batchSize, sz.trainN), sz.trainN, 'samples', `loss ${e.loss.toPrecision(3)}`);
      else if (e.type === 'epoch-end') bar?.done();
    },
  });
  const failure = events.find((e) => e.type === 'error');
  if (failure?.type === 'error') throw new Error(`demo: training failed: ${failure.message}`);
  const end = events.find((e) => e.type === 'run-end');
  const summary = end?.type === 'run-end' ? end.summary : {};
  const payload = { type: 'summary', dataset: dataset.id, datasetSource: dataset.source, arch: 'mlp', sizes, bias: true, activation: config.activation, loss: config.loss, optimizer: config.optimizer, lr: config.lr, batch: config.batchSize, ...summary };
  const envelope = await io.envelope('train', 'float32 (tfjs), float64 epoch metrics', payload);
  const acc = summary['testAccuracy'] as number | undefined;
  return [
    {
      id: 'train',
      file: '4-train.jsonl',
      heading: `3. Training a ${sizes.join('-')} MLP on ${dataset.id}`,
      intro: `A short run of core's trainer (the one behind \`nnsym train\`): ${sz.epochs} epochs of Adam on a fixed subset of ${Math.min(sz.trainN, dataset.train.n)} training examples, tested on ${Math.min(sz.testN, dataset.test.n)} held-out ones. The event stream that drew these curves is the one the CLI progress bar and the live dashboard consume.`,
      headline: `test accuracy ${pct(acc)} after ${sz.epochs} epochs (${String(summary['steps'] ?? '?')} steps) on ${dataset.source}`,
      envelope,
      events,
      fileText: events.map((e) => stringifyEvent(e)).join('\n') + '\n' + JSON.stringify(envelope) + '\n',
      summary: { dataset: dataset.id, testAccuracy: acc ?? null, steps: summary['steps'] ?? null },
    },
  ];
}

/** Step 4: Noether charges of a ReLU net along float64 gradient descent (and a control that is no charge). */
export async function noetherStep(sz: DemoSizes, io: DemoIO): Promise<DemoStep[]> {
  const relu = noetherActivation('relu');
  const sizes = [4, 8, 2];
  const lr = sz.noetherLr;
  io.announce?.(`noether: ReLU net ${sizes.join('-')}, full-batch gradient descent η = ${lr}, ${sz.noetherSteps} steps in float64`);
  const net = randomMlp64(sizes, relu.act, { seed: `${String(io.seed)}:student` });
  const data = teacherData([4, 8, 2], noetherActivation('tanh').act, 128, 'mse', io.seed);
  const events = await lastValueFrom(trackNoether({ net, data, loss: 'mse', optimizer: 'gd', lr, steps: sz.noetherSteps, seed: io.seed, homogeneousDegree: relu.degree, linear: relu.linear }).pipe(toArray()));
  const last = events[events.length - 1];
  if (last.type !== 'run-end') throw new Error(`demo: the Noether run ended without a summary${last.type === 'error' ? `: ${last.message}` : ''}`);
  const s = last.summary as unknown as NoetherSummary;
  const payload = {
    arch: 'relu-net',
    activation: 'relu',
    sizes,
    optimizer: 'gd',
    lr,
    steps: sz.noetherSteps,
    quantities: s.quantities.map(({ name, family, formula, initial, final, maxRelativeDrift, conserved }) => ({ name, family, formula, initial, final, maxRelativeDrift, conserved })),
    families: s.families,
    loss: s.loss,
    maxChargeDrift: s.maxChargeDrift,
    controlDrift: s.minControlDrift,
    trace: events.flatMap((e) => (e.type === 'metric' ? [{ step: e.step, ...e.values }] : [])),
  };
  return [
    {
      id: 'noether',
      file: '5-noether.json',
      heading: '4. Noether charges of gradient descent',
      intro: 'A ReLU network is unchanged when a hidden neuron\'s input weights are scaled by a > 0 and its output weights by 1/a. By Noether\'s theorem gradient flow then conserves ½(|w_in|² + b² − |w_out|²) for every neuron (Głuch & Urbanke, arXiv 2104.05508); gradient descent with a finite step η conserves it up to O(η) drift, far below the drift of a quantity that is no charge (the control ½|W0|²). Computed in float64 on the host.',
      headline: `loss ${s.loss.initial.toExponential(2)} → ${s.loss.final.toExponential(2)}; ${s.quantities.filter((q) => q.conserved).length} charges drift at most ${s.maxChargeDrift.toExponential(2)} (relative), the control ${s.minControlDrift.toExponential(2)}`,
      envelope: await io.envelope('noether', 'float64 (host)', payload),
      summary: { maxChargeDrift: s.maxChargeDrift, controlDrift: s.minControlDrift, lossFinal: s.loss.final },
    },
  ];
}

import { lastValueFrom, tap, toArray } from 'rxjs';
import {
  plugins, trainMlp, UsageError, type Dataset, type MetricEvent, type NnsymEvent, type PluginHost, type SeedKey,
} from '@nnsym/core';
import { logLogSlope } from '@nnsym/numerics';
import { ntkDriftHook } from './drift';
import { ntkSgdOptimizer } from './ntk-sgd';

/** Options of {@link ntkDriftVsWidth}. */
export interface NtkDriftStudyOptions {
  dataset: Dataset;
  /** Hidden widths N to compare (one hidden layer each, or `depth` equal layers). */
  widths: readonly number[];
  /** Hidden layers (default 1). */
  depth?: number;
  activation?: string;
  /** Full-batch gradient-descent steps (default 100). */
  steps?: number;
  /**
   * Learning rate: with `lrScaling: 'inverse-width'` (default) the step is lr/N, the standard-parameterisation
   * counterpart of an O(1) rate in the NTK parameterisation (same function-space speed at every width).
   */
  lr?: number;
  lrScaling?: 'inverse-width' | 'constant';
  /**
   * `ntk` (default): gradient descent in the NTK parameterisation (optimiser `ntk-sgd`, per-layer rate lr/fan_in;
   * `lrScaling` is ignored); `standard`: plain SGD with one global rate (lr/N with `inverse-width`).
   */
  parameterization?: 'ntk' | 'standard';
  /** Training examples used (default 256), full batch. */
  nTrain?: number;
  /** Probe inputs for Θ (default 16 test inputs). */
  probe?: number;
  /** Measure every K steps (default 10). */
  every?: number;
  /** Independent initialisations per width (default 1); drift is averaged with its standard error. */
  repeats?: number;
  seed?: SeedKey;
  /** Called with every event of every run (e.g. to write JSONL or drive a progress bar). */
  onEvent?: (e: NnsymEvent, width: number, repeat: number) => void;
  /** Plugin host with the loss / optimiser / activation plugins (default: the process-wide one). */
  host?: PluginHost;
  /**
   * Stop when aborted (Ctrl-C): the run in training stops at its next step and its width is dropped; the result
   * holds the widths finished (each as in an uninterrupted study) and `interrupted: true`.
   */
  signal?: AbortSignal;
}

/** One width of the study. */
export interface NtkDriftRow {
  width: number;
  lr: number;
  /** Mean over repeats of the drift after the last step, and its standard error (NaN for one repeat). */
  finalDrift: number;
  finalDriftSe: number;
  /** The drift trajectory of the first repeat: [step, drift]. */
  trajectory: [number, number][];
  /** Final training loss (mean over repeats). */
  finalLoss: number;
  /** finalDrift · √N (the scaling of the Lee et al. bound; not constant when the drift falls as 1/N). */
  scaledDrift: number;
}

/** Result of {@link ntkDriftVsWidth}. */
export interface NtkDriftStudy {
  rows: NtkDriftRow[];
  /**
   * Least-squares slope of log finalDrift against log N (`logLogSlope` of correlators/fit). Expected ≈ −1 in the
   * NTK parameterisation (dΘ/dt = O(1/N), Dyer & Gur-Ari 2019); −1/2 is only Lee et al.'s upper bound.
   */
  slope: number;
  /** Standard error of the slope (weighted by the repeats' standard errors when there are several). */
  slopeStderr: number;
  steps: number;
  precision: string;
  /** Present (true) only when `signal` stopped the study: `rows` are the widths finished. */
  interrupted?: true;
}

/**
 * Train one MLP per width with the core trainer (full-batch SGD, MSE on one-hot targets) and follow the kernel
 * drift ‖Θ_t − Θ_0‖_F / ‖Θ_0‖_F of its empirical NTK on a fixed probe set through the `ntk-drift` metric events of
 * the training stream; fit the exponent of drift ∝ N^slope. Lazy-training bound: slope ≤ −1/2 (Lee et al. 2019,
 * arXiv 1902.06720, Thm. 2.1: sup_t ‖Θ_t − Θ_0‖_F = O(N^{-1/2})); expected in the NTK parameterisation: slope ≈ −1,
 * since the kernel's time derivative is O(1/N) (Dyer & Gur-Ari 2019, arXiv 1909.11304; Huang & Yau 2019,
 * arXiv 1909.08156), as measured in docs/experiments/ntk.md (−1.07 ± 0.12).
 *
 * When to use: `nnsym ntk-drift`; the table in docs/experiments/ntk.md.
 *
 * @example
 * const ds = await createFromPlugin(teacherStudentDataset, { d: 10, hidden: 8, classes: 3, nTrain: 256, nTest: 64, seed: 1 }).load();
 * const r = await ntkDriftVsWidth({ dataset: ds, widths: [64, 256, 1024], steps: 100, lr: 1 });
 */
export async function ntkDriftVsWidth(opts: NtkDriftStudyOptions): Promise<NtkDriftStudy> {
  const ds = opts.dataset;
  if (opts.widths.length === 0) throw new UsageError('--widths: give at least one width', '--widths');
  const steps = opts.steps ?? 100;
  const nTrain = Math.min(opts.nTrain ?? 256, ds.train.n);
  const P = Math.min(opts.probe ?? 16, ds.test.n);
  const activation = opts.activation ?? 'relu';
  const depth = opts.depth ?? 1;
  const repeats = opts.repeats ?? 1;
  const probe: number[][] = [];
  for (let i = 0; i < P; i++) probe.push(Array.from(ds.test.x.subarray(i * ds.test.d, (i + 1) * ds.test.d), (v) => v * ds.test.scale));
  const ntkParam = (opts.parameterization ?? 'ntk') === 'ntk';
  const host = opts.host ?? plugins;
  // The NTK-parameterised optimiser lives in this package; make it available on the host the trainer uses.
  if (ntkParam && !host.kind('optimizer').has('ntk-sgd')) host.kind('optimizer').register(ntkSgdOptimizer);
  const rows: NtkDriftRow[] = [];
  let interrupted = false;
  widths: for (const N of opts.widths) {
    const lr = ntkParam ? (opts.lr ?? 1) : (opts.lr ?? 1) / ((opts.lrScaling ?? 'inverse-width') === 'inverse-width' ? N : 1);
    const finals: number[] = [];
    const losses: number[] = [];
    let trajectory: [number, number][] = [];
    for (let r = 0; r < repeats; r++) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break widths;
      }
      const train$ = trainMlp({
        dataset: ds,
        hidden: Array.from({ length: depth }, () => N),
        activation,
        loss: 'mse-onehot',
        optimizer: ntkParam ? 'ntk-sgd' : 'sgd',
        lr,
        epochs: steps,
        batchSize: nTrain,
        limitTrain: nTrain,
        limitTest: P,
        seed: `${String(opts.seed ?? 0)}:${N}:${r}`,
        batchEventEvery: Math.max(1, opts.every ?? 10),
        hooks: [ntkDriftHook({ probe, activation, every: opts.every ?? 10 })],
        host,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      // onEvent sees each event live, as the trainer emits it.
      const events = await lastValueFrom(train$.pipe(tap((e) => opts.onEvent?.(e, N, r)), toArray()));
      if (events.some((e) => e.type === 'run-end' && e.interrupted)) {
        interrupted = true; // this width is unfinished: drop it
        break widths;
      }
      const err = events.find((e) => e.type === 'error');
      if (err && err.type === 'error') throw new UsageError(`width ${N}: training failed: ${err.message}`, '--lr');
      const drift = events.filter((e): e is MetricEvent => e.type === 'metric' && e.name === 'ntk-drift');
      if (r === 0) trajectory = drift.map((e) => [e.step, e.values.drift]);
      finals.push(drift[drift.length - 1].values.drift);
      const ends = events.filter((e) => e.type === 'epoch-end');
      const last = ends[ends.length - 1];
      losses.push(last && last.type === 'epoch-end' ? last.metrics.loss : NaN);
    }
    const mean = finals.reduce((s, v) => s + v, 0) / repeats;
    const se = repeats > 1 ? Math.sqrt(finals.reduce((s, v) => s + (v - mean) ** 2, 0) / (repeats - 1) / repeats) : NaN;
    rows.push({ width: N, lr, finalDrift: mean, finalDriftSe: se, trajectory, finalLoss: losses.reduce((s, v) => s + v, 0) / repeats, scaledDrift: mean * Math.sqrt(N) });
  }
  const precision = 'training float32 (tfjs); NTK float32 layer Jacobians; drift norms float64';
  // An interrupted study with fewer than two widths has no slope.
  if (interrupted && rows.length < 2) return { rows, slope: NaN, slopeStderr: NaN, steps, precision, interrupted: true };
  const fit = logLogSlope(
    rows.map((r) => r.width),
    rows.map((r) => r.finalDrift),
    repeats > 1 ? rows.map((r) => r.finalDriftSe) : undefined,
  );
  return { rows, slope: fit.slope, slopeStderr: fit.slopeStderr, steps, precision, ...(interrupted ? { interrupted: true as const } : {}) };
}

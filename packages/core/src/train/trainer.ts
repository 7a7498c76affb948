import { Observable, type Subscriber } from 'rxjs';
import { tf } from '../tf';
import type { Tensor, Tensor1D, Tensor2D, Variable } from '../tf';
import { UsageError } from '../errors';
import type { NnsymEvent } from '../events/events';
import { plugins as defaultHost, type PluginHost } from '../registry/kinds';
import { createFromPlugin } from '../registry/plugin';
import { Rng } from '../rng/rng';
import type { SeedKey } from '../rng/hash';
import { NNSYM_VERSION } from '../version';
import { currentBackend } from '../backend/backend';
import { limitSplit, type DataSplit, type Dataset } from '../datasets/types';
import { resolveActivation } from './activation';
import { trainArchitecture } from './architecture';
import { fingerprintDiff, hasCheckpoint, readCheckpoint, writeCheckpoint, type ModelFingerprint } from './checkpoint';
import { defaultMlpInit, mlpForward, mlpLossAndGrads, mlpShapes, paramsToVariables, tensorsToParams } from './mlp';
import { stepDecay } from './schedule';
import type { HostParams, LayerShape, Loss, Optimizer } from './types';
import { nextMacrotask } from '../ensemble/chunk-loop';

/** What a per-step hook sees. `params()` copies the parameters to the host ([out, in] layout) only when called. */
export interface StepHookContext {
  /** Optimisation steps done so far (0 = the initial parameters). */
  step: number;
  epoch: number;
  /** Batch loss of the last step (NaN at step 0). */
  loss: number;
  lr: number;
  params(): HostParams;
}

/**
 * A per-step measurement (a Noether charge, a weight norm, a kernel distance): `compute` runs every `every` steps
 * (including step 0, before any update, and after the last step) and each result becomes a `metric` event
 * `{ type: 'metric', step, name, values }`.
 */
export interface StepHook {
  name: string;
  every: number;
  compute(ctx: StepHookContext): Record<string, number>;
}

/** Configuration of {@link trainMlp}. Defaults in brackets. */
export interface TrainConfig {
  dataset: Dataset;
  /**
   * Dense architecture id from the `architecture` registry ['mlp']: `mlp` (any depth, `activation`), or a family
   * that fixes depth and activation (`relu-net`, `tanh-net`, `gauss-net`, `erf-net`, ...). Its config's σ_w, σ_b
   * give the default init and q(x). Recorded in the checkpoint fingerprint.
   */
  arch?: string;
  /** Hidden widths, e.g. [50] for 784-50-10. */
  hidden: number[];
  /** Biases in every layer [true]. */
  bias?: boolean;
  /**
   * Activation id from the `activation` registry ['relu', or the architecture's]. Input-dependent ones (`gauss`)
   * need one hidden layer. A family with its own activation (`tanh-net`) refuses another one.
   */
  activation?: string;
  /**
   * sigma_w, sigma_b of q(x) = sigma_b^2 + sigma_w^2 |x|^2 / d_in for input-dependent activations (the Gauss-net
   * normalisation, arXiv 2008.08601 eq. 2.14); they should match the init [the architecture's σ's, 1 and 1 for the
   * built-ins]. Ignored by other activations.
   */
  preVariance?: { sigmaW: number; sigmaB: number };
  /** Loss id from the `loss` registry (`xent`, `mse-onehot`, `mse-onecold`) or a {@link Loss} ['xent']. */
  loss?: string | Loss;
  /** Optimiser id from the `optimizer` registry (`sgd`, `adam`, `gradient-flow`) ['adam']. */
  optimizer?: string;
  /** Optimiser hyper-parameters (validated by the plugin's schema) [{}]. */
  optimizerConfig?: Record<string, unknown>;
  /** Learning rate at epoch 0 (flow time per step for `gradient-flow`) [1e-3]. */
  lr?: number;
  /** Step decay: lr(e) = lr * lrDecay^floor(e / lrDecayEvery) [1, 1]. */
  lrDecay?: number;
  lrDecayEvery?: number;
  epochs?: number;
  /** Batch size [64]; a size >= the training set gives full-batch steps. */
  batchSize?: number;
  seed?: SeedKey;
  /**
   * Initial parameters, or a function of the layer shapes and the seed [the architecture's NN-QFT init:
   * N(0, σ_w²/fan_in) weights, N(0, σ_b²) biases].
   */
  init?: HostParams | ((shapes: LayerShape[], seed: SeedKey) => HostParams);
  /** A label for the init, recorded in run-start (e.g. `mean-rows k=4 mu=0.1`). */
  initLabel?: string;
  /** Use a fixed random subset of N training examples (see limitSplit). */
  limitTrain?: number;
  /** Use a fixed random subset of N test examples. */
  limitTest?: number;
  /** Write a checkpoint here at every epoch end (and on interrupt). */
  checkpointDir?: string;
  /** Continue from the checkpoint in `checkpointDir` if there is one (refused if it is of another model). */
  resume?: boolean;
  /** Abort (e.g. wired to SIGINT): saves a checkpoint and ends with `run-end { interrupted: true }`. */
  signal?: AbortSignal;
  hooks?: StepHook[];
  /** Emit a `batch-end` event every k steps [1]. */
  batchEventEvery?: number;
  /** Called once at the end with the final parameters ([out, in] layout). */
  onFinish?: (params: HostParams) => void;
  host?: PluginHost;
}

/** Row-gather a batch into a float32 buffer: x * scale + offset (offset: the split's input normalisation). */
export function gather(split: DataSplit, idx: Int32Array, from: number, to: number, xb: Float32Array, yb: Int32Array): void {
  const d = split.d;
  const s = split.scale;
  const o = split.offset ?? 0;
  for (let r = 0; r < to - from; r++) {
    const i = idx[from + r];
    const src = i * d;
    const dst = r * d;
    if (o === 0) for (let k = 0; k < d; k++) xb[dst + k] = split.x[src + k] * s;
    else for (let k = 0; k < d; k++) xb[dst + k] = split.x[src + k] * s + o;
    yb[r] = split.y[i];
  }
}

/** Loss and accuracy of the model on a whole split, in chunks; float64 accumulation on the host. */
export function evaluateMlp(vars: Tensor[], shapes: LayerShape[], act: ReturnType<typeof resolveActivation>, loss: Loss, split: DataSplit, numClasses: number, chunk = 2000): { loss: number; accuracy: number } {
  const idx = Int32Array.from({ length: split.n }, (_, i) => i);
  let sum = 0;
  let correct = 0;
  for (let from = 0; from < split.n; from += chunk) {
    const to = Math.min(split.n, from + chunk);
    const xb = new Float32Array((to - from) * split.d);
    const yb = new Int32Array(to - from);
    gather(split, idx, from, to, xb, yb);
    const [l, c] = tf.tidy(() => {
      const x = tf.tensor2d(xb, [to - from, split.d]);
      const y = tf.tensor1d(yb, 'int32') as Tensor1D;
      const out = mlpForward(vars, shapes, act, x);
      return tf.stack([loss.value(out, y, numClasses), tf.sum(tf.cast(tf.equal(loss.predict(out), y), 'float32'))]).dataSync();
    });
    sum += l * (to - from);
    correct += c;
  }
  return { loss: sum / split.n, accuracy: correct / split.n };
}

/**
 * Train one dense MLP (sizes d-hidden...-C, any registered activation, biases on or off) and stream what
 * happens as a cold Observable: nothing runs until you subscribe, each subscription is an independent run, and
 * unsubscribing stops it. Events, in order: `run-start`; per epoch `epoch-start`, `batch-end` per step (loss of
 * the batch before the update), `metric` from hooks, `checkpoint`, `epoch-end` (loss, accuracy, testLoss,
 * testAccuracy, lr, samplesPerSecond); `run-end` (summary with testAccuracy, bestTestAccuracy, ...).
 * A non-finite loss ends the run with an `error` event naming the step and cause (the last checkpoint is kept).
 * Bad configuration (unknown ids, a checkpoint of another model) errors the Observable with a UsageError.
 *
 * Forward and backward passes are explicit (see {@link mlpLossAndGrads}); every matMul is non-transposed.
 * Precision: float32 tensors (tfjs), epoch metrics accumulated in float64 on the host.
 *
 * @example
 * const ds = await loadDataset('fashion-mnist');
 * trainMlp({ dataset: ds, hidden: [50], loss: 'mse-onehot', optimizer: 'adam', lr: 1e-3, lrDecay: 0.7, epochs: 1 })
 *   .subscribe((e) => e.type === 'epoch-end' && console.log(e.metrics.testAccuracy));
 */
export function trainMlp(config: TrainConfig): Observable<NnsymEvent> {
  return new Observable<NnsymEvent>((subscriber) => {
    const state = { cancelled: false };
    runTraining(config, subscriber, state).catch((e) => subscriber.error(e));
    return () => {
      state.cancelled = true;
    };
  });
}


async function runTraining(config: TrainConfig, sub: Subscriber<NnsymEvent>, state: { cancelled: boolean }): Promise<void> {
  const host = config.host ?? defaultHost;
  const ds = config.dataset;
  const seed = config.seed ?? 0;
  const epochs = config.epochs ?? 20;
  const batchSize = config.batchSize ?? 64;
  const lr0 = config.lr ?? 1e-3;
  const bias = config.bias ?? true;
  const optimizerId = config.optimizer ?? 'adam';
  if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`epochs must be a positive integer, got ${epochs}`, '--epochs');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`batch size must be a positive integer, got ${batchSize}`, '--batch');
  if (!config.hidden.every((h) => Number.isInteger(h) && h > 0)) throw new UsageError(`hidden widths must be positive integers, got ${config.hidden.join(',')}`, '--hidden');
  const arch = trainArchitecture(config.arch ?? 'mlp', { hidden: config.hidden, bias, activation: config.activation }, host);
  const activationId = arch.activation;
  const preVariance = config.preVariance ?? { sigmaW: arch.sigmaW, sigmaB: arch.sigmaB };
  const loss: Loss = typeof config.loss === 'object' ? config.loss : (createFromPlugin(host.kind('loss').get(config.loss ?? 'xent'), {}) as Loss);
  const act = resolveActivation(activationId, host, { sigmaW: preVariance.sigmaW, sigmaB: preVariance.sigmaB, bias });
  if (act.needsContext && config.hidden.length !== 1) {
    throw new UsageError(`activation "${activationId}" depends on the input (q(x) of the first layer) and needs exactly one hidden layer, got --hidden ${config.hidden.join(',')}`, '--hidden');
  }
  const schedule = stepDecay(lr0, config.lrDecay ?? 1, config.lrDecayEvery ?? 1);
  const train = limitSplit(ds.train, config.limitTrain);
  const test = limitSplit(ds.test, config.limitTest);
  const sizes = [train.d, ...config.hidden, ds.numClasses];
  const shapes = mlpShapes({ sizes, bias });
  const actLabel = act.needsContext ? `${activationId}(sw=${preVariance.sigmaW},sb=${preVariance.sigmaB})` : activationId;
  const fingerprint: ModelFingerprint = { arch: arch.id, sizes, bias, activation: actLabel, loss: loss.id, optimizer: optimizerId, dataset: ds.id, numClasses: ds.numClasses };
  const optimizer: Optimizer = createFromPlugin(host.kind('optimizer').get(optimizerId), config.optimizerConfig ?? {}) as Optimizer;

  // Starting point: a checkpoint (resume) or a fresh init.
  let params: HostParams;
  let startEpoch = 0;
  let startBatch = 0;
  let step = 0;
  let history: Record<string, number>[] = [];
  let resumedFrom: string | undefined;
  if (config.resume && config.checkpointDir && hasCheckpoint(config.checkpointDir)) {
    const ck = readCheckpoint(config.checkpointDir);
    const diff = fingerprintDiff(ck.meta.fingerprint, fingerprint);
    if (diff.length) throw new UsageError(`--resume: the checkpoint in ${config.checkpointDir} is of another model: ${diff.join('; ')}`, '--resume');
    params = ck.params;
    optimizer.setState({ slots: ck.slots, scalars: ck.meta.optimizerScalars }, paramsShapesInternal(shapes));
    startEpoch = ck.meta.epoch;
    startBatch = ck.meta.batch;
    step = ck.meta.step;
    history = ck.meta.history;
    resumedFrom = config.checkpointDir;
  } else {
    const init = config.init ?? ((s: LayerShape[], sd: SeedKey) => defaultMlpInit(s, sd, { sw: arch.sigmaW, sb: arch.sigmaB }));
    params = typeof init === 'function' ? init(shapes, seed) : init;
    checkParamShapes(params, shapes);
  }

  const vars: Variable[] = paramsToVariables(params);
  const hostParams = () => tensorsToParams(vars, shapes);
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    vars.forEach((v) => v.dispose());
    optimizer.dispose();
  };
  const emit = (e: NnsymEvent) => {
    if (!state.cancelled) sub.next(e);
  };
  const saveCheckpoint = (epoch: number, batch: number) => {
    if (!config.checkpointDir) return;
    const st = optimizer.getState();
    writeCheckpoint(config.checkpointDir, { fingerprint, epoch, batch, step, seed, optimizerScalars: st.scalars, history }, hostParams(), st.slots);
    emit({ type: 'checkpoint', path: config.checkpointDir, epoch, step });
  };
  const hooks = config.hooks ?? [];
  const runHooks = (epoch: number, lossV: number, lr: number, force = false) => {
    for (const h of hooks) {
      if (force || step % h.every === 0) emit({ type: 'metric', step, name: h.name, values: h.compute({ step, epoch, loss: lossV, lr, params: hostParams }) });
    }
  };

  const t0 = Date.now();
  emit({
    type: 'run-start',
    command: 'train',
    seed,
    backend: currentBackend()?.name ?? tf.getBackend(),
    version: NNSYM_VERSION,
    time: new Date().toISOString(),
    config: {
      arch: arch.id, sizes, bias, activation: actLabel, loss: loss.id, optimizer: optimizerId, optimizerConfig: config.optimizerConfig ?? {}, lr: lr0,
      lrDecay: config.lrDecay ?? 1, lrDecayEvery: config.lrDecayEvery ?? 1, epochs, batchSize, dataset: ds.id, datasetSource: ds.source,
      nTrain: train.n, nTest: test.n, init: resumedFrom ? 'checkpoint' : (config.initLabel ?? (config.init ? 'custom' : `normal(sw=${arch.sigmaW},sb=${arch.sigmaB})`)), resumedFrom: resumedFrom ?? null,
      startEpoch, startStep: step, precision: 'float32 (tfjs), float64 epoch metrics',
    },
  });

  const nb = Math.ceil(train.n / batchSize);
  const xb = new Float32Array(Math.min(batchSize, train.n) * train.d);
  const yb = new Int32Array(Math.min(batchSize, train.n));
  const every = config.batchEventEvery ?? 1;
  let trainSeconds = 0;
  let trainSamples = 0;
  let lastLoss = NaN;
  if (step === 0 && startEpoch < epochs) runHooks(startEpoch, NaN, schedule(startEpoch), true);

  try {
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      emit({ type: 'epoch-start', epoch, epochs });
      const lr = schedule(epoch);
      const perm = Rng.derive(seed, 'shuffle', epoch).permutation(train.n);
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      const te0 = Date.now();
      for (let b = epoch === startEpoch ? startBatch : 0; b < nb; b++) {
        if (state.cancelled) return;
        if (config.signal?.aborted) {
          saveCheckpoint(epoch, b);
          emit({ type: 'run-end', interrupted: true, summary: summary() });
          cleanup();
          sub.complete();
          return;
        }
        const from = b * batchSize;
        const to = Math.min(train.n, from + batchSize);
        const B = to - from;
        gather(train, perm, from, to, xb, yb);
        const x = tf.tensor2d(xb.subarray(0, B * train.d), [B, train.d]);
        const y = tf.tensor1d(yb.subarray(0, B), 'int32') as Tensor1D;
        const r = mlpLossAndGrads(vars, shapes, act, loss, x as Tensor2D, y, ds.numClasses);
        const [lv, cv] = tf.tidy(() => tf.stack([r.loss, r.correct]).dataSync());
        if (!Number.isFinite(lv)) {
          tf.dispose([x, y, r.loss, r.correct, ...r.grads]);
          const cause = Number.isNaN(lv) ? 'NaN loss' : `${lv > 0 ? '+' : '-'}Infinity loss`;
          emit({
            type: 'error',
            message: `training diverged: ${cause} at step ${step} (epoch ${epoch}, batch ${b}); last finite batch loss ${lastLoss}; try a smaller --lr`,
            step,
            cause,
          });
          cleanup();
          sub.complete();
          return;
        }
        optimizer.step({
          params: vars,
          grads: r.grads,
          lr,
          step,
          gradAt: (ps) => {
            const q = mlpLossAndGrads(ps, shapes, act, loss, x as Tensor2D, y, ds.numClasses);
            tf.dispose([q.loss, q.correct]);
            return q.grads;
          },
        });
        tf.dispose([x, y, r.loss, r.correct, ...r.grads]);
        step++;
        lastLoss = lv;
        lossSum += lv * B;
        correctSum += cv;
        seen += B;
        if (step % every === 0 || b === nb - 1) {
          const info = optimizer.lastStepInfo?.();
          emit({ type: 'batch-end', epoch, batch: b, step, loss: lv, size: B, metrics: { accuracy: cv / B, lr, ...(info ?? {}) } });
        }
        runHooks(epoch, lv, lr);
        await nextMacrotask();
      }
      const seconds = (Date.now() - te0) / 1000;
      trainSeconds += seconds;
      trainSamples += seen;
      const ev = evaluateMlp(vars, shapes, act, loss, test, ds.numClasses);
      const metrics: Record<string, number> = { loss: lossSum / Math.max(1, seen), accuracy: correctSum / Math.max(1, seen), testLoss: ev.loss, testAccuracy: ev.accuracy, lr, samplesPerSecond: seen / Math.max(seconds, 1e-9), seconds };
      history.push({ epoch, ...metrics });
      saveCheckpoint(epoch + 1, 0);
      emit({ type: 'epoch-end', epoch, epochs, metrics });
    }
    for (const h of hooks) if (step % h.every !== 0) emit({ type: 'metric', step, name: h.name, values: h.compute({ step, epoch: epochs - 1, loss: lastLoss, lr: schedule(epochs - 1), params: hostParams }) });
    config.onFinish?.(hostParams());
    emit({ type: 'run-end', interrupted: false, summary: summary() });
    cleanup();
    sub.complete();
  } finally {
    cleanup();
  }

  function summary(): Record<string, unknown> {
    const last = history[history.length - 1];
    let best = -1;
    for (let i = 0; i < history.length; i++) if (best < 0 || history[i]['testAccuracy'] > history[best]['testAccuracy']) best = i;
    return {
      epochs: history.length,
      steps: step,
      loss: last?.['loss'] ?? null,
      accuracy: last?.['accuracy'] ?? null,
      testLoss: last?.['testLoss'] ?? null,
      testAccuracy: last?.['testAccuracy'] ?? null,
      bestTestAccuracy: best >= 0 ? history[best]['testAccuracy'] : null,
      bestEpoch: best >= 0 ? history[best]['epoch'] : null,
      samplesPerSecond: trainSeconds > 0 ? trainSamples / trainSeconds : null,
      seconds: (Date.now() - t0) / 1000,
      parameters: shapes.reduce((a, s) => a + s.out * s.in + (s.bias ? s.out : 0), 0),
      history,
      resumedFrom: resumedFrom ?? null,
    };
  }
}

/** Internal (transposed) shapes of the parameter tensors, in optimiser order. */
function paramsShapesInternal(shapes: LayerShape[]): number[][] {
  return shapes.flatMap((s) => (s.bias ? [[s.in, s.out], [s.out]] : [[s.in, s.out]]));
}

function checkParamShapes(params: HostParams, shapes: LayerShape[]): void {
  if (params.length !== shapes.length) throw new UsageError(`init: ${params.length} layers given, the model has ${shapes.length}`, '--init');
  params.forEach((L, l) => {
    const s = shapes[l];
    if (L.out !== s.out || L.in !== s.in || L.w.length !== s.out * s.in) throw new UsageError(`init: layer ${l} is ${L.out}x${L.in}, the model needs ${s.out}x${s.in}`, '--init');
    if (s.bias !== Boolean(L.b) || (L.b && L.b.length !== s.out)) throw new UsageError(`init: layer ${l} bias ${L.b ? L.b.length : 'absent'}, the model needs ${s.bias ? s.out : 'none'}`, '--init');
  });
}

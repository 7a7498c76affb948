import { Observable } from 'rxjs';
import { defer, Rng, type NnsymEvent, type SeedKey } from '@nnsym/core';
import { type Loss64, type Mlp64, type Activation64, cloneMlp, flatten, forward64, lossAndGrad64, paramCount64, unflatten } from './mlp64';
import { charge, chargeScale, type FamilyReport, type Generator, mlpGenerators } from './generators';

/** Optimisers of the Noether study (all full float64 on the host). */
export type NoetherOptimizer = 'gd' | 'flow' | 'sgd' | 'momentum' | 'adam';

export interface NoetherData {
  /** [n, d_in] row-major. */
  X: Float64Array;
  /** [n, d_out] row-major (one-hot for xent). */
  Y: Float64Array;
  n: number;
}

export interface NoetherRunConfig {
  net: Mlp64;
  data: NoetherData;
  loss: Loss64;
  optimizer: NoetherOptimizer;
  /** Step size eta (for `flow`, the RK4 step h; the flow then runs to time steps * h). */
  lr: number;
  steps: number;
  /** Minibatch size for sgd / momentum / adam (default: full batch). */
  batch?: number;
  seed?: SeedKey;
  /** Emit a metric event every this many steps (default: steps / 50). */
  recordEvery?: number;
  homogeneousDegree?: number;
  linear?: boolean;
  /** Data augmentation: a map applied to each minibatch's inputs, drawn fresh per step. */
  augment?: (X: Float64Array, n: number, rng: Rng) => Float64Array;
  /** Watchers called at step 0 and after every step with the current parameters (see noether/observers.ts). */
  observers?: NoetherObserver[];
  /**
   * Stop early (e.g. wired to SIGINT): checked between slices of steps (about 50 ms each); the run then ends with
   * `run-end { interrupted: true }` and a summary of the steps done (`complete: false`).
   */
  signal?: AbortSignal;
}

/**
 * Something that watches a {@link trackNoether} run: `observe(step, theta)` is called at step 0 and after every
 * optimisation step with the current flat parameters (read-only; copy what you keep).
 */
export interface NoetherObserver {
  observe(step: number, theta: Float64Array): void;
}

export interface QuantityReport {
  name: string;
  family: string;
  formula?: string;
  initial: number;
  final: number;
  /** max_t |Q(t) - Q(0)| / scale(0): see {@link chargeScale}. */
  maxRelativeDrift: number;
  /** Whether this quantity is a symmetry charge (false for controls). */
  conserved: boolean;
}

export interface NoetherSummary {
  quantities: QuantityReport[];
  families: FamilyReport[];
  loss: { initial: number; final: number };
  /** Steps done (fewer than requested when the run was stopped through `signal`). */
  steps: number;
  /** Steps requested. */
  stepsRequested: number;
  /** False when the run was stopped early through `signal`. */
  complete: boolean;
  optimizer: NoetherOptimizer;
  lr: number;
  /** Gradient-flow time reached (steps * lr). */
  time: number;
  precision: 'float64';
  /** The charges' largest relative drift, and the controls' smallest. */
  maxChargeDrift: number;
  minControlDrift: number;
}

/**
 * Train an MLP in float64 and track every Noether charge of its continuous symmetries along the way, as a cold
 * Observable of `run-start`, `metric` (name `charges`: `{ loss, maxDrift, <charge>: value }`), `progress`, and
 * `run-end` (summary {@link NoetherSummary}) — or an `error` event naming the step if the loss diverges.
 * The steps run in slices of about 50 ms, each in its own macrotask, so progress renders and `signal` (Ctrl-C) is
 * seen between slices; an aborted run ends with the steps done (the path is the same as an uninterrupted run's).
 *
 * Gradient flow conserves every charge exactly (Głuch & Urbanke, arXiv 2104.05508); explicit Euler steps (`gd`) change
 * Q by eta^2/2 g^T A g per step, so at a fixed flow time the drift falls linearly in eta; RK4 (`flow`) as eta^4.
 * SGD, momentum and Adam need not conserve them. A control quantity that is not a charge (|W_0|^2) is tracked too.
 *
 * @example
 * trackNoether({ net, data, loss: 'mse', optimizer: 'gd', lr: 1e-3, steps: 2000, homogeneousDegree: 1 })
 *   .subscribe((e) => e.type === 'run-end' && console.log(e.summary));
 */
export function trackNoether(cfg: NoetherRunConfig): Observable<NnsymEvent> {
  return new Observable<NnsymEvent>((sub) => {
    const net = cloneMlp(cfg.net);
    const { generators, families } = mlpGenerators(net, { homogeneousDegree: cfg.homogeneousDegree, linear: cfg.linear, loss: cfg.loss });
    const controls: Generator[] = [
      {
        name: 'control:|W0|^2',
        family: 'control',
        kind: 'linear',
        apply: (theta, out) => {
          const len = net.layers[0].W.length;
          for (let i = 0; i < len; i++) out[i] = theta[i];
        },
        formula: '1/2 |W_0|^2 (not a symmetry charge)',
      },
    ];
    const all = [...generators, ...controls];
    const P = paramCount64(net);
    const scratch = new Float64Array(P);
    let theta = flatten(net);
    const q0 = all.map((g) => charge(g, theta, scratch));
    const scale0 = all.map((g, i) => Math.max(chargeScale(g, theta, scratch), Math.abs(q0[i]), 1e-12));
    const maxDrift = new Float64Array(all.length);
    const rng = new Rng(cfg.seed ?? 0, ['noether']);
    const steps = cfg.steps;
    const every = cfg.recordEvery ?? Math.max(1, Math.floor(steps / 50));
    const full = cfg.data;
    const initialLoss = lossAndGrad64(net, full.X, full.Y, full.n, cfg.loss).loss;

    sub.next({
      type: 'run-start',
      command: 'noether',
      config: { optimizer: cfg.optimizer, lr: cfg.lr, steps, loss: cfg.loss, params: P },
      seed: cfg.seed ?? 0,
      backend: 'host-float64',
      time: new Date().toISOString(),
    });

    const m = new Float64Array(P);
    const v = new Float64Array(P);
    const grad = new Float64Array(P);
    const batchOf = (): NoetherData => {
      const b = cfg.batch;
      let X = full.X;
      let Y = full.Y;
      let n = full.n;
      if (b && b < full.n && cfg.optimizer !== 'gd' && cfg.optimizer !== 'flow') {
        const dIn = full.X.length / full.n;
        const dOut = full.Y.length / full.n;
        X = new Float64Array(b * dIn);
        Y = new Float64Array(b * dOut);
        for (let s = 0; s < b; s++) {
          const k = rng.int(full.n);
          X.set(full.X.subarray(k * dIn, (k + 1) * dIn), s * dIn);
          Y.set(full.Y.subarray(k * dOut, (k + 1) * dOut), s * dOut);
        }
        n = b;
      }
      if (cfg.augment) X = cfg.augment(X, n, rng);
      return { X, Y, n };
    };
    const gradAt = (th: Float64Array, d: NoetherData, out: Float64Array): number => {
      unflatten(net, th);
      return lossAndGrad64(net, d.X, d.Y, d.n, cfg.loss, out).loss;
    };

    const record = (step: number, lossValue: number) => {
      const values: Record<string, number> = { loss: lossValue };
      let worst = 0;
      for (let i = 0; i < all.length; i++) {
        const q = charge(all[i], theta, scratch);
        const drift = Math.abs(q - q0[i]) / scale0[i];
        if (drift > maxDrift[i]) maxDrift[i] = drift;
        if (i < generators.length && drift > worst) worst = drift;
        if (i < 8 || i >= generators.length) values[all[i].name] = q;
      }
      values['maxChargeDrift'] = worst;
      sub.next({ type: 'metric', step, name: 'charges', values });
    };

    let lossValue = initialLoss;
    record(0, lossValue);
    const observers = cfg.observers ?? [];
    for (const ob of observers) ob.observe(0, theta);
    const k1 = new Float64Array(P);
    const k2 = new Float64Array(P);
    const k3 = new Float64Array(P);
    const k4 = new Float64Array(P);
    const tmp = new Float64Array(P);
    const eta = cfg.lr;
    /** One step t (1-based); false when the run diverged (the error event was sent). */
    const stepOnce = (t: number): boolean => {
      const d = batchOf();
      switch (cfg.optimizer) {
        case 'gd':
        case 'sgd': {
          lossValue = gradAt(theta, d, grad);
          for (let i = 0; i < P; i++) theta[i] -= eta * grad[i];
          break;
        }
        case 'momentum': {
          lossValue = gradAt(theta, d, grad);
          for (let i = 0; i < P; i++) {
            m[i] = 0.9 * m[i] + grad[i];
            theta[i] -= eta * m[i];
          }
          break;
        }
        case 'adam': {
          lossValue = gradAt(theta, d, grad);
          const b1 = 0.9;
          const b2 = 0.999;
          const c1 = 1 - Math.pow(b1, t);
          const c2 = 1 - Math.pow(b2, t);
          for (let i = 0; i < P; i++) {
            m[i] = b1 * m[i] + (1 - b1) * grad[i];
            v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
            theta[i] -= (eta * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-8);
          }
          break;
        }
        case 'flow': {
          // Classical RK4 on theta' = -grad L(theta).
          lossValue = gradAt(theta, d, k1);
          for (let i = 0; i < P; i++) tmp[i] = theta[i] - 0.5 * eta * k1[i];
          gradAt(tmp, d, k2);
          for (let i = 0; i < P; i++) tmp[i] = theta[i] - 0.5 * eta * k2[i];
          gradAt(tmp, d, k3);
          for (let i = 0; i < P; i++) tmp[i] = theta[i] - eta * k3[i];
          gradAt(tmp, d, k4);
          for (let i = 0; i < P; i++) theta[i] -= (eta / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
          break;
        }
      }
      if (!Number.isFinite(lossValue) || !theta.every(Number.isFinite)) {
        sub.next({
          type: 'error',
          message: `training diverged at step ${t}: loss is ${lossValue}`,
          step: t,
          cause: `non-finite ${Number.isFinite(lossValue) ? 'parameters' : 'loss'} with ${cfg.optimizer} at lr ${eta}; lower the step size`,
        });
        return false;
      }
      for (const ob of observers) ob.observe(t, theta);
      if (t % every === 0 || t === steps) {
        unflatten(net, theta);
        const fullLoss = cfg.batch || cfg.augment ? lossAndGrad64(net, full.X, full.Y, full.n, cfg.loss).loss : lossValue;
        record(t, fullLoss);
      }
      return true;
    };
    const finish = (done: number): void => {
      unflatten(net, theta);
      const finalLoss = lossAndGrad64(net, full.X, full.Y, full.n, cfg.loss).loss;
      // A run stopped between recorded steps records where it stopped (its charges' drift counts too).
      if (done > 0 && done % every !== 0 && done !== steps) record(done, finalLoss);
      theta = flatten(net);
      const quantities: QuantityReport[] = all.map((g, i) => ({
        name: g.name,
        family: g.family,
        formula: g.formula,
        initial: q0[i],
        final: charge(g, theta, scratch),
        maxRelativeDrift: maxDrift[i],
        conserved: g.family !== 'control',
      }));
      const charges = quantities.filter((q) => q.conserved);
      const ctrl = quantities.filter((q) => !q.conserved);
      const summary: NoetherSummary = {
        quantities,
        families,
        loss: { initial: initialLoss, final: finalLoss },
        steps: done,
        stepsRequested: steps,
        complete: done === steps,
        optimizer: cfg.optimizer,
        lr: eta,
        time: done * eta,
        precision: 'float64',
        maxChargeDrift: charges.reduce((s, q) => Math.max(s, q.maxRelativeDrift), 0),
        minControlDrift: ctrl.reduce((s, q) => Math.min(s, q.maxRelativeDrift), Infinity),
      };
      sub.next({ type: 'run-end', ...(done < steps ? { interrupted: true } : {}), summary: summary as unknown as Record<string, unknown> });
      sub.complete();
    };
    // Slices of about 50 ms of steps, each in its own macrotask (core's `defer`), so progress renders and `signal` is
    // seen between them; the path does not depend on the slicing, only where an abort stops it.
    let t = 0;
    let stopped = false;
    let lastProgress = 0;
    let cancel: (() => void) | undefined;
    const tick = (): void => {
      if (stopped) return;
      try {
        if (t >= steps || cfg.signal?.aborted) {
          stopped = true;
          finish(t);
          return;
        }
        const until = Date.now() + 50;
        do {
          if (!stepOnce(++t)) {
            stopped = true;
            sub.complete();
            return;
          }
        } while (t < steps && Date.now() < until);
        // Progress about once a second (and at the end), however long a step takes.
        if (t === steps || Date.now() - lastProgress >= 1000) {
          lastProgress = Date.now();
          sub.next({ type: 'progress', done: t, total: steps, unit: 'steps' });
        }
        cancel = defer(tick);
      } catch (e) {
        stopped = true;
        sub.error(e);
      }
    };
    cancel = defer(tick);
    return () => {
      stopped = true;
      cancel?.();
    };
  });
}

/**
 * A random MLP in the NN-QFT initialisation (W ~ N(0, sw^2/fan_in), b ~ N(0, sb^2)), float64.
 * `sizes` = [d_in, hidden..., d_out].
 */
export function randomMlp64(
  sizes: number[],
  activation: Activation64 | string,
  opts: { seed?: SeedKey; sigmaW?: number; sigmaB?: number; bias?: boolean } = {},
): Mlp64 {
  const rng = new Rng(opts.seed ?? 0, ['mlp64']);
  const sw = opts.sigmaW ?? 1;
  const sb = opts.sigmaB ?? 1;
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const di = sizes[l];
    const dout = sizes[l + 1];
    const W = rng.fillNormal(new Float64Array(dout * di), 0, sw / Math.sqrt(di));
    const b = opts.bias === false ? undefined : rng.fillNormal(new Float64Array(dout), 0, sb);
    layers.push({ in: di, out: dout, W, ...(b ? { b } : {}) });
  }
  // An id is resolved from the registry; an Activation64 is kept with the net (its f, df are used as given).
  return typeof activation === 'string' ? { layers, activation } : { layers, activation: activation.id, act: activation };
}

/**
 * Teacher-student regression data: X ~ N(0, I), Y = teacher(X) for a random teacher MLP of the given sizes
 * (or one-hot argmax labels of the teacher's outputs, for `xent`).
 */
export function teacherData(sizes: number[], activation: Activation64 | string, n: number, loss: Loss64, seed: SeedKey = 0): NoetherData {
  const teacher = randomMlp64(sizes, activation, { seed: `${seed}:teacher` });
  const rng = new Rng(seed, ['teacher-data']);
  const X = rng.fillNormal(new Float64Array(n * sizes[0]));
  const out = forward64(teacher, X, n);
  if (loss === 'mse') return { X, Y: out, n };
  const d = sizes[sizes.length - 1];
  const Y = new Float64Array(n * d);
  for (let s = 0; s < n; s++) {
    let best = 0;
    for (let a = 1; a < d; a++) if (out[s * d + a] > out[s * d + best]) best = a;
    Y[s * d + best] = 1;
  }
  return { X, Y, n };
}

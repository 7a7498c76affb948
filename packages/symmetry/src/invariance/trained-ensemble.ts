import { architecturePlugin, architecturesWith, Rng, UsageError, type SeedKey } from '@nnsym/core';
import type { OutputChunk } from './accumulator';
import type { ParameterSide } from './types';

/** A regression task: training inputs X [P_train, d_in] and targets Y [P_train, d_out]. */
export interface TrainingTask {
  inputs: readonly Float64Array[];
  targets: readonly Float64Array[];
  /** Full-batch gradient-descent steps and step size (default 200, 0.05). */
  steps?: number;
  lr?: number;
}

/** Activations the trained-ensemble engine differentiates (`gauss`: exp with the Gauss-net normalisation). */
const TRAINED_ACTIVATIONS = new Set(['relu', 'tanh', 'gauss']);

/**
 * Ids of the families trained ensembles apply to: the architectures whose plugin declares
 * `capabilities.engines.trained`, in listing order.
 *
 * @example trainedArchitectures(); // ['gauss-net', 'relu-net', 'tanh-net']
 */
export function trainedArchitectures(): string[] {
  return architecturesWith((c) => c.engines?.trained === true);
}

/** The ensemble before training (single hidden layer, NN-QFT init; `arch` one of {@link trainedArchitectures}). */
export interface TrainedEnsembleSpec {
  arch: string;
  dIn: number;
  dOut: number;
  width: number;
  networks: number;
  sw?: number;
  sb?: number;
}

/**
 * Train every network of an ensemble (float64, host) by full-batch gradient descent on the MSE
 * L = 1/(2P) Σ_i |f(x_i) − y_i|², then evaluate the trained networks at `points`: chunks [count, P, d_out].
 * Training correlates the parameters, so the trained density is no longer the product law of the init.
 *
 * When to use: symmetry during training (issue item 4). Gradient descent on this loss is equivariant: for ρ
 * orthogonal, (W1, b1) -> (ρW1, ρb1) maps the trajectory with targets Y to the one with targets ρY, and
 * W0 -> W0 ρᵀ maps inputs X to ρX; so the trained density keeps the subgroup of the init's symmetry that fixes the
 * targets (outputs) or the training inputs (inputs) — see {@link trainedParameterSide}.
 *
 * @example
 * const chunks = trainedEnsembleChunks({ arch: 'tanh-net', dIn: 1, dOut: 3, width: 20, networks: 2000 },
 *   { inputs: [Float64Array.of(0.5)], targets: [Float64Array.of(1, 0, 0)] }, [Float64Array.of(1)], 0);
 */
export function* trainedEnsembleChunks(spec: TrainedEnsembleSpec, task: TrainingTask, points: readonly Float64Array[], seed: SeedKey, chunkSize = 500): Generator<OutputChunk> {
  const { dIn, dOut, width: N } = spec;
  const P = task.inputs.length;
  if (P === 0 || task.targets.length !== P) throw new UsageError('training task: need as many targets as inputs (at least one)', 'task');
  for (const x of [...task.inputs, ...points]) if (x.length !== dIn) throw new UsageError(`training task: an input has dimension ${x.length}, d_in is ${dIn}`, 'task');
  for (const y of task.targets) if (y.length !== dOut) throw new UsageError(`training task: a target has dimension ${y.length}, d_out is ${dOut}`, 'task');
  const sw = spec.sw ?? 1;
  const sb = spec.sb ?? 1;
  const steps = task.steps ?? 200;
  const lr = task.lr ?? 0.05;
  const caps = architecturePlugin(spec.arch)?.capabilities;
  const act = caps?.dense?.activation;
  if (!caps?.engines?.trained || act === undefined || !TRAINED_ACTIVATIONS.has(act)) {
    throw new UsageError(`--train: trained ensembles support ${trainedArchitectures().join(', ')}; got --arch ${spec.arch}`, '--train');
  }
  const gaussScale = (x: Float64Array) => (act === 'gauss' ? Math.exp(-(sb * sb + (sw * sw * x.reduce((s, v) => s + v * v, 0)) / dIn)) : 1);
  const phi = (z: number) => (act === 'relu' ? (z > 0 ? z : 0) : act === 'tanh' ? Math.tanh(z) : Math.exp(z));
  const dphi = (z: number, h: number) => (act === 'relu' ? (z > 0 ? 1 : 0) : act === 'tanh' ? 1 - h * h : h);
  const w0 = new Float64Array(N * dIn);
  const b0 = new Float64Array(N);
  const w1 = new Float64Array(dOut * N);
  const b1 = new Float64Array(dOut);
  const z = new Float64Array(P * N);
  const h = new Float64Array(P * N);
  const e = new Float64Array(P * dOut);
  const gw0 = new Float64Array(N * dIn);
  const gb0 = new Float64Array(N);
  const gw1 = new Float64Array(dOut * N);
  const gb1 = new Float64Array(dOut);
  const scaleTrain = task.inputs.map(gaussScale);
  const scaleEval = points.map(gaussScale);
  for (let start = 0, chunk = 0; start < spec.networks; start += chunkSize, chunk++) {
    const count = Math.min(chunkSize, spec.networks - start);
    const rng = Rng.derive(seed, 'trained-ensemble', chunk);
    const out = new Float64Array(count * points.length * dOut);
    for (let m = 0; m < count; m++) {
      rng.fillNormal(w0, 0, sw / Math.sqrt(dIn));
      rng.fillNormal(b0, 0, sb);
      rng.fillNormal(w1, 0, sw / Math.sqrt(N));
      rng.fillNormal(b1, 0, sb);
      for (let t = 0; t < steps; t++) {
        gw0.fill(0);
        gb0.fill(0);
        gw1.fill(0);
        gb1.fill(0);
        for (let p = 0; p < P; p++) {
          const x = task.inputs[p];
          for (let j = 0; j < N; j++) {
            let s = b0[j];
            for (let i = 0; i < dIn; i++) s += w0[j * dIn + i] * x[i];
            z[p * N + j] = s;
            h[p * N + j] = phi(s) * scaleTrain[p];
          }
          for (let a = 0; a < dOut; a++) {
            let f = b1[a];
            for (let j = 0; j < N; j++) f += w1[a * N + j] * h[p * N + j];
            const err = (f - task.targets[p][a]) / P;
            e[p * dOut + a] = err;
            gb1[a] += err;
            for (let j = 0; j < N; j++) gw1[a * N + j] += err * h[p * N + j];
          }
          for (let j = 0; j < N; j++) {
            let back = 0;
            for (let a = 0; a < dOut; a++) back += e[p * dOut + a] * w1[a * N + j];
            // dh/dz: relu 1[z > 0]; tanh 1 − h²; gauss-net h = exp(z)·scale(x), so dh/dz = h.
            const dz = back * dphi(z[p * N + j], h[p * N + j]);
            gb0[j] += dz;
            for (let i = 0; i < dIn; i++) gw0[j * dIn + i] += dz * x[i];
          }
        }
        for (let k = 0; k < w0.length; k++) w0[k] -= lr * gw0[k];
        for (let k = 0; k < b0.length; k++) b0[k] -= lr * gb0[k];
        for (let k = 0; k < w1.length; k++) w1[k] -= lr * gw1[k];
        for (let k = 0; k < b1.length; k++) b1[k] -= lr * gb1[k];
      }
      points.forEach((x, q) => {
        for (let a = 0; a < dOut; a++) out[(m * points.length + q) * dOut + a] = b1[a];
        for (let j = 0; j < N; j++) {
          let s = b0[j];
          for (let i = 0; i < dIn; i++) s += w0[j * dIn + i] * x[i];
          const hj = phi(s) * scaleEval[q];
          for (let a = 0; a < dOut; a++) out[(m * points.length + q) * dOut + a] += w1[a * N + j] * hj;
        }
      });
    }
    yield { count, points: points.length, dOut, outputs: out };
  }
}

/**
 * The parameter side of a trained ensemble: the init's (zero-mean normal, O(n)) invariance restricted to the
 * subgroup that fixes the targets y_i (outputs, up to a common sign for even orders) and the training inputs x_i
 * (inputs) — the equivariance of gradient descent on the MSE transports exactly that subgroup.
 */
export function trainedParameterSide(spec: TrainedEnsembleSpec, task: TrainingTask): ParameterSide {
  return {
    arch: spec.arch,
    first: { invariance: 'orthogonal', means: task.inputs.map((x) => Array.from(x)) },
    last: { invariance: 'orthogonal', means: task.targets.map((y) => Array.from(y)) },
  };
}

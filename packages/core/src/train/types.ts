import type { Plugin } from '../registry/plugin';
import type { Tensor, Tensor1D, Tensor2D, Variable } from '../tf';

/**
 * One dense layer on the host, in the project's convention: `w` is [out, in] row-major (so z = W a + b), `b` is
 * [out] or absent (networks without biases). Checkpoints, init callbacks and hooks use this form.
 */
export interface HostLayer {
  readonly out: number;
  readonly in: number;
  w: Float32Array;
  b?: Float32Array;
}

/** Parameters of a dense MLP, input layer first. */
export type HostParams = HostLayer[];

/** Shape of one dense layer, for init callbacks. */
export interface LayerShape {
  out: number;
  in: number;
  bias: boolean;
}

/**
 * A loss on network outputs `out` [B, C] and integer labels [B]. `valueAndGrad` is the training path (explicit
 * gradient, no autodiff tape); `value` is the same function written with differentiable tfjs ops (used to check
 * the explicit gradient against `tf.grad`); `predict` maps outputs to classes (argmax, or argmin for one-cold).
 */
export interface Loss {
  readonly id: string;
  /** Mean loss over the batch (scalar) and its gradient with respect to `out` [B, C]. */
  valueAndGrad(out: Tensor2D, labels: Tensor1D, numClasses: number): { loss: Tensor; grad: Tensor2D };
  value(out: Tensor2D, labels: Tensor1D, numClasses: number): Tensor;
  predict(out: Tensor2D): Tensor1D;
}

/** A loss plugin (kind `loss`). */
export type LossPlugin = Plugin<'loss', Record<string, never>, Loss>;

/** What an optimiser sees at one step. */
export interface OptimizerStep {
  /** The trainable variables, updated in place (`assign`). */
  readonly params: Variable[];
  /** Gradients of the batch loss at `params`, same order and shapes. */
  readonly grads: Tensor[];
  /** Learning rate (or time step of a gradient-flow integrator) at this step. */
  readonly lr: number;
  /** Global step, from 0. */
  readonly step: number;
  /**
   * Gradients of the same batch loss at other parameter values (for multi-stage integrators). The caller owns
   * the returned tensors.
   */
  gradAt(params: Tensor[]): Tensor[];
}

/** A stateful optimiser created by an optimiser plugin. */
export interface Optimizer {
  readonly id: string;
  /** Apply one update to `s.params`. Must not leak tensors. */
  step(s: OptimizerStep): void;
  /** Internal state for checkpoints: host copies of the slot tensors, and scalars (e.g. Adam's step count). */
  getState(): { slots: Float32Array[]; scalars: Record<string, number> };
  /** Restore a state written by `getState` for parameters of the given shapes. */
  setState(state: { slots: Float32Array[]; scalars: Record<string, number> }, shapes: number[][]): void;
  dispose(): void;
  /** Extra per-step figures (e.g. sub-steps an adaptive integrator took); optional. */
  lastStepInfo?(): Record<string, number>;
}

/** An optimiser plugin (kind `optimizer`); config holds its hyper-parameters (not the learning rate). */
export type OptimizerPlugin<C = unknown> = Plugin<'optimizer', C, Optimizer>;

/** Learning-rate schedule: lr at an epoch (from 0). */
export type LrSchedule = (epoch: number) => number;

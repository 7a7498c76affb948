import { tf } from '../tf';
import type { Tensor, Tensor1D, Tensor2D, Variable } from '../tf';
import { Rng } from '../rng/rng';
import { kernelBlas } from '../backend/blas/state';
import type { TrainActivation } from './activation';
import type { HostParams, LayerShape, Loss } from './types';

/** Architecture of a dense MLP: layer widths input first, e.g. [784, 50, 10]; biases on or off. */
export interface MlpSpec {
  sizes: number[];
  bias: boolean;
  activation: string;
}

/** Layer shapes of an MLP spec. */
export function mlpShapes(spec: Pick<MlpSpec, 'sizes' | 'bias'>): LayerShape[] {
  return spec.sizes.slice(1).map((out, l) => ({ out, in: spec.sizes[l], bias: spec.bias }));
}

/**
 * The default initialisation, in the project's NN-QFT convention (docs/conventions.md): W_l ~ N(0, sw^2 / fan_in),
 * b_l ~ N(0, sb^2), drawn on the host from `Rng.derive(seed, 'init')` layer by layer.
 */
export function defaultMlpInit(shapes: LayerShape[], seed: number | string, opts: { sw?: number; sb?: number } = {}): HostParams {
  const sw = opts.sw ?? 1;
  const sb = opts.sb ?? 1;
  return shapes.map((s, l) => {
    const rng = Rng.derive(seed, 'init', l);
    return {
      out: s.out,
      in: s.in,
      w: rng.normalArray(s.out * s.in, 0, sw / Math.sqrt(s.in)),
      b: s.bias ? rng.normalArray(s.out, 0, sb) : undefined,
    };
  });
}

/**
 * Trainable tensors of an MLP, in the trainer's internal layout: for each layer the *transposed* weight
 * Wt = W^T [in, out] (so the forward pass is x Wt, a non-transposed matMul) and, if present, b [out].
 * Order: Wt_0, b_0, Wt_1, b_1, ... (biases skipped when absent).
 */
export function paramsToTensors(params: HostParams): Tensor[] {
  const out: Tensor[] = [];
  for (const L of params) {
    out.push(tf.tidy(() => tf.transpose(tf.tensor2d(L.w, [L.out, L.in]))));
    if (L.b) out.push(tf.tensor1d(L.b));
  }
  return out;
}

/** Host copies of internal tensors, back in the [out, in] convention. */
export function tensorsToParams(tensors: Tensor[], shapes: LayerShape[]): HostParams {
  let k = 0;
  return shapes.map((s) => {
    const wt = tf.transpose(tensors[k++]);
    const w = wt.dataSync() as Float32Array;
    wt.dispose();
    const b = s.bias ? Float32Array.from(tensors[k++].dataSync() as Float32Array) : undefined;
    return { out: s.out, in: s.in, w: Float32Array.from(w), b };
  });
}

/** Variables from host parameters (trainable, owned by the caller). */
export function paramsToVariables(params: HostParams): Variable[] {
  return paramsToTensors(params).map((t) => {
    const v = tf.variable(t, true);
    t.dispose();
    return v;
  });
}

/**
 * Forward pass: outputs [B, C] for inputs x [B, d]. Tensors in internal layout (see {@link paramsToTensors}).
 * An input-dependent activation (gauss) gets its context q(x) [B, 1] in the first hidden layer.
 */
export function mlpForward(tensors: Tensor[], shapes: LayerShape[], act: TrainActivation, x: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    let a: Tensor = x;
    let k = 0;
    const ctx0 = act.context?.(x);
    shapes.forEach((s, l) => {
      let z: Tensor = tf.matMul(a as Tensor2D, tensors[k++] as Tensor2D);
      if (s.bias) z = tf.add(z, tensors[k++]);
      a = l < shapes.length - 1 ? act.apply(z, l === 0 ? ctx0 : undefined) : z;
    });
    return a as Tensor2D;
  });
}

/**
 * Loss and its gradient with respect to every parameter tensor, by an explicit backward pass. On the plain wasm
 * kernels every matMul is non-transposed (explicit `tf.transpose` instead of `transposeA/B`, which is 10-50x slower
 * there); with the BLAS kernels the transposes are sgemm flags (no transposed copy), same products:
 *
 *   z_l = a_l Wt_l + b_l,  a_{l+1} = phi(z_l),  out = z_{L-1}
 *   dWt_l = a_l^T dz_l,  db_l = sum_b dz_l,  da_l = dz_l Wt_l^T,  dz_{l-1} = phi'(z_{l-1}) * da_l.
 *
 * For an input-dependent activation (gauss: phi(z; x) = exp(z - q(x))) the first hidden layer uses the context
 * q(x) [B, 1]; q is constant in the parameters, so phi' is the derivative in z at fixed x (= phi for gauss).
 *
 * `options.transposeFlags` overrides the choice (default: flags exactly when the BLAS kernels are on).
 *
 * Returns tensors the caller must dispose: `loss` (scalar), `correct` (scalar count of right predictions),
 * `grads` in the order of `tensors`.
 */
export function mlpLossAndGrads(
  tensors: Tensor[],
  shapes: LayerShape[],
  act: TrainActivation,
  loss: Loss,
  x: Tensor2D,
  labels: Tensor1D,
  numClasses: number,
  options: { transposeFlags?: boolean } = {},
): { loss: Tensor; correct: Tensor; grads: Tensor[] } {
  return tf.tidy(() => {
    const acts: Tensor2D[] = [x];
    const pres: Tensor2D[] = [];
    let k = 0;
    const wIdx: number[] = [];
    const ctx0 = act.context?.(x);
    const ctxOf = (l: number) => (l === 0 ? ctx0 : undefined);
    shapes.forEach((s, l) => {
      wIdx.push(k);
      let z: Tensor2D = tf.matMul(acts[l], tensors[k++] as Tensor2D);
      if (s.bias) z = tf.add(z, tensors[k++]) as Tensor2D;
      pres.push(z);
      if (l < shapes.length - 1) acts.push(act.apply(z, ctxOf(l)) as Tensor2D);
    });
    const out = pres[pres.length - 1];
    const { loss: value, grad } = loss.valueAndGrad(out, labels, numClasses);
    const correct = tf.sum(tf.cast(tf.equal(loss.predict(out), labels), 'float32'));
    const grads: Tensor[] = new Array(tensors.length);
    let dz: Tensor2D = grad;
    const flags = options.transposeFlags ?? kernelBlas() !== undefined;
    for (let l = shapes.length - 1; l >= 0; l--) {
      const i = wIdx[l];
      grads[i] = flags ? tf.matMul(acts[l], dz, true, false) : tf.matMul(tf.transpose(acts[l]), dz);
      if (shapes[l].bias) grads[i + 1] = tf.sum(dz, 0);
      if (l > 0) {
        const W = tensors[i] as Tensor2D;
        const da = flags ? tf.matMul(dz, W, false, true) : tf.matMul(dz, tf.transpose(W));
        dz = act.backward(pres[l - 1], da, ctxOf(l - 1)) as Tensor2D;
      }
    }
    return { loss: value, correct, grads };
  });
}

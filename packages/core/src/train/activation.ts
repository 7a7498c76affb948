import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import { plugins as defaultHost, type PluginHost } from '../registry/kinds';
import { createFromPlugin } from '../registry/plugin';
import type { ActivationContext } from '../nn/types';

/**
 * An activation as the trainer uses it: the forward map and its vector-Jacobian product. Input-dependent
 * activations (the Gauss-net's exp(z − q(x))) also build their per-sample context from the network input.
 */
export interface TrainActivation {
  readonly id: string;
  /** True when φ depends on the input (see {@link TrainActivation.context}); the trainer then allows one hidden layer. */
  readonly needsContext: boolean;
  apply(z: Tensor, ctx?: ActivationContext): Tensor;
  /** da * phi'(z), elementwise (phi'(z; x) at fixed x for input-dependent activations). */
  backward(z: Tensor, da: Tensor, ctx?: ActivationContext): Tensor;
  /**
   * The context of the first hidden layer for a batch x [B, d_in]: `preVar` = q(x) [B, 1] (broadcast over the
   * hidden units of z [B, N]). Present only when {@link TrainActivation.needsContext}. Caller disposes.
   */
  context?(x: Tensor2D): ActivationContext;
}

/** The NN-QFT hyper-parameters that fix q(x) for input-dependent activations (the init's sigma_w, sigma_b). */
export interface PreVarianceSpec {
  sigmaW: number;
  sigmaB: number;
  /** Whether the first layer has a bias (q gets sigma_b^2 only then). */
  bias: boolean;
}

/**
 * q(x) = sigma_b^2 [bias] + sigma_w^2 |x|^2 / d_in per row of x [B, d_in], as [B, 1]: the variance of the first-layer
 * pre-activation z = W0 x + b0 under W0 ~ N(0, sigma_w^2 / d_in), b0 ~ N(0, sigma_b^2) (arXiv 2008.08601 eq. 2.14).
 * Constant in the parameters: training keeps the normalisation of the initial ensemble.
 */
export function preVarianceColumn(x: Tensor2D, spec: PreVarianceSpec): Tensor2D {
  return tf.tidy(() => {
    const d = x.shape[1];
    const q = tf.mul(tf.sum(tf.square(x), 1, true), (spec.sigmaW * spec.sigmaW) / d);
    return (spec.bias ? tf.add(q, spec.sigmaB * spec.sigmaB) : q) as Tensor2D;
  });
}

/**
 * Look up an activation in the `activation` registry and add its backward pass. ReLU gets the explicit
 * da * step(z); any other elementwise activation gets da * phi'(z) from `tf.grad` of its own `apply` (elementwise
 * ops only, so the autodiff tape holds no matMul). The registry entry may be the activation itself or a plugin
 * whose `create({})` returns it. Input-dependent activations (`needsContext`, e.g. `gauss`) get a `context(x)`
 * built from `preVariance` (default sigma_w = sigma_b = 1 with a bias).
 *
 * @example
 * const act = resolveActivation('gauss', plugins, { sigmaW: 1, sigmaB: 1, bias: true });
 * const ctx = act.context!(x);          // preVar [B, 1]
 * const a = act.apply(z, ctx);          // exp(z - q(x)), z [B, N]
 */
export function resolveActivation(id: string, host: PluginHost = defaultHost, preVariance: PreVarianceSpec = { sigmaW: 1, sigmaB: 1, bias: true }): TrainActivation {
  const reg = host.kind('activation');
  const entry = reg.get(id) as unknown as { apply?: (z: Tensor) => Tensor };
  const act = (typeof entry.apply === 'function' ? entry : createFromPlugin(reg.get(id), {})) as { apply: (z: Tensor, ctx?: ActivationContext) => Tensor; needsContext?: boolean };
  const needsContext = Boolean(act.needsContext);
  const apply = (z: Tensor, ctx?: ActivationContext) => act.apply(z, ctx);
  if (id === 'relu') return { id, needsContext, apply, backward: (z, da) => tf.tidy(() => tf.mul(da, tf.step(z))) };
  if (!needsContext) {
    const vjp = tf.grad((z: Tensor) => apply(z));
    return { id, needsContext, apply, backward: (z, da) => vjp(z, da) };
  }
  return {
    id,
    needsContext,
    apply,
    // The context is a constant of the backward pass (q depends on x only), so the vjp is taken in z alone.
    backward: (z, da, ctx) => tf.grad((zz: Tensor) => apply(zz, ctx))(z, da),
    context: (x) => ({ preVar: preVarianceColumn(x, preVariance) }),
  };
}

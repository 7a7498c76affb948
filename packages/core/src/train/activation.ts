import { tf } from '../tf';
import type { Tensor } from '../tf';
import { plugins as defaultHost, type PluginHost } from '../registry/kinds';
import { createFromPlugin } from '../registry/plugin';
import { UsageError } from '../errors';

/** An activation as the trainer uses it: the forward map and its vector-Jacobian product. */
export interface TrainActivation {
  readonly id: string;
  apply(z: Tensor): Tensor;
  /** da * phi'(z), elementwise. */
  backward(z: Tensor, da: Tensor): Tensor;
}

/**
 * Look up an activation in the `activation` registry and add its backward pass. ReLU gets the explicit
 * da * step(z); any other elementwise activation gets da * phi'(z) from `tf.grad` of its own `apply` (elementwise
 * ops only, so the autodiff tape holds no matMul). The registry entry may be the activation itself or a plugin
 * whose `create({})` returns it.
 */
export function resolveActivation(id: string, host: PluginHost = defaultHost): TrainActivation {
  const reg = host.kind('activation');
  const entry = reg.get(id) as unknown as { apply?: (z: Tensor) => Tensor };
  const act = (typeof entry.apply === 'function' ? entry : createFromPlugin(reg.get(id), {})) as { apply: (z: Tensor) => Tensor; needsContext?: boolean };
  if (act.needsContext) throw new UsageError(`activation "${id}" depends on the input (needs a pre-activation context) and cannot be used by the MLP trainer`, '--activation');
  const apply = (z: Tensor) => act.apply(z);
  if (id === 'relu') return { id, apply, backward: (z, da) => tf.tidy(() => tf.mul(da, tf.step(z))) };
  const vjp = tf.grad((z: Tensor) => apply(z));
  return { id, apply, backward: (z, da) => vjp(z, da) };
}

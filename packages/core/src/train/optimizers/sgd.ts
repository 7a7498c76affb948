import { z } from 'zod';
import { tf } from '../../tf';
import type { Variable } from '../../tf';
import type { Optimizer, OptimizerPlugin } from '../types';
import { slotsFromHost, slotsToHost, zeroSlots } from './slots';

/** SGD hyper-parameters (the learning rate comes from the schedule). */
export interface SgdConfig {
  /** Heavy-ball momentum mu in [0, 1); 0 is plain SGD. */
  momentum: number;
  /** Nesterov momentum. */
  nesterov: boolean;
}

/**
 * Stochastic gradient descent with heavy-ball momentum, in PyTorch's form: v <- mu v + g (v = g at the first
 * step), theta <- theta - lr v; with Nesterov, theta <- theta - lr (g + mu v). Plain SGD for mu = 0.
 *
 * @example
 * const opt = createFromPlugin(sgdOptimizer, { momentum: 0.9 });
 */
export function createSgd(config: SgdConfig): Optimizer {
  let v: Variable[] | undefined;
  let started = false;
  return {
    id: 'sgd',
    step({ params, grads, lr }) {
      tf.tidy(() => {
        if (config.momentum === 0) {
          params.forEach((p, i) => p.assign(tf.sub(p, tf.mul(grads[i], lr))));
          return;
        }
        const vs = (v ??= zeroSlots(params));
        params.forEach((p, i) => {
          const vi = started ? tf.add(tf.mul(vs[i], config.momentum), grads[i]) : grads[i].clone();
          vs[i].assign(vi);
          const dir = config.nesterov ? tf.add(grads[i], tf.mul(vi, config.momentum)) : vi;
          p.assign(tf.sub(p, tf.mul(dir, lr)));
        });
        started = true;
      });
    },
    getState: () => ({ slots: v ? slotsToHost(v) : [], scalars: { started: started ? 1 : 0 } }),
    setState(state, shapes) {
      v?.forEach((s) => s.dispose());
      v = state.slots.length ? slotsFromHost(state.slots, shapes, 'sgd') : undefined;
      started = state.scalars['started'] === 1;
    },
    dispose() {
      v?.forEach((s) => s.dispose());
      v = undefined;
    },
  };
}

/** Plugin of {@link createSgd}. */
export const sgdOptimizer: OptimizerPlugin<SgdConfig> = {
  meta: { id: 'sgd', kind: 'optimizer', description: 'SGD with optional heavy-ball or Nesterov momentum (PyTorch form)', version: '1.0.0' },
  configSchema: z.object({ momentum: z.number().min(0).lt(1).default(0), nesterov: z.boolean().default(false) }).strict(),
  create: createSgd,
};

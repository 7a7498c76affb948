import { z } from 'zod';
import { tf } from '../../tf';
import type { Variable } from '../../tf';
import type { Optimizer, OptimizerPlugin } from '../types';
import { slotsFromHost, slotsToHost, zeroSlots } from './slots';

/** Adam hyper-parameters (the learning rate comes from the schedule). */
export interface AdamConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * Adam (Kingma & Ba, arXiv 1412.6980, Algorithm 1), with PyTorch's placement of epsilon:
 * m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2; theta <- theta - lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 *
 * @example
 * const opt = createFromPlugin(adamOptimizer, {});   // b1 0.9, b2 0.999, eps 1e-8
 */
export function createAdam(config: AdamConfig): Optimizer {
  const { beta1, beta2, epsilon } = config;
  let m: Variable[] | undefined;
  let v: Variable[] | undefined;
  let t = 0;
  return {
    id: 'adam',
    step({ params, grads, lr }) {
      const ms = (m ??= zeroSlots(params));
      const vs = (v ??= zeroSlots(params));
      t += 1;
      const c1 = 1 / (1 - Math.pow(beta1, t));
      const c2 = 1 / (1 - Math.pow(beta2, t));
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = grads[i];
          const mi = tf.add(tf.mul(ms[i], beta1), tf.mul(g, 1 - beta1));
          const vi = tf.add(tf.mul(vs[i], beta2), tf.mul(tf.square(g), 1 - beta2));
          ms[i].assign(mi);
          vs[i].assign(vi);
          const denom = tf.add(tf.sqrt(tf.mul(vi, c2)), epsilon);
          p.assign(tf.sub(p, tf.div(tf.mul(mi, lr * c1), denom)));
        });
      });
    },
    getState: () => ({ slots: m && v ? [...slotsToHost(m), ...slotsToHost(v)] : [], scalars: { t } }),
    setState(state, shapes) {
      this.dispose();
      const k = shapes.length;
      if (state.slots.length) {
        m = slotsFromHost(state.slots.slice(0, k), shapes, 'adam m');
        v = slotsFromHost(state.slots.slice(k), shapes, 'adam v');
      }
      t = state.scalars['t'] ?? 0;
    },
    dispose() {
      m?.forEach((s) => s.dispose());
      v?.forEach((s) => s.dispose());
      m = v = undefined;
    },
  };
}

/** Plugin of {@link createAdam}. */
export const adamOptimizer: OptimizerPlugin<AdamConfig> = {
  meta: { id: 'adam', kind: 'optimizer', description: 'Adam (PyTorch form: bias-corrected moments, eps outside the sqrt)', version: '1.0.0', reference: 'Kingma & Ba, arXiv 1412.6980' },
  configSchema: z.object({ beta1: z.number().min(0).lt(1).default(0.9), beta2: z.number().min(0).lt(1).default(0.999), epsilon: z.number().positive().default(1e-8) }).strict(),
  create: createAdam,
};

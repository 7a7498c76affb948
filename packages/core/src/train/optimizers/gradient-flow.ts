import { z } from 'zod';
import { tf } from '../../tf';
import type { Tensor } from '../../tf';
import type { Optimizer, OptimizerPlugin } from '../types';

/** Gradient-flow integrator settings. */
export interface GradientFlowConfig {
  /** `heun` (2nd order, two gradients per sub-step) or `euler` (1st order). */
  method: 'heun' | 'euler';
  /** Fixed number of sub-steps per optimiser step (ignored when `adaptive`). */
  substeps: number;
  /** Adapt the sub-step to keep the Euler-Heun difference below `tol` (heun only). */
  adaptive: boolean;
  /** Local error tolerance per sub-step, max-norm over all parameters. */
  tol: number;
  /** Cap on sub-steps per optimiser step (the last one is accepted whatever its error). */
  maxSubsteps: number;
}

/**
 * Integrate the gradient flow d theta / dt = -grad L(theta) over a time `lr` per optimiser step, on the step's
 * batch (use the full training set as the batch for the exact flow, as Noether-charge studies need:
 * Kunin et al., arXiv 2012.04728; Tanaka & Kunin, arXiv 2105.02716).
 *
 * Heun (explicit trapezoid): theta~ = theta - h g(theta); theta <- theta - h/2 (g(theta) + g(theta~)), local
 * error O(h^3). With `adaptive`, the difference between the Euler and Heun updates, e = h/2 |g(theta~) - g(theta)|_inf,
 * estimates the local error of Euler; a sub-step with e > tol is retried with h/2, and the next h is scaled by
 * min(2, 0.9 sqrt(tol / e)). `euler` is plain small-step gradient descent with `substeps` steps of lr/substeps.
 *
 * @example
 * const gf = createFromPlugin(gradientFlowOptimizer, { method: 'heun', adaptive: true, tol: 1e-5 });
 */
export function createGradientFlow(config: GradientFlowConfig): Optimizer {
  let hNext = Infinity;
  let lastSubsteps = 0;
  let lastRejected = 0;
  return {
    id: 'gradient-flow',
    step({ params, grads, lr, gradAt }) {
      let remaining = lr;
      let substeps = 0;
      let rejected = 0;
      let h = config.adaptive ? Math.min(hNext, lr) : lr / config.substeps;
      let g1: Tensor[] = grads.map((g) => g.clone());
      const current = () => params.map((p) => p as Tensor);
      while (remaining > 1e-15 * lr) {
        h = Math.min(h, remaining);
        if (config.method === 'euler') {
          tf.tidy(() => params.forEach((p, i) => p.assign(tf.sub(p, tf.mul(g1[i], h)))));
        } else {
          const trial = tf.tidy(() => params.map((p, i) => tf.sub(p, tf.mul(g1[i], h))));
          const g2 = gradAt(trial);
          trial.forEach((t) => t.dispose());
          if (config.adaptive) {
            const err = tf.tidy(() => Math.max(...g2.map((g, i) => tf.max(tf.abs(tf.sub(g, g1[i]))).dataSync()[0]))) * (h / 2);
            const last = substeps + 1 >= config.maxSubsteps;
            if (!(err <= config.tol) && !last && Number.isFinite(err)) {
              g2.forEach((t) => t.dispose());
              h /= 2;
              rejected++;
              continue;
            }
            hNext = h * Math.min(2, err > 0 ? 0.9 * Math.sqrt(config.tol / err) : 2);
          }
          tf.tidy(() => params.forEach((p, i) => p.assign(tf.sub(p, tf.mul(tf.add(g1[i], g2[i]), h / 2)))));
          g2.forEach((t) => t.dispose());
        }
        remaining -= h;
        substeps++;
        if (config.adaptive) h = hNext;
        g1.forEach((t) => t.dispose());
        g1 = remaining > 1e-15 * lr ? gradAt(current()) : [];
      }
      g1.forEach((t) => t.dispose());
      lastSubsteps = substeps;
      lastRejected = rejected;
    },
    getState: () => ({ slots: [], scalars: { hNext: Number.isFinite(hNext) ? hNext : -1 } }),
    setState(state) {
      const h = state.scalars['hNext'];
      hNext = h === undefined || h < 0 ? Infinity : h;
    },
    dispose() {
      // no tensors held between steps
    },
    lastStepInfo: () => ({ substeps: lastSubsteps, rejected: lastRejected }),
  };
}

/** Plugin of {@link createGradientFlow}. */
export const gradientFlowOptimizer: OptimizerPlugin<GradientFlowConfig> = {
  meta: { id: 'gradient-flow', kind: 'optimizer', description: 'gradient-flow integrator (Heun or Euler sub-steps, optionally adaptive); lr = flow time per step', version: '1.0.0', reference: 'Kunin et al., arXiv 2012.04728' },
  configSchema: z
    .object({
      method: z.enum(['heun', 'euler']).default('heun'),
      substeps: z.number().int().positive().default(1),
      adaptive: z.boolean().default(false),
      tol: z.number().positive().default(1e-5),
      maxSubsteps: z.number().int().positive().default(1000),
    })
    .strict(),
  create: createGradientFlow,
};

import { z } from 'zod';
import { tf, type Optimizer, type OptimizerPlugin } from '@nnsym/core';

/** Config of {@link createNtkSgd}: the σ_w, σ_b of the NTK parameterisation being emulated. */
export interface NtkSgdConfig {
  sigmaW: number;
  sigmaB: number;
}

/**
 * Plain gradient descent in the NTK parameterisation, run on the trainer's standard-parameterisation variables.
 * NTK parameterisation: W = (σ_w/√fan_in) ω, b = σ_b β with ω, β ~ N(0, 1), and GD with rate η on (ω, β). Since
 * ∂L/∂ω = (σ_w/√fan_in) ∂L/∂W, the induced update is ΔW = −η σ_w²/fan_in ∂L/∂W and Δb = −η σ_b² ∂L/∂b: SGD with
 * a per-layer rate. With the default init (W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²)) this is exactly NTK-parameterised
 * GD (Jacot et al. 2018, arXiv 1806.07572; Lee et al. 2019, arXiv 1902.06720 eq. 1), the setting of lazy training
 * in which Θ_t stays within O(1/√N) of Θ_0.
 *
 * Variables: weights are the trainer's transposed Wt [fan_in, out] (rank 2), biases rank 1.
 *
 * @example
 * host.kind('optimizer').register(ntkSgdOptimizer);
 * trainMlp({ ..., optimizer: 'ntk-sgd', optimizerConfig: { sigmaW: 1, sigmaB: 1 }, lr: 1, host });
 */
export function createNtkSgd(config: NtkSgdConfig): Optimizer {
  return {
    id: 'ntk-sgd',
    step({ params, grads, lr }) {
      tf.tidy(() => {
        params.forEach((p, i) => {
          const rate = p.rank === 2 ? (lr * config.sigmaW ** 2) / p.shape[0] : lr * config.sigmaB ** 2;
          p.assign(tf.sub(p, tf.mul(grads[i], rate)));
        });
      });
    },
    getState: () => ({ slots: [], scalars: {} }),
    setState() {
      // Stateless: nothing to restore.
    },
    dispose() {
      // No slot tensors to free.
    },
  };
}

/** Plugin of {@link createNtkSgd} (kind `optimizer`, id `ntk-sgd`). */
export const ntkSgdOptimizer: OptimizerPlugin<NtkSgdConfig> = {
  meta: { id: 'ntk-sgd', kind: 'optimizer', description: 'gradient descent in the NTK parameterisation (per-layer rate σ_w²/fan_in on standard-parameterised weights)', version: '1.0.0' },
  configSchema: z.object({ sigmaW: z.number().positive().default(1), sigmaB: z.number().nonnegative().default(1) }).strict(),
  create: createNtkSgd,
};

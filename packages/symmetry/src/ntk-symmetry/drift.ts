import { tf, UsageError, type HostParams, type StepHook, type Tensor2D, type Tensor3D } from '@nnsym/core';
import { mlpStructuredNtk, tensorActivation, type NtkOutputMode } from '@nnsym/ntk';

/**
 * The empirical NTK of one trained MLP given by host parameters (the trainer's [out, in] layout, standard
 * parameterisation: z = W a + b, no forward-pass scale), on probe inputs. Float32 on the device, float64 result.
 *
 * Shapes: probe [P, d_in]; result [P·d_out]² (`full`), [P]² (`trace`), [P] (`diagonal`), row-major.
 *
 * @example
 * const theta = hostParamsNtk(ctx.params(), probe, 'relu');
 */
export function hostParamsNtk(params: HostParams, probe: readonly (readonly number[])[], activation: string, mode: NtkOutputMode = 'full'): Float64Array {
  if (probe.length === 0) throw new UsageError('--probe: at least one probe input is needed', '--probe');
  if (probe[0].length !== params[0].in) throw new UsageError(`--probe: probe inputs have ${probe[0].length} entries, the network expects ${params[0].in}`, '--probe');
  const weights = params.map((L) => tf.tidy(() => tf.transpose(tf.tensor2d(L.w, [L.out, L.in])).expandDims(0) as Tensor3D));
  const biases = params.map((L) => (L.b ? (tf.tensor2d(L.b, [1, L.out]) as Tensor2D) : undefined));
  try {
    const r = mlpStructuredNtk({ weights, biases, phi: tensorActivation(activation), parameterization: 'standard', sigmaW: 1, sigmaB: 1 }, probe, { mode });
    return r.mean;
  } finally {
    weights.forEach((w) => w.dispose());
    biases.forEach((b) => b?.dispose());
  }
}

/** Relative Frobenius distance ‖A − B‖_F / ‖B‖_F (float64). */
export function relativeFrobenius(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] * b[i];
  }
  return Math.sqrt(num / den);
}

/** Options of {@link ntkDriftHook}. */
export interface NtkDriftHookOptions {
  /** Fixed probe inputs [P, d_in] (as the network sees them, i.e. already scaled). */
  probe: readonly (readonly number[])[];
  /** Activation id of the trained MLP (the trainer's `activation`). */
  activation: string;
  /** Measure every K steps (default 10; the trainer also measures at step 0 and after the last step). */
  every?: number;
  /** Output mode of the kernel (default `full`: every output pair). */
  mode?: NtkOutputMode;
  /** Metric name (default `ntk-drift`). */
  name?: string;
}

/**
 * A trainer step hook that measures the kernel drift ‖Θ_t − Θ_0‖_F / ‖Θ_0‖_F of the empirical NTK on a fixed probe
 * set; the trainer turns each measurement into a `metric` event `{ name: 'ntk-drift', step, values: { drift,
 * norm, norm0 } }` on its event stream. Θ_0 is taken at the first call (step 0, before any update).
 *
 * When to use: `trainMlp({ ..., hooks: [ntkDriftHook({ probe, activation: 'relu' })] })`, or `nnsym ntk-drift`.
 * In the lazy regime (Jacot et al. 2018; Lee et al. 2019, arXiv 1902.06720, Thm. 2.1 and App. F for the standard
 * parameterisation with a learning rate ∝ 1/N) the drift over a fixed training time falls like 1/√N.
 *
 * @example
 * trainMlp({ dataset, hidden: [256], loss: 'mse-onehot', optimizer: 'sgd', lr: 1 / 256, hooks: [ntkDriftHook({ probe, activation: 'relu', every: 5 })] });
 */
export function ntkDriftHook(opts: NtkDriftHookOptions): StepHook {
  let theta0: Float64Array | undefined;
  let norm0 = 0;
  return {
    name: opts.name ?? 'ntk-drift',
    every: opts.every ?? 10,
    compute(ctx) {
      const theta = hostParamsNtk(ctx.params(), opts.probe, opts.activation, opts.mode ?? 'full');
      const norm = Math.sqrt(theta.reduce((s, v) => s + v * v, 0));
      if (!theta0) {
        theta0 = theta;
        norm0 = norm;
      }
      return { drift: relativeFrobenius(theta, theta0), norm, norm0 };
    },
  };
}

import { plugins as defaultHost, readCheckpoint, UsageError, type PluginHost, type ModelFingerprint } from '@nnsym/core';
import type { Mat } from '@nnsym/numerics';
import { resolveScalarActivation } from './activation';
import type { MlpF64 } from '../nets/mlp';

/** An MLP read from a trainer checkpoint, with the fingerprint the trainer recorded (dataset, activation, sizes). */
export interface LoadedMlp {
  net: MlpF64;
  fingerprint: ModelFingerprint;
  dir: string;
  /** Epochs completed and the last recorded metrics (test accuracy etc.), when present. */
  epoch: number;
  lastMetrics?: Record<string, number>;
}

/**
 * Load a dense MLP from a checkpoint directory written by `nnsym train --checkpoint DIR` (core's
 * `writeCheckpoint`: `checkpoint.json` + `checkpoint.bin`, float32 parameters in [out, in] layout) as float64
 * matrices, with its activation resolved from the registry. Errors are one line and name `flag`.
 *
 * @example
 * const { net, fingerprint } = loadMlpCheckpoint('runs/seed0', { flag: '--a' });
 * forwardMlp(net, x).hidden[0]; // [n, 50] relu activations, float64
 */
export function loadMlpCheckpoint(dir: string, options: { flag?: string; host?: PluginHost } = {}): LoadedMlp {
  const flag = options.flag ?? 'checkpoint';
  let ck: ReturnType<typeof readCheckpoint>;
  try {
    ck = readCheckpoint(dir);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message.replace(/^(--)?checkpoint: /, '')}`, flag);
  }
  const fp = ck.meta.fingerprint;
  if (fp.arch !== 'mlp') throw new UsageError(`${flag}: ${dir} holds a "${String(fp.arch)}" model; only dense MLPs can be compared`, flag);
  // The trainer labels input-dependent activations with their q(x) hyper-parameters, e.g. "gauss(sw=1,sb=1)".
  const labelled = /^([\w-]+)\(/.exec(fp.activation);
  if (labelled)
    throw new UsageError(
      `${flag}: ${dir} was trained with the input-dependent activation "${fp.activation}"; the float64 MLP supports elementwise activations only`,
      flag,
    );
  const { scalar } = resolveScalarActivation(fp.activation, { host: options.host ?? defaultHost, flag });
  const net: MlpF64 = {
    sigma: scalar,
    activation: fp.activation,
    layers: ck.params.map((l) => {
      const w: Mat = { rows: l.out, cols: l.in, data: Float64Array.from(l.w) };
      return { w, b: l.b ? Float64Array.from(l.b) : undefined };
    }),
  };
  const hist = ck.meta.history;
  return { net, fingerprint: fp, dir, epoch: ck.meta.epoch, lastMetrics: hist.length ? hist[hist.length - 1] : undefined };
}

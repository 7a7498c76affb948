import { plugins as defaultHost, readDenseNet64, scalarActivation64, UsageError, type CheckpointNet64, type PluginHost } from '@nnsym/core';
import type { DenseNetF64 } from '../nets/mlp';

/**
 * @deprecated A network read from a checkpoint is @nnsym/core's `CheckpointNet64` (`readDenseNet64`); this name
 * stays for the public API.
 */
export type LoadedMlp = CheckpointNet64 & { net: DenseNetF64 };

/**
 * Load a dense MLP from a checkpoint directory written by `nnsym train --checkpoint DIR`: @nnsym/core's
 * `readDenseNet64` (float32 parameters widened exactly to float64, activation and architecture from the
 * fingerprint), checked for what the float64 weight-space analyses need: an elementwise activation that the
 * registry of `host` resolves. Errors are one line and name `flag`.
 *
 * @example
 * const { net, fingerprint } = loadMlpCheckpoint('runs/seed0', { flag: '--a' });
 * forwardMlp(net, x).hidden[0]; // [n, 50] relu activations, float64
 */
export function loadMlpCheckpoint(dir: string, options: { flag?: string; host?: PluginHost } = {}): LoadedMlp {
  const flag = options.flag ?? 'checkpoint';
  const loaded = readDenseNet64(dir, { flag });
  const fp = loaded.fingerprint;
  const host = options.host ?? defaultHost;
  const a = scalarActivation64(loaded.net.activation, { host, flag });
  // The trainer labels input-dependent activations with their q(x) hyper-parameters, e.g. "gauss(sw=1,sb=1)".
  if (a.activation.needsContext)
    throw new UsageError(
      `${flag}: ${dir} was trained with the input-dependent activation "${fp.activation}"; the float64 MLP supports elementwise activations only`,
      flag,
    );
  // A plugin host other than the process-wide one: keep its phi with the net (the default host is looked up lazily).
  return host === defaultHost ? loaded : { ...loaded, net: { ...loaded.net, sigma: a.f } };
}

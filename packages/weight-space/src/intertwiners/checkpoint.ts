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
 * fingerprint), checked for what the float64 weight-space analyses need: an activation that the registry of
 * `host` resolves (an input-dependent one, gauss, with one hidden layer). Errors are one line and name `flag`.
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
  // An input-dependent activation (a trained gauss-net, "gauss(sw=1,sb=1)"): phi(z; x) = exp(z - q(x)) with the
  // recorded sigma's, evaluated by forwardMlp; one hidden layer, as the trainer allows.
  if (a.activation.needsContext) {
    if (fp.sizes.length !== 3)
      throw new UsageError(
        `${flag}: ${dir} uses the input-dependent activation "${fp.activation}" with ${fp.sizes.length - 2} hidden layers; it needs exactly one`,
        flag,
      );
    return loaded;
  }
  // A plugin host other than the process-wide one: keep its phi with the net (the default host is looked up lazily).
  return host === defaultHost ? loaded : { ...loaded, net: { ...loaded.net, sigma: a.f } };
}

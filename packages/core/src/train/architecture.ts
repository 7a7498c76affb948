import { UsageError } from '../errors';
import { plugins as defaultHost, type PluginHost } from '../registry/kinds';
import { architecturePlugin, architecturesWith, createArchitecture, knownArchitectures } from '../nn/create-architecture';

/** What the trainer takes from a dense architecture: its activation and the σ's of its NN-QFT init. */
export interface TrainArchitecture {
  /** Architecture id (recorded in the checkpoint fingerprint and the summary). */
  id: string;
  /** Activation id: fixed by the family (`tanh-net`: tanh) or, for `mlp`/`shallow`, the one asked for. */
  activation: string;
  /** σ_w, σ_b of the architecture's own config: the default init N(0, σ_w²/fan_in), N(0, σ_b²) and q(x). */
  sigmaW: number;
  sigmaB: number;
}

/** Ids of the architectures the trainer accepts: the dense ones (plugins declaring `capabilities.dense`). */
export function trainableArchitectures(host: PluginHost = defaultHost): string[] {
  return architecturesWith((c) => c.dense !== undefined, host);
}

/**
 * Resolve a dense architecture for training with hidden widths `hidden` (d-hidden...-C). The family fixes the
 * depth (one hidden layer for `relu-net`, `tanh-net`, `gauss-net`, ...) and possibly the activation; `mlp` and
 * `shallow` take `activation` (default relu). σ_w, σ_b come from the architecture's validated config (the
 * defaults of its schema), so the trainer's init is the architecture's own NN-QFT init. The standard
 * parameterisation only (the trainer stores the scales in the weights). One-line UsageErrors name `--arch`,
 * `--hidden` or `--activation`.
 *
 * @example trainArchitecture('gauss-net', { hidden: [256] }) // { id: 'gauss-net', activation: 'gauss', sigmaW: 1, sigmaB: 1 }
 */
export function trainArchitecture(id: string, want: { hidden: number[]; bias?: boolean; activation?: string }, host: PluginHost = defaultHost): TrainArchitecture {
  const plugin = architecturePlugin(id, host);
  if (!plugin) throw new UsageError(`--arch: ${knownArchitectures(host).unknownMessage(id)}`, '--arch');
  const dense = plugin.capabilities?.dense;
  if (!dense) throw new UsageError(`--arch: "${id}" is not a dense architecture, so it cannot be trained; trainable: ${trainableArchitectures(host).join(', ')}`, '--arch');
  const depth = want.hidden.length;
  if (dense.depth !== undefined && dense.depth !== depth)
    throw new UsageError(`--hidden: ${id} has exactly ${dense.depth} hidden layer${dense.depth === 1 ? '' : 's'}; got --hidden ${want.hidden.join(',')}`, '--hidden');
  if (dense.activation !== undefined && want.activation !== undefined && want.activation !== dense.activation)
    throw new UsageError(`--activation: ${id} uses ${dense.activation}; drop --activation ${want.activation} (or use --arch mlp)`, '--activation');
  // Only what the trainer reads from the config (σ's, parameterisation) is needed here: the activation of mlp/shallow
  // and the trainer's own widths and depth are checked by the trainer (with the messages it always gave).
  const config: Record<string, unknown> = { width: want.hidden[0] ?? 1, bias: want.bias ?? true };
  let arch;
  try {
    arch = createArchitecture(id, config, host, '--arch');
  } catch (e) {
    throw new UsageError(`--arch: ${(e as Error).message}`, '--arch');
  }
  if (arch.spec.parameterization !== 'standard') throw new UsageError(`--arch: ${id} uses the ${arch.spec.parameterization} parameterisation; the trainer trains standard ones`, '--arch');
  return { id, activation: dense.activation ?? want.activation ?? 'relu', sigmaW: arch.spec.sigmaW, sigmaB: arch.spec.sigmaB };
}

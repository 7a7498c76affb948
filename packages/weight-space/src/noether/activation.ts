import { createFromPlugin, plugins, type Activation, type PluginHost } from '@nnsym/core';
import type { Activation64 } from './mlp64';

/** What the Noether study needs to know of an activation. */
export interface NoetherActivation {
  /** Float64 value and derivative. */
  act: Activation64;
  /** Homogeneity degree d when the activation is positively homogeneous (relu: 1), else undefined. */
  degree?: number;
  /** The identity (deep linear networks: GL(n) between layers). */
  linear: boolean;
}

/**
 * The float64 scalar form of a registered activation (value, derivative — a central difference when the plugin has
 * no `derivative` — and its homogeneity traits), for {@link trackNoether} and {@link mlpGenerators}.
 *
 * @example
 * const { act, degree } = noetherActivation('relu'); // degree 1: per-neuron rescaling charges
 */
export function noetherActivation(id: string, host: PluginHost = plugins): NoetherActivation {
  const a = createFromPlugin(host.kind('activation').get(id), {}) as Activation;
  if (a.needsContext) throw new Error(`activation "${id}" depends on the input (it needs a context); the Noether study supports elementwise activations only`);
  const h = 1e-6;
  const df = a.derivative ? (z: number) => a.derivative!(z) : (z: number) => (a.scalar(z + h) - a.scalar(z - h)) / (2 * h);
  const degree = a.traits?.positivelyHomogeneous ? (a.traits.degree ?? 1) : undefined;
  return { act: { id, f: (z) => a.scalar(z), df }, degree, linear: id === 'identity' };
}

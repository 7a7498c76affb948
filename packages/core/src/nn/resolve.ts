import { UsageError } from '../errors';
import { plugins as defaultHost, type PluginHost } from '../registry/kinds';
import { createFromPlugin } from '../registry/plugin';
import { Registry } from '../registry/registry';
import { BUILTIN_ACTIVATIONS } from './activations/builtin';
import type { Activation, ActivationPlugin } from './types';

/**
 * Create an activation by id: from `host`'s `activation` registry, falling back to the built-ins when the id is
 * not registered there (so library code works before `registerCorePlugins`). Unknown id: a one-line UsageError
 * naming `field` and the known ids.
 *
 * @example
 * createActivation('leaky-relu', { alpha: 0.1 }).scalar(-1) // -0.1
 */
export function createActivation(id: string, config: Record<string, unknown> = {}, host: PluginHost = defaultHost, field = 'activation'): Activation {
  const reg = host.kind('activation');
  const plugin: ActivationPlugin | undefined = reg.has(id) ? (reg.get(id) as ActivationPlugin) : BUILTIN_ACTIVATIONS.find((p) => p.meta.id === id);
  if (!plugin) {
    const all = new Registry<ActivationPlugin>('activation');
    for (const p of BUILTIN_ACTIVATIONS) all.register(p);
    for (const p of reg.list()) all.register(p as ActivationPlugin, { override: true });
    throw new UsageError(all.unknownMessage(id), field);
  }
  return createFromPlugin(plugin, config);
}

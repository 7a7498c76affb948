import { UsageError } from '../errors';
import { plugins as defaultHost, type PluginHost } from '../registry/kinds';
import { createFromPlugin } from '../registry/plugin';
import { Registry } from '../registry/registry';
import { BUILTIN_ARCHITECTURES } from './architectures/builtin';
import type { Architecture, ArchitecturePlugin, ArchitecturePluginCapabilities } from './types';

/**
 * Create an architecture by id: from `host`'s `architecture` registry, falling back to the built-ins when the id
 * is not registered there. Config is validated by the plugin's zod schema (one-line UsageError naming the field);
 * an unknown id gives a one-line UsageError naming `field` (e.g. `--arch`), the closest id and the known ids.
 *
 * @example
 * const arch = createArchitecture('relu-net', { width: 512, dIn: 2 });
 * const deep = createArchitecture('mlp', { depth: 3, activation: 'tanh', parameterization: 'ntk' });
 */
export function createArchitecture(id: string, config: Record<string, unknown> = {}, host: PluginHost = defaultHost, field = 'arch'): Architecture {
  const plugin = architecturePlugin(id, host);
  if (!plugin) throw new UsageError(knownArchitectures(host).unknownMessage(id), field);
  return createFromPlugin(plugin, config);
}

/** A registry of the built-in architectures plus those registered in `host` (for listings and error messages). */
export function knownArchitectures(host: PluginHost = defaultHost): Registry<ArchitecturePlugin> {
  const all = new Registry<ArchitecturePlugin>('architecture');
  for (const p of BUILTIN_ARCHITECTURES) all.register(p);
  for (const p of host.kind('architecture').list()) all.register(p as ArchitecturePlugin, { override: true });
  return all;
}

/**
 * The plugin of architecture `id`: the one registered in `host`, else the built-in one; `undefined` when unknown.
 * Read its declared `capabilities` (analytic-kernel family, engines, symmetry transport) from here.
 *
 * @example architecturePlugin('relu-net')?.capabilities?.dense // { activation: 'relu', depth: 1 }
 */
export function architecturePlugin(id: string, host: PluginHost = defaultHost): ArchitecturePlugin | undefined {
  const reg = host.kind('architecture');
  return reg.has(id) ? (reg.get(id) as ArchitecturePlugin) : BUILTIN_ARCHITECTURES.find((p) => p.meta.id === id);
}

/**
 * Ids of the known architectures (built-ins, then those registered in `host`) whose declared capabilities pass
 * `test`, in listing order: e.g. the families the float64 reference evaluator applies to.
 *
 * When to use: to list or validate the architectures an engine supports, instead of a list of ids.
 *
 * @example architecturesWith((c) => c.engines?.reference === true) // ['gauss-net', 'exp-net', ...]
 */
export function architecturesWith(test: (capabilities: ArchitecturePluginCapabilities) => boolean, host: PluginHost = defaultHost): string[] {
  return knownArchitectures(host)
    .list()
    .filter((p) => test(p.capabilities ?? {}))
    .map((p) => p.meta.id);
}

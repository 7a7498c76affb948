import { createFromPlugin, plugins as defaultHost, UsageError, type PluginHost } from '@nnsym/core';
import type { ScalarFn } from '@nnsym/numerics';

/** An activation resolved for host-side float64 work. */
export interface ResolvedActivation {
  id: string;
  scalar: ScalarFn;
}

/**
 * Look up an activation in the `activation` registry and return its float64 scalar form (`scalar(z)`). The
 * registry entry may be the activation object itself (`{ id, apply, scalar, traits }`) or a plugin whose
 * `create(config)` returns it (config validated by the plugin's schema). Works for activations registered from
 * outside the repository (`--plugin`) as well as the built-ins.
 *
 * @example
 * const { scalar } = resolveScalarActivation('relu');
 * scalar(-1); // 0
 */
export function resolveScalarActivation(
  id: string,
  options: { host?: PluginHost; config?: unknown; flag?: string } = {},
): ResolvedActivation {
  const host = options.host ?? defaultHost;
  const flag = options.flag ?? 'activation';
  const reg = host.kind('activation');
  if (!reg.has(id)) throw new UsageError(`${flag}: ${reg.unknownMessage(id)}`, flag);
  const entry = reg.get(id) as unknown as { scalar?: unknown; create?: unknown };
  const act = (typeof entry.scalar === 'function' ? entry : createFromPlugin(reg.get(id), options.config ?? {})) as { scalar?: unknown };
  if (typeof act.scalar !== 'function')
    throw new UsageError(`${flag}: activation "${id}" has no scalar(z) form, so its intertwiners cannot be tested in float64`, flag);
  const scalar = act.scalar as ScalarFn;
  return { id, scalar: (z: number) => scalar.call(act, z) };
}

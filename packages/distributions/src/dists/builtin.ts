import { createFromPlugin, plugins as defaultHost, Registry, UsageError, type PluginHost } from '@nnsym/core';
import type { Distribution, DistributionPlugin } from '../types';
import { normalDistribution } from './normal';
import { uniformDistribution } from './uniform';
import { laplaceDistribution } from './laplace';
import { studentTDistribution } from './student-t';
import { pointMassDistribution } from './point-mass';

/** The built-in distribution plugins, in listing order. */
export const BUILTIN_DISTRIBUTIONS: readonly DistributionPlugin[] = [
  normalDistribution,
  uniformDistribution,
  laplaceDistribution,
  studentTDistribution,
  pointMassDistribution,
];

/**
 * A distribution plugin by id: from `host`'s `distribution` registry, else the built-ins. Unknown id: one-line
 * UsageError naming `field`, the closest id and the known ids.
 */
export function getDistributionPlugin(id: string, host: PluginHost = defaultHost, field = 'distribution'): DistributionPlugin {
  const reg = host.kind('distribution');
  if (reg.has(id)) return reg.get(id) as DistributionPlugin;
  const builtin = BUILTIN_DISTRIBUTIONS.find((p) => p.meta.id === id);
  if (builtin) return builtin;
  const all = new Registry<DistributionPlugin>('distribution');
  for (const p of BUILTIN_DISTRIBUTIONS) all.register(p);
  for (const p of reg.list()) all.register(p as DistributionPlugin, { override: true });
  throw new UsageError(all.unknownMessage(id), field);
}

/**
 * Create a distribution by id and config (validated; errors name the field).
 *
 * @example createDistribution('student-t', { df: 3, scale: 0.1 }).variance // 0.03
 */
export function createDistribution(id: string, config: Record<string, unknown> = {}, host: PluginHost = defaultHost): Distribution {
  return createFromPlugin(getDistributionPlugin(id, host), config);
}

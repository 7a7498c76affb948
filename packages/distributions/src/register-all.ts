import { plugins, type PluginHost } from '@nnsym/core';
import { BUILTIN_DISTRIBUTIONS } from './dists/builtin';
import { initSpecSampler } from './init/init-sampler';

/**
 * Register the built-in parameter distributions (normal, uniform, laplace, student-t, point-mass) and the `init-spec` init sampler into
 * `host`.
 * Idempotent: ids already present are left alone.
 */
export function registerDistributionPlugins(host: PluginHost = plugins): void {
  for (const p of BUILTIN_DISTRIBUTIONS) if (!host.kind('distribution').has(p.meta.id)) host.register(p);
  if (!host.kind('init-sampler').has(initSpecSampler.meta.id)) host.register(initSpecSampler);
}

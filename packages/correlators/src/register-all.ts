import { plugins, type PluginHost } from '@nnsym/core';
import { correlatorsEstimator } from './estimator';

/** Register the correlators package's plugins (the `correlators` estimator of core's ensemble runner). Idempotent. */
export function registerCorrelatorPlugins(host: PluginHost = plugins): void {
  if (!host.kind('estimator').has(correlatorsEstimator.meta.id)) host.register(correlatorsEstimator);
}

import { plugins, type PluginHost } from '@nnsym/core';
import { empiricalNtkEstimator } from './empirical/estimator';

/** Register the ntk package's plugins (the `empirical-ntk` estimator of core's ensemble runner) into `host`. Idempotent. */
export function registerNtkPlugins(host: PluginHost = plugins): void {
  if (!host.kind('estimator').has(empiricalNtkEstimator.meta.id)) host.register(empiricalNtkEstimator);
}

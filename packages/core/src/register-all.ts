import { plugins, type PluginHost } from './registry/kinds';
import { registerNnPlugins } from './nn/register-all';
import { registerTrainPlugins } from './train/register-all';
import { momentsEstimator } from './ensemble/moments-estimator';

/** Register core's built-in plugins (activations, architectures, datasets, optimisers, losses, the `moments` estimator) into `host`. */
export function registerCorePlugins(host: PluginHost = plugins): void {
  registerNnPlugins(host);
  registerTrainPlugins(host);
  if (!host.kind('estimator').has(momentsEstimator.meta.id)) host.register(momentsEstimator);
}

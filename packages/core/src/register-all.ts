import { plugins, type PluginHost } from './registry/kinds';
import { registerNnPlugins } from './nn/register-all';
import { registerTrainPlugins } from './train/register-all';

/** Register core's built-in plugins (activations, architectures, datasets, optimisers, losses) into `host`. */
export function registerCorePlugins(host: PluginHost = plugins): void {
  registerNnPlugins(host);
  registerTrainPlugins(host);
}

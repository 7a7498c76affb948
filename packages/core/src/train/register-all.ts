import type { PluginHost } from '../registry/kinds';

/** Register datasets, optimisers, losses. */
export function registerTrainPlugins(_host: PluginHost): void {}

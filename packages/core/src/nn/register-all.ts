import type { PluginHost } from '../registry/kinds';

/** Register activations and architectures. */
export function registerNnPlugins(_host: PluginHost): void {}

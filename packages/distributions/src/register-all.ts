import { plugins, type PluginHost } from '@nnsym/core';

/** Register the built-in parameter distributions into `host`. */
export function registerDistributionPlugins(_host: PluginHost = plugins): void {}

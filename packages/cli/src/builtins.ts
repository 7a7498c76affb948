import type { PluginHost } from '@nnsym/core';

/** Register the built-in plugins of every nnsym package into `host`. */
export function registerBuiltins(_host: PluginHost): void {
  // Filled as packages gain plugins: e.g. registerCoreBuiltins(host); registerDistributions(host); ...
}

import { registerCorePlugins, type PluginHost } from '@nnsym/core';
import { registerDatasetPlugins } from '@nnsym/datasets';
import { registerDistributionPlugins } from '@nnsym/distributions';
import { registerSymmetryPlugins } from '@nnsym/symmetry';
import { registerNtkPlugins } from '@nnsym/ntk';
import { registerCorrelatorPlugins } from '@nnsym/correlators';

/** Register the built-in plugins of every nnsym package into `host`. */
export function registerBuiltins(host: PluginHost): void {
  registerCorePlugins(host);
  registerDatasetPlugins(host);
  registerDistributionPlugins(host);
  registerSymmetryPlugins(host);
  registerNtkPlugins(host);
  registerCorrelatorPlugins(host);
}

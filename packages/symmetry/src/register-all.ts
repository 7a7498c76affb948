import { plugins, type PluginHost } from '@nnsym/core';
import { registerGroupPlugins } from './groups/register-all';

/** Register the symmetry package's built-in plugins (group actions) into `host`. */
export function registerSymmetryPlugins(host: PluginHost = plugins): void {
  registerGroupPlugins(host);
}

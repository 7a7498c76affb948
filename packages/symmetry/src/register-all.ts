import { plugins, type PluginHost } from '@nnsym/core';
import { registerGroupPlugins } from '@nnsym/groups';
import { ntkSgdOptimizer } from './ntk-symmetry/ntk-sgd';
import { invarianceEstimator } from './invariance/estimator';

/** Register the symmetry package's built-in plugins (group actions, the NTK-parameterised SGD optimiser, the `invariance` estimator) into `host`. */
export function registerSymmetryPlugins(host: PluginHost = plugins): void {
  registerGroupPlugins(host);
  if (!host.kind('optimizer').has(ntkSgdOptimizer.meta.id)) host.kind('optimizer').register(ntkSgdOptimizer);
  if (!host.kind('estimator').has(invarianceEstimator.meta.id)) host.register(invarianceEstimator);
}

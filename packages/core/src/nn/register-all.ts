import type { PluginHost } from '../registry/kinds';
import { BUILTIN_ACTIVATIONS } from './activations/builtin';
import { BUILTIN_ARCHITECTURES } from './architectures/builtin';

/**
 * Register the built-in activations (relu, leaky-relu, gelu, tanh, sigmoid, erf, exp, identity, power, gauss) and
 * architectures (gauss-net, exp-net, erf-net, relu-net, tanh-net, shallow, mlp, linear-net) into `host`.
 * Idempotent: ids already present are left alone.
 */
export function registerNnPlugins(host: PluginHost): void {
  for (const p of [...BUILTIN_ACTIVATIONS, ...BUILTIN_ARCHITECTURES]) if (!host.kind(p.meta.kind).has(p.meta.id)) host.register(p);
}

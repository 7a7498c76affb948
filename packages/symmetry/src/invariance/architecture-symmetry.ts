import { architecturePlugin, type ArchitectureSymmetry } from '@nnsym/core';

/**
 * The symmetry transport an architecture declares on its plugin (`capabilities.symmetry`, core's
 * `ArchitectureSymmetry`: how parameter-space invariances act on function space, the "duality" step of
 * arXiv 2106.00694), for a registered or built-in id; `undefined` when the plugin declares none (the prediction is
 * then `unknown`).
 *
 * @example architectureSymmetry('gauss-net')?.translationInvariantOrders; // [2]
 */
export function architectureSymmetry(arch: string): ArchitectureSymmetry | undefined {
  return architecturePlugin(arch)?.capabilities?.symmetry;
}

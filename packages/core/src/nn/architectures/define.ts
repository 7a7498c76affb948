import type { z } from 'zod';
import { denseArchitecture } from '../dense';
import type { ArchitectureConfig, ArchitecturePlugin, ArchitecturePluginCapabilities, ArchitectureSymmetry } from '../types';

/**
 * Symmetry transport of a one-hidden-layer NN-QFT net f(x) = W1 φ(W0 x + b0) + b1: x enters through W0 x, the
 * read-out is linear, and no correlator order is translation invariant at every width (the Gauss-net adds order 2).
 */
export const ONE_HIDDEN_LAYER_SYMMETRY: ArchitectureSymmetry = { firstLayerLinear: true, lastLayerLinear: true, translationInvariantOrders: [] };

/** Build a dense architecture plugin with its declared capabilities (internal helper of the built-ins). */
export function defineDenseArchitecture(
  meta: { id: string; description: string; reference?: string },
  configSchema: z.ZodType<ArchitectureConfig>,
  capabilities: ArchitecturePluginCapabilities,
): ArchitecturePlugin<ArchitectureConfig> {
  return {
    meta: { id: meta.id, kind: 'architecture', description: meta.description, version: '1.0.0', reference: meta.reference },
    configSchema,
    create: (config) => denseArchitecture(meta.id, config),
    capabilities,
  };
}

import { z } from 'zod';
import type { Activation, ActivationPlugin } from '../types';

/** Schema of activations without parameters: an empty object (unknown keys rejected). */
export const noConfig = z.object({}).strict();

/**
 * Build an activation plugin from its metadata and a factory. Internal helper of the built-ins; third-party
 * activations can write the plugin object directly.
 */
export function defineActivation<C extends Record<string, unknown>>(
  meta: { id: string; description: string; reference?: string },
  configSchema: z.ZodType<C>,
  create: (config: C) => Omit<Activation, 'id' | 'config'>,
): ActivationPlugin<C> {
  return {
    meta: { id: meta.id, kind: 'activation', description: meta.description, version: '1.0.0', reference: meta.reference },
    configSchema,
    create: (config: C): Activation => ({ id: meta.id, config: { ...config }, ...create(config) }),
  };
}

import type { z } from 'zod';
import { denseArchitecture } from '../dense';
import type { ArchitectureConfig, ArchitecturePlugin } from '../types';

/** Build a dense architecture plugin (internal helper of the built-ins). */
export function defineDenseArchitecture(
  meta: { id: string; description: string; reference?: string },
  configSchema: z.ZodType<ArchitectureConfig>,
): ArchitecturePlugin<ArchitectureConfig> {
  return {
    meta: { id: meta.id, kind: 'architecture', description: meta.description, version: '1.0.0', reference: meta.reference },
    configSchema,
    create: (config) => denseArchitecture(meta.id, config),
  };
}

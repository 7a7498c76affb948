import { z } from 'zod';
import type { ArchitectureConfig } from './types';

const positiveInt = (what: string, def: number) => z.number({ error: `${what} must be a number` }).int(`${what} must be an integer`).positive(`${what} must be positive`).default(def);
const sigma = (what: string) =>
  z
    .number({ error: `${what} must be a finite number` })
    .refine((v) => Number.isFinite(v), `${what} must be finite`)
    .refine((v) => v >= 0, `${what} must be >= 0`)
    .default(1);

/** Fields shared by every dense architecture config, with defaults (width 100, d_in = d_out = 1, σ_w = σ_b = 1). */
export const baseArchitectureFields = {
  width: positiveInt('width', 100),
  dIn: positiveInt('dIn', 1),
  dOut: positiveInt('dOut', 1),
  sigmaW: sigma('sigmaW'),
  sigmaB: sigma('sigmaB'),
  parameterization: z.enum(['standard', 'ntk']).default('standard'),
  bias: z.boolean().default(true),
};

/** Config of an activation inside an architecture config. */
const activationFields = {
  activation: z.string().min(1).default('relu'),
  activationConfig: z.record(z.string(), z.unknown()).optional(),
};

/** Zod schema of a one-hidden-layer family with a fixed activation (gauss-net, relu-net, ...): depth is 1. */
export function fixedActivationSchema(activation: string): z.ZodType<ArchitectureConfig> {
  return z
    .object({
      ...baseArchitectureFields,
      activationConfig: activationFields.activationConfig,
      // Accepted when they agree with the family, so a generic NetSpec-shaped config works too.
      depth: z.literal(1, { error: 'this family has exactly one hidden layer (use mlp for depth L)' }).optional(),
      activation: z.literal(activation, { error: `this family uses ${activation} (use shallow or mlp for another activation)` }).optional(),
    })
    .strict()
    .transform((c) => ({ ...c, depth: 1, activation })) as unknown as z.ZodType<ArchitectureConfig>;
}

/** Zod schema of `shallow`: one hidden layer, any activation (default relu). */
export const shallowSchema = z
  .object({ ...baseArchitectureFields, ...activationFields })
  .strict()
  .transform((c) => ({ ...c, depth: 1 })) as unknown as z.ZodType<ArchitectureConfig>;

/** Zod schema of `mlp`: depth L >= 1 hidden layers (default 2), any activation (default relu). */
export const mlpSchema = z
  .object({ ...baseArchitectureFields, ...activationFields, depth: z.number().int('depth must be an integer').min(1, 'depth must be >= 1').max(64).default(2) })
  .strict() as unknown as z.ZodType<ArchitectureConfig>;

/** Zod schema of `linear-net`: depth L >= 0 identity hidden layers (default 1; 0 is f = W x + b). */
export const linearSchema = z
  .object({
    ...baseArchitectureFields,
    depth: z.number().int('depth must be an integer').min(0, 'depth must be >= 0').max(64).default(1),
    activation: z.literal('identity', { error: 'linear-net uses identity (use mlp for another activation)' }).optional(),
  })
  .strict()
  .transform((c) => ({ ...c, activation: 'identity' })) as unknown as z.ZodType<ArchitectureConfig>;

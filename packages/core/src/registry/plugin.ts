import type { z } from 'zod';
import { UsageError } from '../errors';

/** Describes a plugin: what it is, which extension point it plugs into, and its version. */
export interface PluginMeta<K extends string = string> {
  /** Unique id within its kind, kebab-case, e.g. `gauss-net`. */
  readonly id: string;
  /** The extension point, e.g. `architecture`, `group-action`. */
  readonly kind: K;
  /** One line for `nnsym list`. */
  readonly description: string;
  /** Semver of the plugin. */
  readonly version: string;
  /** Paper, equation or URL the plugin implements. */
  readonly reference?: string;
  /**
   * Other names users type for it (e.g. `permutations` for `sym`): `Registry.get` resolves them to the plugin, and
   * unknown-id suggestions consider them.
   */
  readonly aliases?: readonly string[];
}

/**
 * A plugin is a plain object (the ESLint-rule / Rollup-plugin style): metadata, a zod schema for its config, and
 * a factory. `create` receives a config that has already been validated by {@link createFromPlugin}.
 *
 * @example
 * const myAct: Plugin<'activation', { alpha: number }, Activation> = {
 *   meta: { id: 'my-act', kind: 'activation', description: 'x -> alpha x', version: '1.0.0' },
 *   configSchema: z.object({ alpha: z.number().default(1) }),
 *   create: ({ alpha }) => ({ ...}),
 * };
 */
export interface Plugin<K extends string = string, C = unknown, T = unknown> {
  readonly meta: PluginMeta<K>;
  readonly configSchema: z.ZodType<C>;
  create(config: C): T;
}

/** Any plugin, for heterogeneous collections. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlugin = Plugin<string, any, any>;

/** Config type of a plugin. */
export type ConfigOf<P> = P extends Plugin<string, infer C, unknown> ? C : never;
/** Instance type a plugin creates. */
export type InstanceOf<P> = P extends Plugin<string, unknown, infer T> ? T : never;

/**
 * Validate `raw` against the plugin's schema and create the instance. A validation failure throws a one-line
 * {@link UsageError} that names the plugin and the field, e.g.
 * `architecture "gauss-net": config.width: expected a positive integer, got -1`.
 */
export function createFromPlugin<C, T>(plugin: Plugin<string, C, T>, raw: unknown = {}): T {
  const parsed = plugin.configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? `config.${issue.path.join('.')}` : 'config';
    throw new UsageError(`${plugin.meta.kind} "${plugin.meta.id}": ${field}: ${issue.message}`, field);
  }
  return plugin.create(parsed.data);
}

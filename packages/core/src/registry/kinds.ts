import type { AnyPlugin } from './plugin';
import { Registry } from './registry';

/**
 * Extension points, by kind. Each package that defines an extension point augments this interface with its kind
 * and plugin type, e.g. in @nnsym/groups:
 *
 * ```ts
 * declare module '@nnsym/core' {
 *   interface PluginKinds { 'group-action': GroupActionPlugin }
 * }
 * ```
 */
export interface PluginKinds {}

/** Typed lookups of architectures by id: plugins augment this with `{ 'my-net': MyNetPlugin }`. */
export interface ArchitectureMap {}
/** Typed lookups of activations by id. */
export interface ActivationMap {}
/** Typed lookups of parameter distributions by id. */
export interface DistributionMap {}
/** Typed lookups of group actions by id. */
export interface GroupActionMap {}
/** Typed lookups of datasets by id. */
export interface DatasetMap {}
/** Typed lookups of optimisers by id. */
export interface OptimizerMap {}

/**
 * The id map of each kind, read by {@link PluginHost.kind}: `plugins.kind('architecture').get('relu-net')` is typed
 * as the `relu-net` plugin (its config and instance types) because `relu-net.ts` augments {@link ArchitectureMap}.
 * A kind without a map here (or an id missing from its map) gets the kind's plugin type.
 */
export interface PluginIdMaps {
  architecture: ArchitectureMap;
  activation: ActivationMap;
  distribution: DistributionMap;
  'group-action': GroupActionMap;
  dataset: DatasetMap;
  optimizer: OptimizerMap;
}

type KindName = keyof PluginKinds & string;
type IdMapOf<K extends string> = K extends keyof PluginIdMaps ? PluginIdMaps[K] : Record<string, PluginOfKind<K>>;
type PluginOfKind<K extends string> = K extends KindName
  ? PluginKinds[K] extends AnyPlugin
    ? PluginKinds[K]
    : AnyPlugin
  : AnyPlugin;

/**
 * A set of registries, one per kind, created on first use. The process-wide default is {@link plugins};
 * tests create fresh hosts.
 */
export class PluginHost {
  private readonly registries = new Map<string, Registry<AnyPlugin>>();

  /**
   * The registry of one kind (created empty on first use), typed by the kind's id map: `get` of an id that a
   * plugin declared in {@link PluginIdMaps} returns that plugin's own type.
   *
   * @example
   * const relu = plugins.kind('architecture').get('relu-net'); // typeof reluNetArchitecture
   */
  kind<K extends KindName>(kind: K): Registry<PluginOfKind<K>, IdMapOf<K>>;
  kind(kind: string): Registry<AnyPlugin>;
  kind(kind: string): Registry<AnyPlugin> {
    let r = this.registries.get(kind);
    if (!r) {
      r = new Registry<AnyPlugin>(kind);
      this.registries.set(kind, r);
    }
    return r;
  }

  /** Register any plugin in the registry of its `meta.kind`. */
  register(plugin: AnyPlugin, options: { override?: boolean } = {}): this {
    this.kind(plugin.meta.kind).register(plugin, options);
    return this;
  }

  /** Kinds with at least one plugin, sorted. */
  kinds(): string[] {
    return [...this.registries.entries()].filter(([, r]) => r.list().length > 0).map(([k]) => k).sort();
  }

  /** Every plugin of every kind. */
  all(): AnyPlugin[] {
    return this.kinds().flatMap((k) => this.kind(k).list());
  }
}

/** The process-wide plugin host. Packages register their built-ins here through their `registerAll()`. */
export const plugins = new PluginHost();

import { UsageError } from '../errors';
import { closestId } from './closest';

/** What a registry holds: anything with a kebab-case `meta.id` (plugins also carry `meta.kind`, which must match). */
export interface RegistryItem {
  readonly meta: { readonly id: string; readonly kind?: string; readonly aliases?: readonly string[] };
}

/**
 * A typed registry of plugins of one kind (tfjs `kernel_registry.ts` style: a Map with register / get / list /
 * unregister). Unknown ids throw with the known ids and the closest one; duplicate ids throw unless
 * `{ override: true }`.
 *
 * `IdMap` maps ids to plugin types for typed lookups; it is filled by declaration merging (see
 * `ArchitectureMap` etc. in `kinds.ts`). Items other than plugins (e.g. viz's report renderers) need only `meta.id`.
 *
 * @example
 * const reg = new Registry<ActivationPlugin>('activation');
 * reg.register(reluPlugin);
 * reg.get('relu').create({});
 */
export class Registry<P extends RegistryItem, IdMap extends object = Record<string, P>> {
  private readonly items = new Map<string, P>();
  constructor(readonly kind: string) {}

  /** Add a plugin. Throws on a duplicate id unless `override` is set; throws if the plugin's kind differs. */
  register(plugin: P, options: { override?: boolean } = {}): this {
    const id = plugin?.meta?.id;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
      throw new UsageError(`${this.kind} plugin: meta.id must be a kebab-case string, got ${JSON.stringify(id)}`, 'meta.id');
    }
    if (plugin.meta.kind !== undefined && plugin.meta.kind !== this.kind) {
      throw new UsageError(`plugin "${id}" has kind "${plugin.meta.kind}" and cannot be registered as a ${this.kind}`, 'meta.kind');
    }
    if (this.items.has(id) && !options.override) {
      throw new UsageError(`${this.kind} "${id}" is already registered (pass { override: true } to replace it)`, 'meta.id');
    }
    this.items.set(id, plugin);
    return this;
  }

  /** Remove a plugin; returns whether it was there. */
  unregister(id: string): boolean {
    return this.items.delete(id);
  }

  /** Whether `id` (or an alias of a registered plugin, see {@link resolveId}) is registered. */
  has(id: string): boolean {
    return this.resolveId(id) !== undefined;
  }

  /**
   * The registered id for `id`: itself, or the plugin whose `meta.aliases` lists it (ids win over aliases);
   * undefined when neither.
   */
  resolveId(id: string): string | undefined {
    if (this.items.has(id)) return id;
    for (const p of this.items.values()) if (p.meta.aliases?.includes(id)) return p.meta.id;
    return undefined;
  }

  /** Look up a plugin by id or alias. Unknown id: a one-line error naming the known ids and the closest match. */
  get<Id extends keyof IdMap & string>(id: Id): IdMap[Id] extends P ? IdMap[Id] : P;
  get(id: string): P;
  get(id: string): P {
    const key = this.resolveId(id);
    if (key === undefined) throw new UsageError(this.unknownMessage(id), this.kind);
    return this.items.get(key) as P;
  }

  /** Plugins in registration order. */
  list(): P[] {
    return [...this.items.values()];
  }

  ids(): string[] {
    return [...this.items.keys()];
  }

  /** The message used for an unknown id (exposed so callers can prefix a flag name). */
  unknownMessage(id: string): string {
    const known = this.ids();
    if (known.length === 0) return `unknown ${this.kind} "${id}": no ${this.kind} plugins are registered`;
    // Several ids that start with what was typed (`mse` -> mse-onehot, mse-onecold) are all suggested; otherwise the
    // closest id or alias (an alias is suggested as the id it stands for).
    const prefixed = id.length >= 2 ? known.filter((k) => k.startsWith(id)) : [];
    if (prefixed.length > 1) return `unknown ${this.kind} "${id}" (did you mean one of ${prefixed.map((k) => `"${k}"`).join(', ')}?); known: ${known.join(', ')}`;
    const names = new Map<string, string>(known.map((k) => [k, k]));
    for (const p of this.items.values()) for (const a of p.meta.aliases ?? []) if (!names.has(a)) names.set(a, p.meta.id);
    const closest = closestId(id, [...names.keys()]);
    const near = closest === undefined ? undefined : names.get(closest);
    return `unknown ${this.kind} "${id}"${near ? ` (did you mean "${near}"?)` : ''}; known: ${known.join(', ')}`;
  }
}

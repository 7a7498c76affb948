import { PluginHost } from '../registry/kinds';
import { createFromPlugin, type AnyPlugin } from '../registry/plugin';

/**
 * Checks every plugin must pass, whatever its kind: well-formed meta, a zod schema that accepts the plugin's
 * defaults (or `sampleConfig`), registration in a fresh host, and a duplicate registration that is refused.
 * Returns a list of failures (empty when conformant) so it works under any test runner.
 *
 * @example
 * expect(runPluginConformance(myPlugin)).toEqual([]);
 */
export function runPluginConformance(plugin: AnyPlugin, sampleConfig: unknown = {}): string[] {
  const failures: string[] = [];
  const m = plugin.meta;
  if (!m || typeof m.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(m.id)) failures.push('meta.id must be kebab-case');
  if (!m || typeof m.kind !== 'string' || m.kind.length === 0) failures.push('meta.kind must be a non-empty string');
  if (!m || typeof m.description !== 'string' || m.description.length < 5) failures.push('meta.description must say what the plugin is');
  if (!m || !/^\d+\.\d+\.\d+/.test(m.version ?? '')) failures.push('meta.version must be semver');
  if (!plugin.configSchema || typeof plugin.configSchema.safeParse !== 'function') failures.push('configSchema must be a zod schema');
  if (typeof plugin.create !== 'function') failures.push('create must be a function');
  if (failures.length) return failures;
  try {
    createFromPlugin(plugin, sampleConfig);
  } catch (e) {
    failures.push(`create(sampleConfig) threw: ${(e as Error).message}`);
  }
  const host = new PluginHost();
  host.register(plugin);
  try {
    host.register(plugin);
    failures.push('a duplicate registration was not refused');
  } catch {
    // expected
  }
  if (host.kind(m.kind).get(m.id) !== plugin) failures.push('lookup after registration did not return the plugin');
  return failures;
}

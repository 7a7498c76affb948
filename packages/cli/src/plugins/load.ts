import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AnyPlugin, type PluginHost, UsageError } from '@nnsym/core';

/** Shape of `nnsym.config.json`. */
export interface NnsymConfig {
  /** Package names or paths (relative to the config file) of plugin modules. */
  plugins?: string[];
}

/**
 * A plugin module exports any of: `register(host)`, `plugins: AnyPlugin[]`, a default export that is either of
 * those, or a single plugin object.
 */
type PluginModule = {
  register?: (host: PluginHost) => void;
  plugins?: AnyPlugin[];
  default?: unknown;
  meta?: unknown;
};

function isPlugin(v: unknown): v is AnyPlugin {
  return !!v && typeof v === 'object' && 'meta' in v && 'create' in v;
}

/**
 * Resolve a plugin spec to a file: a path (starts with `.` or `/`, ends in `.js`/`.cjs`, or exists relative to
 * `baseDir`, so `--plugin fixtures/my-plugin` works) or a package name resolved from `baseDir`.
 */
export function resolvePluginSpec(spec: string, baseDir: string, origin: string): string {
  const asPath = path.resolve(baseDir, spec);
  const looksLikePath = spec.startsWith('.') || path.isAbsolute(spec) || spec.endsWith('.js') || spec.endsWith('.cjs');
  if (looksLikePath || fs.existsSync(asPath)) {
    try {
      return require.resolve(asPath);
    } catch {
      throw new UsageError(`${origin}: cannot load plugin "${spec}": ${fs.existsSync(asPath) ? `no index.js or package.json "main" in ${asPath}` : `${asPath} does not exist`}`, origin);
    }
  }
  try {
    return require.resolve(spec, { paths: [baseDir] });
  } catch {
    throw new UsageError(`${origin}: cannot find plugin "${spec}": not a path and no package of that name is installed (looked from ${baseDir})`, origin);
  }
}

const loadedFiles = new WeakMap<PluginHost, Set<string>>();

/** Load one plugin module into `host`; returns the ids it added. */
export function loadPluginModule(spec: string, baseDir: string, host: PluginHost, origin: string): string[] {
  const resolved = resolvePluginSpec(spec, baseDir, origin);
  // The same module named twice (nnsym.config.json and --plugin) is loaded once.
  const seen = loadedFiles.get(host) ?? new Set<string>();
  loadedFiles.set(host, seen);
  if (seen.has(resolved)) return [];
  seen.add(resolved);
  const before = new Set(host.all().map((p) => `${p.meta.kind}/${p.meta.id}`));
  let mod: PluginModule;
  try {
    mod = require(resolved) as PluginModule;
  } catch (e) {
    throw new UsageError(`${origin}: plugin module "${spec}" failed to load: ${(e as Error).message.split('\n')[0]}`, origin);
  }
  const candidates: unknown[] = [mod, mod.default];
  let used = false;
  for (const c of candidates) {
    if (!c) continue;
    const m = c as PluginModule;
    if (typeof m.register === 'function') {
      try {
        m.register(host);
      } catch (e) {
        throw new UsageError(`${origin}: plugin module "${spec}": register() failed: ${(e as Error).message.split('\n')[0]}`, origin);
      }
      used = true;
      break;
    }
    if (Array.isArray(m.plugins)) {
      for (const p of m.plugins) host.register(p);
      used = true;
      break;
    }
    if (isPlugin(c)) {
      host.register(c);
      used = true;
      break;
    }
  }
  if (!used) throw new UsageError(`${origin}: plugin module "${spec}" exports no register(host), plugins array or plugin object`, origin);
  return host
    .all()
    .map((p) => `${p.meta.kind}/${p.meta.id}`)
    .filter((k) => !before.has(k));
}

/** Read `nnsym.config.json` from `dir` (if present) and load its plugins. */
export function loadConfigPlugins(dir: string, host: PluginHost): { file?: string; loaded: string[] } {
  const file = path.join(dir, 'nnsym.config.json');
  if (!fs.existsSync(file)) return { loaded: [] };
  let cfg: NnsymConfig;
  try {
    cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as NnsymConfig;
  } catch (e) {
    throw new UsageError(`nnsym.config.json: invalid JSON (${(e as Error).message})`, 'nnsym.config.json');
  }
  if (cfg.plugins !== undefined && (!Array.isArray(cfg.plugins) || cfg.plugins.some((p) => typeof p !== 'string'))) {
    throw new UsageError('nnsym.config.json: "plugins" must be an array of package names or paths', 'nnsym.config.json:plugins');
  }
  const loaded = (cfg.plugins ?? []).flatMap((p) => loadPluginModule(p, dir, host, 'nnsym.config.json:plugins'));
  return { file, loaded };
}

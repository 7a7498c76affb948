import { formatFiles, joinPathFragments, names, type Tree } from '@nx/devkit';
import * as path from 'node:path';

/** Options every plugin generator takes (see each generator's schema.json). */
export interface PluginGeneratorOptions {
  /** Plugin id, kebab-case, e.g. `my-net`. */
  name: string;
  /** Package directory the plugin goes into, e.g. `packages/core`. */
  project?: string;
  /** Directory inside the package for the plugin file, e.g. `src/nn/architectures`. */
  directory?: string;
  /** One line for `nnsym list`. */
  description?: string;
  /** Only write the plugin file and its spec; leave the registration file alone. */
  skipRegistration?: boolean;
  /** Do not run prettier (tests and when prettier is not installed; formatFiles is a no-op without it anyway). */
  skipFormat?: boolean;
}

/** What a generator for one extension point fixes: where plugins live and which conformance suite checks them. */
export interface ExtensionPoint {
  kind: 'architecture' | 'group-action' | 'distribution';
  /** Default package and directory of new plugins. */
  defaultProject: string;
  defaultDirectory: string;
  /** File (relative to the package) holding the list of built-ins the new plugin joins. */
  registrationFile: string;
  /** Typed-lookup interface to augment in the registration file when present, e.g. `GroupActionMap`. */
  mapInterface?: string;
  /** Export name suffix: `myNet` + `Architecture`. */
  exportSuffix: string;
  /** Package whose `testing` entry has the suite, its path inside that package, and the suite's name. */
  testing: { pkg: string; dir: string; file: string; suite: string };
}

export interface ResolvedPlugin {
  id: string;
  exportName: string;
  className: string;
  projectRoot: string;
  dir: string;
  pluginFile: string;
  specFile: string;
  description: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Validate the name and work out file names and the export name. */
export function resolvePlugin(tree: Tree, options: PluginGeneratorOptions, ep: ExtensionPoint): ResolvedPlugin {
  const id = names(options.name).fileName;
  if (!KEBAB.test(id)) throw new Error(`${ep.kind} generator: name must be kebab-case (e.g. my-net), got "${options.name}"`);
  const projectRoot = (options.project ?? ep.defaultProject).replace(/\/+$/, '');
  if (!tree.exists(joinPathFragments(projectRoot, 'package.json')))
    throw new Error(`${ep.kind} generator: --project: no package.json in "${projectRoot}"`);
  const dir = joinPathFragments(projectRoot, options.directory ?? ep.defaultDirectory);
  const pluginFile = joinPathFragments(dir, `${id}.ts`);
  if (tree.exists(pluginFile)) throw new Error(`${ep.kind} generator: ${pluginFile} already exists`);
  return {
    id,
    exportName: `${names(id).propertyName}${ep.exportSuffix}`,
    className: names(id).className,
    projectRoot,
    dir,
    pluginFile,
    specFile: joinPathFragments(dir, `${id}.spec.ts`),
    description: options.description ?? `${id} (describe it in one line)`,
  };
}

/** Name of the package at `projectRoot` (from its package.json). */
export function packageName(tree: Tree, projectRoot: string): string {
  return (JSON.parse(tree.read(joinPathFragments(projectRoot, 'package.json'), 'utf-8') ?? '{}') as { name?: string }).name ?? projectRoot;
}

/**
 * Module specifier to import `target` (a workspace path without extension) from a file in `fromDir`: a relative
 * path inside the same package (Nx rejects a package importing itself by name), else the package name.
 */
export function importFrom(
  fromDir: string,
  targetInPackage: { projectRoot: string; pkg: string; file: string; entry: string },
  sameProject: boolean,
): string {
  if (!sameProject) return targetInPackage.entry;
  let rel = path.posix.relative(fromDir, joinPathFragments(targetInPackage.projectRoot, targetInPackage.file));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

/** Insert `line` after the last top-level import of `source` (or at the top). */
export function addImport(source: string, line: string): string {
  const re = /^import[\s\S]*?from\s+['"][^'"]+['"];?[ \t]*$/gm;
  let last = -1;
  for (let m = re.exec(source); m; m = re.exec(source)) last = m.index + m[0].length;
  if (last < 0) return `${line}\n${source}`;
  return `${source.slice(0, last)}\n${line}${source.slice(last)}`;
}

/** Append `item` to the first array literal assigned to a name matching `arrayName` (multi- or single-line). */
export function addToArrayLiteral(source: string, arrayName: RegExp, item: string): string | undefined {
  const decl = new RegExp(`(?:const|let)\\s+(${arrayName.source})\\s*(?::[^=]+)?=\\s*\\[`, 'm').exec(source);
  if (!decl) return undefined;
  const open = decl.index + decl[0].length - 1;
  let depth = 0;
  let close = -1;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '[') depth++;
    else if (source[i] === ']' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return undefined;
  const inner = source.slice(open + 1, close);
  let next: string;
  if (inner.includes('\n')) {
    const body = inner.trimEnd();
    const indent = /\n([ \t]+)\S/.exec(inner)?.[1] ?? '  ';
    next = `${body}${body.trim() && !body.endsWith(',') ? ',' : ''}\n${indent}${item},\n`;
  } else {
    next = `${inner.trim()}${inner.trim() ? ', ' : ''}${item}`;
  }
  return `${source.slice(0, open + 1)}${next}${source.slice(close)}`;
}

/** Fallback registration: `host.register(item)` as the first statement of the exported `register*(host)` function. */
export function addRegisterCall(source: string, item: string): string | undefined {
  const fn = /export function register\w*\(\s*(\w+)\s*:[^)]*\)[^{]*\{/m.exec(source);
  if (!fn) return undefined;
  const at = fn.index + fn[0].length;
  const emptyBody = /^\s*\}/.test(source.slice(at));
  return `${source.slice(0, at)}\n  ${fn[1]}.register(${item});${emptyBody ? '\n' : ''}${emptyBody ? source.slice(at).trimStart() : source.slice(at)}`;
}

/** Add `'id': typeof exportName;` to `interface <name> {` if the file declares it. */
export function addMapEntry(source: string, iface: string, id: string, exportName: string): string {
  const m = new RegExp(`interface\\s+${iface}\\s*\\{`).exec(source);
  if (!m) return source;
  const at = m.index + m[0].length;
  const close = source.indexOf('}', at);
  const indent = /\n([ \t]+)\S/.exec(source.slice(at, close))?.[1] ?? '    ';
  const key = /^[a-z_$][\w$]*$/i.test(id) ? id : `'${id}'`;
  const body = source.slice(at, close).trimEnd();
  return `${source.slice(0, at)}${body}\n${indent}${key}: typeof ${exportName};\n${indent.slice(2)}${source.slice(close)}`;
}

/**
 * Register the new plugin: import it into the extension point's registration file and append it to the built-ins
 * array there (or add a `host.register(...)` call), plus a typed-lookup entry when the file has the map interface.
 */
export function registerPlugin(tree: Tree, p: ResolvedPlugin, ep: ExtensionPoint, options: PluginGeneratorOptions): string | undefined {
  if (options.skipRegistration) return undefined;
  const file = joinPathFragments(p.projectRoot, ep.registrationFile);
  if (!tree.exists(file))
    throw new Error(
      `${ep.kind} generator: registration file ${file} not found (pass --skipRegistration and register ${p.exportName} yourself)`,
    );
  let src = tree.read(file, 'utf-8') ?? '';
  let spec = path.posix.relative(path.posix.dirname(file), p.pluginFile).replace(/\.ts$/, '');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  src = addImport(src, `import { ${p.exportName} } from '${spec}';`);
  const next = addToArrayLiteral(src, /[A-Za-z_$][\w$]*[Pp]lugins|BUILTIN_[A-Z_]+/, p.exportName) ?? addRegisterCall(src, p.exportName);
  if (!next)
    throw new Error(`${ep.kind} generator: found no built-ins array or register function in ${file}; register ${p.exportName} yourself`);
  src = ep.mapInterface ? addMapEntry(next, ep.mapInterface, p.id, p.exportName) : next;
  tree.write(file, src);
  return file;
}

/** Write the plugin file and its conformance spec, register the plugin, format. */
export async function writePlugin(
  tree: Tree,
  options: PluginGeneratorOptions,
  ep: ExtensionPoint,
  render: (
    p: ResolvedPlugin,
    ctx: { sameProject: (pkg: string) => boolean; importFrom: (pkg: string, file: string) => string },
  ) => { plugin: string; spec: string },
): Promise<ResolvedPlugin> {
  const p = resolvePlugin(tree, options, ep);
  const own = packageName(tree, p.projectRoot);
  const sameProject = (pkg: string) => pkg === own;
  const ctx = {
    sameProject,
    importFrom: (pkg: string, file: string) =>
      importFrom(
        p.dir,
        { projectRoot: p.projectRoot, pkg, file, entry: file.endsWith('testing') ? `${pkg}/testing` : pkg },
        sameProject(pkg),
      ),
  };
  const { plugin, spec } = render(p, ctx);
  tree.write(p.pluginFile, plugin);
  tree.write(p.specFile, spec);
  registerPlugin(tree, p, ep, options);
  if (!options.skipFormat) await formatFiles(tree);
  return p;
}

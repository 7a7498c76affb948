import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { architectureGenerator, ARCHITECTURE } from './architecture/generator';
import { groupActionGenerator, GROUP_ACTION } from './group-action/generator';
import { distributionGenerator, DISTRIBUTION } from './distribution/generator';
import { addRegisterCall, addToArrayLiteral, type ExtensionPoint } from './shared/plugin-generator';

const root = path.resolve(__dirname, '..', '..', '..');

/** Syntax errors of a generated TypeScript file (transpile only; types are checked when the package builds). */
function syntaxErrors(tree: Tree, file: string): string[] {
  const out = ts.transpileModule(tree.read(file, 'utf-8') ?? '', { reportDiagnostics: true, fileName: file, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** A tree holding the extension point's package.json and registration file as they are in this repository. */
function seed(ep: ExtensionPoint, pkgName: string, registration?: string): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(`${ep.defaultProject}/package.json`, JSON.stringify({ name: pkgName, version: '0.1.0' }));
  const real = path.join(root, ep.defaultProject, ep.registrationFile);
  tree.write(`${ep.defaultProject}/${ep.registrationFile}`, registration ?? fs.readFileSync(real, 'utf8'));
  return tree;
}

describe('@nnsym/tools:architecture', () => {
  it('writes the plugin, registers it in builtin.ts and writes a conformance spec (in @nnsym/core)', async () => {
    const tree = seed(ARCHITECTURE, '@nnsym/core');
    await architectureGenerator(tree, { name: 'my-net', description: 'a test net', skipFormat: true });
    const plugin = tree.read('packages/core/src/nn/architectures/my-net.ts', 'utf-8') ?? '';
    expect(plugin).toContain("export const myNetArchitecture: ArchitecturePlugin<ArchitectureConfig> = {");
    expect(plugin).toContain("meta: { id: 'my-net', kind: 'architecture', description: 'a test net', version: '0.1.0' }");
    expect(plugin).toContain("configSchema: fixedActivationSchema('tanh')");
    expect(plugin).toContain("dense: { activation: 'tanh', depth: 1 },");
    expect(plugin).toMatch(/declare module '\.\.\/\.\.\/registry\/kinds' \{\s*interface ArchitectureMap \{\s*'my-net': typeof myNetArchitecture;/);
    // Inside core, relative imports (Nx rejects a package importing itself by name).
    expect(plugin).toContain("from '../config'");
    expect(plugin).toContain("from '../dense'");
    expect(plugin).not.toContain("'@nnsym/core'");
    const spec = tree.read('packages/core/src/nn/architectures/my-net.spec.ts', 'utf-8') ?? '';
    expect(spec).toContain("import { runArchitectureConformance, runPluginConformance } from '../../testing';");
    expect(spec).toContain('runArchitectureConformance(myNetArchitecture, { config })');
    const reg = tree.read('packages/core/src/nn/architectures/builtin.ts', 'utf-8') ?? '';
    expect(reg).toContain("import { myNetArchitecture } from './my-net';");
    expect(reg).toMatch(/BUILTIN_ARCHITECTURES[^=]*=\s*\[[^\]]*myNetArchitecture,\s*\]/);
    for (const f of ['my-net.ts', 'my-net.spec.ts', 'builtin.ts']) expect(syntaxErrors(tree, `packages/core/src/nn/architectures/${f}`)).toEqual([]);
  });

  it('imports @nnsym/core by name from another package, and takes --activation', async () => {
    const tree = seed(ARCHITECTURE, '@nnsym/core');
    tree.write('packages/contrib/package.json', JSON.stringify({ name: '@acme/contrib' }));
    await architectureGenerator(tree, { name: 'wide-net', project: 'packages/contrib', directory: 'src', activation: 'relu', skipRegistration: true, skipFormat: true });
    const plugin = tree.read('packages/contrib/src/wide-net.ts', 'utf-8') ?? '';
    expect(plugin).toContain("import { denseArchitecture, fixedActivationSchema, type ArchitectureConfig, type ArchitecturePlugin } from '@nnsym/core';");
    expect(plugin).toContain("fixedActivationSchema('relu')");
    expect(tree.read('packages/contrib/src/wide-net.spec.ts', 'utf-8')).toContain("from '@nnsym/core/testing'");
    expect(tree.read('packages/core/src/nn/architectures/builtin.ts', 'utf-8')).not.toContain('wideNet');
  });

  it('refuses a non-kebab name, an existing file and a missing package', async () => {
    const tree = seed(ARCHITECTURE, '@nnsym/core');
    await expect(architectureGenerator(tree, { name: 'My Net!', skipFormat: true })).rejects.toThrow(/kebab-case/);
    await architectureGenerator(tree, { name: 'my-net', skipFormat: true });
    await expect(architectureGenerator(tree, { name: 'my-net', skipFormat: true })).rejects.toThrow(/already exists/);
    await expect(architectureGenerator(tree, { name: 'x-net', project: 'packages/nope', skipFormat: true })).rejects.toThrow(/--project: no package.json in "packages\/nope"/);
  });
});

describe('@nnsym/tools:group-action', () => {
  it('writes the plugin, adds it to builtinGroupPlugins and GroupActionMap, and a spec calling runGroupActionConformance', async () => {
    const tree = seed(GROUP_ACTION, '@nnsym/groups');
    await groupActionGenerator(tree, { name: 'my-group', skipFormat: true });
    const plugin = tree.read('packages/groups/src/my-group.ts', 'utf-8') ?? '';
    expect(plugin).toContain('export const myGroupPlugin: GroupActionPlugin<{ n: number }> = {');
    expect(plugin).toContain("import type { GroupAction, GroupActionPlugin } from './types';");
    expect(plugin).toContain('export function createMyGroup(n: number)');
    const spec = tree.read('packages/groups/src/my-group.spec.ts', 'utf-8') ?? '';
    expect(spec).toContain("import { runGroupActionConformance } from './testing';");
    expect(spec).toContain('runGroupActionConformance(myGroupPlugin, { config: { n } })');
    const reg = tree.read('packages/groups/src/register-all.ts', 'utf-8') ?? '';
    expect(reg).toContain("import { myGroupPlugin } from './my-group';");
    expect(reg).toMatch(/interface GroupActionMap \{[^}]*'my-group': typeof myGroupPlugin;\s*\}/);
    expect(reg).toMatch(/builtinGroupPlugins = \[[^\]]*myGroupPlugin,\s*\] as const/);
    for (const f of ['my-group.ts', 'my-group.spec.ts', 'register-all.ts']) expect(syntaxErrors(tree, `packages/groups/src/${f}`)).toEqual([]);
  });
});

describe('@nnsym/tools:distribution', () => {
  it('writes the plugin, adds it to a single-line BUILTIN_DISTRIBUTIONS and a spec calling runDistributionConformance', async () => {
    const tree = seed(
      DISTRIBUTION,
      '@nnsym/distributions',
      "import type { DistributionPlugin } from '../types';\nimport { normalDistribution } from './normal';\n\nexport const BUILTIN_DISTRIBUTIONS: readonly DistributionPlugin[] = [normalDistribution];\n",
    );
    await distributionGenerator(tree, { name: 'two-point', description: "a 'two-point' law", skipFormat: true });
    const plugin = tree.read('packages/distributions/src/dists/two-point.ts', 'utf-8') ?? '';
    expect(plugin).toContain('export const twoPointDistribution = defineDistribution(');
    expect(plugin).toContain("import { defineDistribution } from './define';");
    expect(plugin).toContain("description: 'a \\'two-point\\' law'");
    expect(tree.read('packages/distributions/src/dists/two-point.spec.ts', 'utf-8')).toContain("import { runDistributionConformance } from '../testing';");
    const reg = tree.read('packages/distributions/src/dists/builtin.ts', 'utf-8') ?? '';
    expect(reg).toContain('= [normalDistribution, twoPointDistribution];');
    expect(reg).toContain("import { twoPointDistribution } from './two-point';");
    for (const f of ['two-point.ts', 'two-point.spec.ts', 'builtin.ts']) expect(syntaxErrors(tree, `packages/distributions/src/dists/${f}`)).toEqual([]);
  });

  it('falls back to a host.register(...) call when the registration file has no built-ins array', async () => {
    const tree = seed(DISTRIBUTION, '@nnsym/distributions', "import type { PluginHost } from '@nnsym/core';\n\nexport function registerDists(_host: PluginHost): void {}\n");
    await distributionGenerator(tree, { name: 'my-dist', skipFormat: true });
    expect(tree.read('packages/distributions/src/dists/builtin.ts', 'utf-8')).toContain('registerDists(_host: PluginHost): void {\n  _host.register(myDistDistribution);\n}\n');
  });

  it('says what to do when the registration file is missing', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('packages/distributions/package.json', JSON.stringify({ name: '@nnsym/distributions' }));
    await expect(distributionGenerator(tree, { name: 'my-dist', skipFormat: true })).rejects.toThrow(/registration file packages\/distributions\/src\/dists\/builtin.ts not found \(pass --skipRegistration/);
  });
});

describe('registration helpers', () => {
  it('append to empty, single-line and multi-line arrays', () => {
    expect(addToArrayLiteral('const fooPlugins = [];', /fooPlugins/, 'a')).toBe('const fooPlugins = [a];');
    expect(addToArrayLiteral('const fooPlugins = [x, y] as const;', /fooPlugins/, 'a')).toBe('const fooPlugins = [x, y, a] as const;');
    expect(addToArrayLiteral('const fooPlugins = [\n  x,\n  y\n];', /fooPlugins/, 'a')).toBe('const fooPlugins = [\n  x,\n  y,\n  a,\n];');
    expect(addToArrayLiteral('const other = [x];', /fooPlugins/, 'a')).toBeUndefined();
    expect(addRegisterCall('const x = 1;', 'a')).toBeUndefined();
  });
});

describe('generators.json', () => {
  it('lists the three generators with factories built from these sources and existing schemas', () => {
    const tools = path.resolve(__dirname, '..', '..');
    const collection = JSON.parse(fs.readFileSync(path.join(tools, 'generators.json'), 'utf8')) as { generators: Record<string, { factory: string; schema: string }> };
    expect(Object.keys(collection.generators).sort()).toEqual(['architecture', 'distribution', 'group-action']);
    for (const [name, g] of Object.entries(collection.generators)) {
      expect(g.factory).toBe(`./dist/generators/${name}/generator`);
      expect(fs.existsSync(path.join(tools, 'src', 'generators', name, 'generator.ts'))).toBe(true);
      const schema = JSON.parse(fs.readFileSync(path.join(tools, g.schema), 'utf8'));
      expect(schema.required).toEqual(['name']);
    }
  });
});

// @nnsym/tools public entry: the Nx generators (also reachable through generators.json).
export { architectureGenerator, ARCHITECTURE } from './generators/architecture/generator';
export { groupActionGenerator, GROUP_ACTION } from './generators/group-action/generator';
export { distributionGenerator, DISTRIBUTION } from './generators/distribution/generator';
export type { PluginGeneratorOptions, ExtensionPoint } from './generators/shared/plugin-generator';

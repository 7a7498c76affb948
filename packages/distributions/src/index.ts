// @nnsym/distributions public entry: named re-exports only.
export { registerDistributionPlugins } from './register-all';

// @nnsym/symmetry public entry. Each area keeps its named exports in its own public.ts.
export * from './groups/public';
export * from './correlators/public';
export * from './invariance/public';
export * from './similarity/public';
export * from './intertwiners/public';
export * from './noether/public';
export * from './meanfield/public';
export * from './ntk-symmetry/public';
export { registerSymmetryPlugins } from './register-all';

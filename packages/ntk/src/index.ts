// @nnsym/ntk public entry.
export * from './analytic/public';
export * from './empirical/public';

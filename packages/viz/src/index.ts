// @nnsym/viz public entry: named re-exports only.
export const PACKAGE = '@nnsym/viz';

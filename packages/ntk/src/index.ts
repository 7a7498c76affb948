// @nnsym/ntk public entry: named re-exports only.
export const PACKAGE = '@nnsym/ntk';

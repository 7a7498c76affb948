// @nnsym/distributions public entry: named re-exports only.
export const PACKAGE = '@nnsym/distributions';

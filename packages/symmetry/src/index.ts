// @nnsym/symmetry public entry: named re-exports only.
export const PACKAGE = '@nnsym/symmetry';

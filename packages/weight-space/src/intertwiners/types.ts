
/**
 * The candidate families of intertwiners tested by {@link discoverIntertwiners}, each a subgroup of GL_n:
 * - `permutation`: P (permutation matrices, Sigma_n);
 * - `positive-scaling`: P D with D diagonal, D_ii > 0;
 * - `sign-flip`: P D with D_ii in {-1, +1};
 * - `invertible-scaling`: P D with D diagonal and invertible (any signs and magnitudes);
 * - `general-linear`: any A in GL_n.
 */
export const INTERTWINER_FAMILIES = ['permutation', 'positive-scaling', 'sign-flip', 'invertible-scaling', 'general-linear'] as const;
/** One of {@link INTERTWINER_FAMILIES}. */
export type IntertwinerFamily = (typeof INTERTWINER_FAMILIES)[number];

/**
 * The map phi: G_sigma -> GL_n, A -> B with sigma(A x) = B sigma(x), described for the families that hold.
 * `identity`: phi(A) = A; `abs`: phi(A) = |A| entrywise; `power`: phi(A) = A^(o d), the entrywise d-th power;
 * `none`: only the trivial group holds (no family); `unknown`: B exists but fits none of these forms.
 */
export type PhiDescription =
  | { kind: 'identity'; formula: string }
  | { kind: 'abs'; formula: string }
  | { kind: 'power'; degree: number; formula: string }
  | { kind: 'none'; formula: string }
  | { kind: 'unknown'; formula: string };

/** Which families hold for an activation, and phi. */
export interface IntertwinerTable {
  families: Record<IntertwinerFamily, boolean>;
  phi: PhiDescription;
}

/** Apply `phi` to an entry of a generalised permutation matrix A = P D (phi acts entrywise on such A). */
export function phiEntry(phi: PhiDescription, a: number): number {
  switch (phi.kind) {
    case 'identity':
      return a;
    case 'abs':
      return Math.abs(a);
    case 'power':
      return a === 0 ? 0 : Math.pow(a, phi.degree);
    default:
      return NaN;
  }
}

/** Human formula for a phi kind. */
export function phiFormula(kind: PhiDescription['kind'], degree?: number): string {
  switch (kind) {
    case 'identity':
      return 'phi(A) = A';
    case 'abs':
      return 'phi(A) = |A| (entrywise absolute value)';
    case 'power':
      return `phi(A) = A^(o${degree}) (entrywise ${degree}-th power; A = P D, so phi(A) = P D^${degree})`;
    case 'none':
      return 'no candidate family holds: G_sigma restricted to these families is trivial';
    default:
      return 'B exists but matches none of A, |A|, A^(o d)';
  }
}

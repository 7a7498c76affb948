import { UsageError } from '@nnsym/core';
import { phiFormula, type IntertwinerFamily, type IntertwinerTable } from './types';

/** The activations whose intertwiner groups are derived by hand below (Godfrey et al. 2022, table 1, extended). */
export const HAND_DERIVED_ACTIVATIONS = [
  'identity',
  'relu',
  'leaky-relu',
  'gelu',
  'sigmoid',
  'tanh',
  'power',
  'gaussian',
  'erf',
  'exp',
] as const;
/** One of {@link HAND_DERIVED_ACTIVATIONS}. */
export type HandDerivedActivation = (typeof HAND_DERIVED_ACTIVATIONS)[number];

const fam = (holding: IntertwinerFamily[]): Record<IntertwinerFamily, boolean> => ({
  permutation: holding.includes('permutation'),
  'positive-scaling': holding.includes('positive-scaling'),
  'sign-flip': holding.includes('sign-flip'),
  'invertible-scaling': holding.includes('invertible-scaling'),
  'general-linear': holding.includes('general-linear'),
});

/**
 * The intertwiner groups derived by hand (scalar t, c, b real; an entrywise sigma commutes with every permutation,
 * so sigma(P x) = P sigma(x) and the question is which diagonal D give sigma(D x) = D' sigma(x), i.e.
 * sigma(c t) = b sigma(t) for all t; general A is excluded unless sigma is linear):
 *
 * - identity: sigma(A x) = A x = A sigma(x) for every A in GL_n. G = GL_n, phi(A) = A.
 * - relu: relu(c t) = c relu(t) for c > 0 (positive homogeneity), so P D with D > 0 works with phi(A) = A.
 *   c < 0 fails: for t > 0, relu(c t) = 0 forces b = 0, but for t < 0 relu(c t) = c t != 0 = b relu(t).
 *   G = {P D : D > 0}; Godfrey et al. show that no A outside the monomial matrices works.
 * - leaky-relu (negative slope alpha, `options.alpha`): positively homogeneous for every alpha, so D > 0 works,
 *   phi(A) = A. c < 0: t > 0 gives b = alpha c, t < 0 gives b = c / alpha; equal only if alpha^2 = 1. So for
 *   alpha != +-1 (alpha = 0 is relu) G = {P D : D > 0}. alpha = 1 is the identity (G = GL_n). alpha = -1 is |t|:
 *   |c t| = |c| |t| for every c != 0, so every invertible P D works with phi(P D) = |P D|; a general A fails
 *   (|sum_j a_ij x_j| is no combination of the |x_j|). G = {P D : D invertible}, phi(A) = |A|.
 * - gelu(t) = t Phi(t): gelu(c t) = b gelu(t) needs Phi(c t) / Phi(t) constant; as t -> +inf the ratio -> 1
 *   (b = c), as t -> -inf it behaves like exp(-(c^2 - 1) t^2 / 2) / c, constant only for c = 1. For c < 0,
 *   gelu(-t) = gelu(t) - t is not linear in gelu(t). G = Sigma_n, phi(A) = A.
 * - sigmoid: t -> +inf gives b = 1; t -> -inf gives sigmoid(c t) / sigmoid(t) ~ exp((c - 1) t), constant only for
 *   c = 1. c = -1: sigmoid(-t) = 1 - sigmoid(t) is affine, not linear. G = Sigma_n, phi(A) = A.
 * - tanh: odd, so tanh(-t) = -tanh(t): sign flips work with phi(A) = A. c > 0, c != 1: t -> +inf gives b = 1,
 *   t -> 0 gives b = c; contradiction. G = {P D : D_ii = +-1}, phi(A) = A.
 * - power x^d (integer d >= 2): (c t)^d = c^d t^d for every c != 0, so every invertible P D works with
 *   phi(P D) = P D^d = (P D)^(o d), the entrywise power. General A fails: (sum_j a_ij x_j)^d has cross terms
 *   x_j x_k that no combination of the x_j^d reproduces. G = {P D : D invertible}. (d = 1 is the identity.)
 * - gaussian exp(-x^2): t = 0 gives b = 1, then exp(-c^2 t^2) = exp(-t^2) forces c^2 = 1. c = -1 works since
 *   the function is even, with phi(P D) = P = |P D|. G = {P D : D_ii = +-1}, phi(A) = |A|. (Not the registry's
 *   `gauss`, which is the Gauss-net exp(z - q(x)).)
 * - erf: odd, so sign flips work (phi(A) = A); c > 0, c != 1: t -> +inf gives b = 1, t -> 0 gives b = c. Like tanh.
 * - exp: exp(c t) = b exp(t) for all t means exp((c - 1) t) = b, so c = 1 (and b = 1); c < 0 fails the same way.
 *   G = Sigma_n, phi(A) = A. (The registry's `gauss` evaluated without its input context is exp as well.)
 *
 * @example
 * handDerivedIntertwiners('tanh').families['sign-flip']; // true
 * handDerivedIntertwiners('power', { degree: 3 }).phi;     // { kind: 'power', degree: 3, ... }
 * handDerivedIntertwiners('leaky-relu', { alpha: -1 }).phi; // { kind: 'abs', ... } (|t|)
 */
export function handDerivedIntertwiners(activation: HandDerivedActivation, options: { degree?: number; alpha?: number } = {}): IntertwinerTable {
  switch (activation) {
    case 'identity':
      return {
        families: fam(['permutation', 'positive-scaling', 'sign-flip', 'invertible-scaling', 'general-linear']),
        phi: { kind: 'identity', formula: phiFormula('identity') },
      };
    case 'leaky-relu':
      if (options.alpha === 1) return handDerivedIntertwiners('identity');
      if (options.alpha === -1) return { families: fam(['permutation', 'positive-scaling', 'sign-flip', 'invertible-scaling']), phi: { kind: 'abs', formula: phiFormula('abs') } };
      return handDerivedIntertwiners('relu');
    case 'relu':
      return { families: fam(['permutation', 'positive-scaling']), phi: { kind: 'identity', formula: phiFormula('identity') } };
    case 'gelu':
    case 'sigmoid':
    case 'exp':
      return { families: fam(['permutation']), phi: { kind: 'identity', formula: phiFormula('identity') } };
    case 'tanh':
    case 'erf':
      return { families: fam(['permutation', 'sign-flip']), phi: { kind: 'identity', formula: phiFormula('identity') } };
    case 'power': {
      const d = options.degree ?? 2;
      if (!Number.isInteger(d) || d < 1) throw new UsageError(`power activation: degree must be a positive integer, got ${d}`, 'degree');
      if (d === 1) return handDerivedIntertwiners('identity');
      return {
        families: fam(['permutation', 'positive-scaling', 'sign-flip', 'invertible-scaling']),
        phi: { kind: 'power', degree: d, formula: phiFormula('power', d) },
      };
    }
    case 'gaussian':
      return { families: fam(['permutation', 'sign-flip']), phi: { kind: 'abs', formula: phiFormula('abs') } };
    default:
      throw new UsageError(
        `no hand-derived intertwiner table for "${String(activation)}"; known: ${HAND_DERIVED_ACTIVATIONS.join(', ')}`,
        'activation',
      );
  }
}

import type { ActivationDual } from '../types';

/**
 * Closed-form dual of the Gauss-net activation (Halverson–Maiti–Stoner, arXiv 2008.08601, NN-QFT
 * conventions of docs/conventions.md): φ(z; x) = exp(z) / exp(σ_b² + σ_w²|x|²/d_in) = exp(z − q(x)), where
 * q(x) = σ_b² + σ_w²|x|²/d_in = Var z(x) in the first layer.
 *
 * Derivation. With u = z(x), v = z(x'), Var u = q1, Var v = q2, Cov = c, u + v ~ N(0, q1 + q2 + 2c), so
 *
 *   E[φφ] = e^{−q1−q2} E[e^{u+v}] = e^{−q1−q2} e^{(q1+q2)/2 + c} = exp(c − (q1 + q2)/2).
 *
 * In the first layer c − (q1+q2)/2 = σ_w² (x·x' − |x|²/2 − |x'|²/2)/d_in = −σ_w² |x − x'|² / (2 d_in), hence
 *
 *   K(x, x') = σ_b² + σ_w² exp(−σ_w² |x − x'|² / (2 d_in)),
 *
 * a translation-invariant (RBF) kernel: the normalisation is a function of x, not of the parameters, so
 * ∂φ/∂z = φ and the NTK's derivative term is the same expectation. Valid for one hidden layer (the normalisation
 * is defined by the first layer's variance), hence `maxDepth: 1`.
 *
 * @example
 * gaussDual.phiPhi(1, 1, 1); // 1 (x = x')
 */
export const gaussDual: ActivationDual = {
  id: 'gauss',
  method: 'closed-form',
  reference: 'Gauss-net, Halverson-Maiti-Stoner arXiv 2008.08601',
  phiPhi: (q1, q2, c) => Math.exp(c - 0.5 * (q1 + q2)),
  dphiDphi: (q1, q2, c) => Math.exp(c - 0.5 * (q1 + q2)),
  maxDepth: 1,
};

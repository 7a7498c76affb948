import type { ActivationDual } from '../types';

/**
 * Closed-form dual of φ(z) = exp(z) (exp-net of Halverson–Maiti–Stoner, arXiv 2008.08601 §3): u + v is Gaussian
 * with variance q1 + q2 + 2c, so by the log-normal mean
 *
 *   E[e^u e^v] = exp((q1 + q2)/2 + c),   and φ' = φ gives the same for the derivative term.
 *
 * In the first layer (q = σ_b² + σ_w²|x|²/d_in, c = σ_b² + σ_w² x·x'/d_in) this is
 * K = σ_b² + σ_w² exp(2σ_b² + σ_w² |x + x'|² / (2 d_in)), the exp-net kernel of 2008.08601.
 *
 * @example
 * expDual.phiPhi(1, 1, 0); // e
 */
export const expDual: ActivationDual = {
  id: 'exp',
  method: 'closed-form',
  reference: 'log-normal moment; exp-net, Halverson-Maiti-Stoner arXiv 2008.08601',
  phiPhi: (q1, q2, c) => Math.exp(0.5 * (q1 + q2) + c),
  dphiDphi: (q1, q2, c) => Math.exp(0.5 * (q1 + q2) + c),
};

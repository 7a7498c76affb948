import type { ActivationDual } from '../types';

/**
 * Closed-form dual of erf (Williams 1997, "Computing with infinite networks"):
 *
 *   E[erf(u) erf(v)] = (2/π) arcsin( 2c / √((1 + 2 q1)(1 + 2 q2)) ).
 *
 * Derivative: erf'(z) = (2/√π) e^{−z²}, and for (u, v) ~ N(0, Σ), E[e^{−u²−v²}] = det(I + 2Σ)^{−1/2}, so
 *
 *   E[erf'(u) erf'(v)] = (4/π) / √((1 + 2 q1)(1 + 2 q2) − 4 c²).
 *
 * When to use: erf-net and deep erf MLPs (NNGP and NTK).
 *
 * @example
 * erfDual.phiPhi(1, 1, 1); // (2/π) asin(2/3)
 */
export const erfDual: ActivationDual = {
  id: 'erf',
  method: 'closed-form',
  reference: 'Williams 1997 arcsine kernel; derivative term det(I + 2Σ)^(-1/2)',
  phiPhi(q1, q2, c) {
    const a = (2 * c) / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2));
    return (2 / Math.PI) * Math.asin(Math.max(-1, Math.min(1, a)));
  },
  dphiDphi(q1, q2, c) {
    return 4 / Math.PI / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2) - 4 * c * c);
  },
};

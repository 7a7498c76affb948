import type { ActivationDual } from '../types';

/** cos θ of the 2×2 covariance, clamped to [-1, 1] against rounding; 0 when a variance is 0. */
function cosAngle(q1: number, q2: number, c: number): number {
  const s = Math.sqrt(q1 * q2);
  return s > 0 ? Math.max(-1, Math.min(1, c / s)) : 0;
}

/**
 * Closed-form dual of relu(z) = max(z, 0): the arc-cosine kernel of degree 1 and, for φ' = step, degree 0
 * (Cho & Saul 2009, "Kernel methods for deep learning": J_1 and J_0 of the arc-cosine kernels):
 *
 *   E[relu(u) relu(v)] = √(q1 q2) / (2π) · (sin θ + (π − θ) cos θ),   E[step(u) step(v)] = (π − θ) / (2π),
 *   θ = arccos(c / √(q1 q2)).
 *
 * When to use: relu-net, deep relu MLPs (NNGP and NTK). Check: θ = 0 gives q/2 and 1/2 (half the Gaussian mass
 * is positive); θ = π gives 0.
 *
 * @example
 * reluDual.phiPhi(1, 1, 0); // 1 / (2π)
 */
export const reluDual: ActivationDual = {
  id: 'relu',
  method: 'closed-form',
  reference: 'arc-cosine kernel, Cho & Saul 2009 arc-cosine kernels J_1 (and J_0 for the derivative)',
  phiPhi(q1, q2, c) {
    const s = Math.sqrt(q1 * q2);
    if (!(s > 0)) return 0;
    const ct = cosAngle(q1, q2, c);
    const t = Math.acos(ct);
    return (s / (2 * Math.PI)) * (Math.sqrt(Math.max(0, 1 - ct * ct)) + (Math.PI - t) * ct);
  },
  dphiDphi(q1, q2, c) {
    return (Math.PI - Math.acos(cosAngle(q1, q2, c))) / (2 * Math.PI);
  },
};

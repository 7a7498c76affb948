import type { ActivationDual } from '../types';

/** k(θ) = √(q1 q2)/(2π) (sin θ + (π − θ) cos θ): E[relu(u) relu(v)] at cos θ = c/√(q1 q2). */
function arcCos1(s: number, ct: number): number {
  const t = Math.acos(ct);
  return (s / (2 * Math.PI)) * (Math.sqrt(Math.max(0, 1 - ct * ct)) + (Math.PI - t) * ct);
}

/**
 * Closed-form dual of leaky relu φ(z) = z (z > 0), α z (z <= 0), from the arc-cosine kernel: φ(z) = r(z) − α r(−z)
 * with r = relu, and (−u, −v) has the covariance of (u, v) while (u, −v) has −c, so
 *
 *   E[φ(u)φ(v)]   = (1 + α²) k(θ) − 2α k(π − θ),          k(θ) = √(q1q2)/(2π) (sin θ + (π − θ) cos θ),
 *   E[φ'(u)φ'(v)] = (1 + α²)(π − θ)/(2π) + 2α θ/(2π),     θ = arccos(c/√(q1 q2)).
 *
 * Checks: α = 0 is relu; α = 1 gives c and 1 (identity); α = −1 gives E|u||v|.
 *
 * @example
 * leakyReluDual(1).phiPhi(2, 3, 0.5); // 0.5
 */
export function leakyReluDual(alpha: number): ActivationDual {
  const cos = (q1: number, q2: number, c: number) => {
    const s = Math.sqrt(q1 * q2);
    return s > 0 ? Math.max(-1, Math.min(1, c / s)) : 0;
  };
  return {
    id: 'leaky-relu',
    method: 'closed-form',
    reference: `arc-cosine kernel (Cho & Saul 2009) for r(z) - alpha r(-z), alpha = ${alpha}`,
    phiPhi(q1, q2, c) {
      const s = Math.sqrt(q1 * q2);
      if (!(s > 0)) return 0;
      const ct = cos(q1, q2, c);
      return (1 + alpha * alpha) * arcCos1(s, ct) - 2 * alpha * arcCos1(s, -ct);
    },
    dphiDphi(q1, q2, c) {
      const t = Math.acos(cos(q1, q2, c));
      return ((1 + alpha * alpha) * (Math.PI - t) + 2 * alpha * t) / (2 * Math.PI);
    },
  };
}

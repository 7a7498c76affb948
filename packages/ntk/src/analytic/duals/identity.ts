import type { ActivationDual } from '../types';

/**
 * Dual of the identity φ(z) = z (linear networks): E[u v] = c, E[φ'(u) φ'(v)] = 1.
 *
 * When to use: linear-net and deep linear MLPs; with depth L the NNGP is the affine map
 * K ↦ σ_b² + σ_w² K applied L + 1 times to x·x' / d_in.
 *
 * @example
 * identityDual.phiPhi(2, 3, 0.5); // 0.5
 */
export const identityDual: ActivationDual = {
  id: 'identity',
  method: 'closed-form',
  reference: 'E[uv] = c (Gaussian second moment)',
  phiPhi: (_q1, _q2, c) => c,
  dphiDphi: () => 1,
};

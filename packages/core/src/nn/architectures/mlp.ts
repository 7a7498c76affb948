import { mlpSchema } from '../config';
import { defineDenseArchitecture } from './define';

/**
 * `mlp`: L hidden layers of width N with any activation, h_0 = x, z_l = W_l h_l + b_l, h_{l+1} = φ(z_l),
 * f = W_L h_L + b_L, with W_l ~ N(0, σ_w²/fan_in), b_l ~ N(0, σ_b²) (or the NTK parameterisation).
 * Config: width, depth (L >= 1, default 2), dIn, dOut, sigmaW, sigmaB, parameterization, bias, activation.
 * Input-dependent activations (gauss) need depth 1.
 * Shapes: apply(params, x [P, d_in]) -> [M, P, d_out]; hidden layers use batched matMul [M, N, N] x [M, N, P].
 *
 * @example
 * const arch = createArchitecture('mlp', { depth: 3, width: 256, activation: 'erf', dIn: 4 });
 */
export const mlpArchitecture = defineDenseArchitecture(
  { id: 'mlp', description: 'deep MLP of depth L (--depth), any activation', reference: 'Lee et al. arXiv 1711.00165; Jacot et al. arXiv 1806.07572' },
  mlpSchema,
  { dense: { defaultDepth: 2 }, symmetry: { firstLayerLinear: true, lastLayerLinear: true, translationInvariantOrders: [] } },
);

declare module '../../registry/kinds' {
  interface ArchitectureMap {
    mlp: typeof mlpArchitecture;
  }
}

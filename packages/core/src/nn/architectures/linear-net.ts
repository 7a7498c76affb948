import { linearSchema } from '../config';
import { defineDenseArchitecture } from './define';

/**
 * `linear-net`: deep linear network, the `mlp` with φ = identity and L >= 0 hidden layers (L = 0: f = W x + b).
 * Its function f = W_L ... W_0 x + (bias terms) is linear in x, its parameter space has the GL(N) symmetry
 * W_l -> g W_l, W_{l+1} -> W_{l+1} g^{-1}. NNGP: K_{l+1} = σ_b² + σ_w² K_l, K_0 = σ_b² + σ_w² x·x'/d_in.
 * Shapes: apply(params, x [P, d_in]) -> [M, P, d_out].
 *
 * @example
 * const arch = createArchitecture('linear-net', { depth: 2, width: 32, dIn: 3, dOut: 2 });
 */
export const linearNetArchitecture = defineDenseArchitecture(
  { id: 'linear-net', description: 'deep linear network of depth L (--depth, 0 allowed)', reference: 'Saxe, McClelland, Ganguli arXiv 1312.6120' },
  linearSchema,
  { dense: { activation: 'identity', defaultDepth: 1 }, symmetry: { firstLayerLinear: true, lastLayerLinear: true, translationInvariantOrders: [] } },
);

declare module '../../registry/kinds' {
  interface ArchitectureMap {
    'linear-net': typeof linearNetArchitecture;
  }
}

import { fixedActivationSchema } from '../config';
import { defineDenseArchitecture, ONE_HIDDEN_LAYER_SYMMETRY } from './define';

/**
 * `tanh-net`: one hidden layer with tanh
 * f(x) = W1 φ(W0 x + b0) + b1 with φ = `tanh`, W0 ~ N(0, σ_w²/d_in), b0 ~ N(0, σ_b²), W1 ~ N(0, σ_w²/N),
 * b1 ~ N(0, σ_b²) (NN-QFT conventions, docs/conventions.md); `parameterization: 'ntk'` moves the scales into the
 * forward pass. No closed-form kernel (quadrature in @nnsym/ntk).
 *
 * Config: width (N, default 100), dIn, dOut (default 1), sigmaW, sigmaB (default 1), parameterization, bias.
 * Shapes: apply(params, x [P, d_in]) -> [M, P, d_out].
 *
 * @example
 * const arch = createArchitecture('tanh-net', { width: 1000, dIn: 2 });
 */
export const tanhNetArchitecture = defineDenseArchitecture(
  { id: 'tanh-net', description: 'one hidden layer with tanh', reference: 'Neal 1996' },
  fixedActivationSchema('tanh'),
  { dense: { activation: 'tanh', depth: 1 }, engines: { exact: true, reference: true, trained: true }, symmetry: ONE_HIDDEN_LAYER_SYMMETRY },
);

declare module '../../registry/kinds' {
  interface ArchitectureMap {
    'tanh-net': typeof tanhNetArchitecture;
  }
}

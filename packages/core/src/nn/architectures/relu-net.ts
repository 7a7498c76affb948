import { fixedActivationSchema } from '../config';
import { defineDenseArchitecture, ONE_HIDDEN_LAYER_SYMMETRY } from './define';

/**
 * `relu-net`: one hidden layer with ReLU
 * f(x) = W1 φ(W0 x + b0) + b1 with φ = `relu`, W0 ~ N(0, σ_w²/d_in), b0 ~ N(0, σ_b²), W1 ~ N(0, σ_w²/N),
 * b1 ~ N(0, σ_b²) (NN-QFT conventions, docs/conventions.md); `parameterization: 'ntk'` moves the scales into the
 * forward pass. GP kernel: the arc-cosine kernel of degree 1.
 *
 * Config: width (N, default 100), dIn, dOut (default 1), sigmaW, sigmaB (default 1), parameterization, bias.
 * Shapes: apply(params, x [P, d_in]) -> [M, P, d_out].
 *
 * @example
 * const arch = createArchitecture('relu-net', { width: 1000, dIn: 2 });
 */
export const reluNetArchitecture = defineDenseArchitecture(
  { id: 'relu-net', description: 'one hidden layer with ReLU', reference: 'Cho & Saul 2009' },
  fixedActivationSchema('relu'),
  { dense: { activation: 'relu', depth: 1 }, engines: { exact: true, reference: true, trained: true }, symmetry: ONE_HIDDEN_LAYER_SYMMETRY },
);

declare module '../../registry/kinds' {
  interface ArchitectureMap {
    'relu-net': typeof reluNetArchitecture;
  }
}

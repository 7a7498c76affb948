import { fixedActivationSchema } from '../config';
import { defineDenseArchitecture, ONE_HIDDEN_LAYER_SYMMETRY } from './define';

/**
 * `exp-net`: one hidden layer with exp(z) (Exp-net)
 * f(x) = W1 φ(W0 x + b0) + b1 with φ = `exp`, W0 ~ N(0, σ_w²/d_in), b0 ~ N(0, σ_b²), W1 ~ N(0, σ_w²/N),
 * b1 ~ N(0, σ_b²) (NN-QFT conventions, docs/conventions.md); `parameterization: 'ntk'` moves the scales into the
 * forward pass. GP kernel σ_b² + σ_w² exp(2σ_b² + σ_w²|x + x'|²/(2 d_in)).
 *
 * Config: width (N, default 100), dIn, dOut (default 1), sigmaW, sigmaB (default 1), parameterization, bias.
 * Shapes: apply(params, x [P, d_in]) -> [M, P, d_out].
 *
 * @example
 * const arch = createArchitecture('exp-net', { width: 1000, dIn: 2 });
 */
export const expNetArchitecture = defineDenseArchitecture(
  { id: 'exp-net', description: 'one hidden layer with exp(z) (Exp-net)', reference: 'Halverson, Maiti, Stoner arXiv 2008.08601 §2.3' },
  fixedActivationSchema('exp'),
  { dense: { activation: 'exp', depth: 1 }, engines: { exact: true, reference: true }, symmetry: ONE_HIDDEN_LAYER_SYMMETRY },
);

declare module '../../registry/kinds' {
  interface ArchitectureMap {
    'exp-net': typeof expNetArchitecture;
  }
}

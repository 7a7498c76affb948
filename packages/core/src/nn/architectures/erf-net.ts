import { fixedActivationSchema } from '../config';
import { defineDenseArchitecture, ONE_HIDDEN_LAYER_SYMMETRY } from './define';

/**
 * `erf-net`: one hidden layer with erf(z) (Erf-net)
 * f(x) = W1 φ(W0 x + b0) + b1 with φ = `erf`, W0 ~ N(0, σ_w²/d_in), b0 ~ N(0, σ_b²), W1 ~ N(0, σ_w²/N),
 * b1 ~ N(0, σ_b²) (NN-QFT conventions, docs/conventions.md); `parameterization: 'ntk'` moves the scales into the
 * forward pass. GP kernel: Williams' arcsine kernel.
 *
 * Config: width (N, default 100), dIn, dOut (default 1), sigmaW, sigmaB (default 1), parameterization, bias.
 * Shapes: apply(params, x [P, d_in]) -> [M, P, d_out].
 *
 * @example
 * const arch = createArchitecture('erf-net', { width: 1000, dIn: 2 });
 */
export const erfNetArchitecture = defineDenseArchitecture(
  { id: 'erf-net', description: 'one hidden layer with erf(z) (Erf-net)', reference: 'Williams 1997; Halverson, Maiti, Stoner arXiv 2008.08601' },
  fixedActivationSchema('erf'),
  { dense: { activation: 'erf', depth: 1 }, engines: { exact: true, reference: true }, symmetry: ONE_HIDDEN_LAYER_SYMMETRY },
);

declare module '../../registry/kinds' {
  interface ArchitectureMap {
    'erf-net': typeof erfNetArchitecture;
  }
}

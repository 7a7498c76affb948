import { shallowSchema } from '../config';
import { defineDenseArchitecture, ONE_HIDDEN_LAYER_SYMMETRY } from './define';

/**
 * `shallow`: one hidden layer with any registered activation, f(x) = W1 φ(W0 x + b0) + b1 in NN-QFT conventions
 * (docs/conventions.md). Config: as the fixed families plus `activation` (default relu) and `activationConfig`
 * (e.g. `{ alpha: 0.1 }` for leaky-relu, `{ degree: 3 }` for power).
 * Shapes: apply(params, x [P, d_in]) -> [M, P, d_out].
 *
 * @example
 * const arch = createArchitecture('shallow', { activation: 'power', activationConfig: { degree: 3 }, width: 50 });
 */
export const shallowArchitecture = defineDenseArchitecture(
  { id: 'shallow', description: 'one hidden layer, any registered activation (--activation)', reference: 'Neal 1996; Halverson, Maiti, Stoner arXiv 2008.08601' },
  shallowSchema,
  { dense: { depth: 1 }, engines: { exact: true }, symmetry: ONE_HIDDEN_LAYER_SYMMETRY },
);

declare module '../../registry/kinds' {
  interface ArchitectureMap {
    shallow: typeof shallowArchitecture;
  }
}

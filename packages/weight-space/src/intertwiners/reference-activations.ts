import { erf } from '@nnsym/core';
import type { HandDerivedActivation } from './hand-derived';
import type { ScalarFn } from '@nnsym/numerics';

// Float64 scalar forms of the eight hand-derived activations: references for tests, and the CLI's fallback for
// the two that are usually not registered (exp(-x^2) and x^d). gelu and erf use core's float64 erf.

/**
 * The float64 scalar form of a hand-derived activation (`power` takes its degree; leaky-relu has slope 0.01).
 *
 * @example
 * discoverIntertwiners(referenceActivation('gaussian')).phi.kind; // 'abs'
 */
export function referenceActivation(name: HandDerivedActivation, degree = 2): ScalarFn {
  switch (name) {
    case 'identity':
      return (z) => z;
    case 'relu':
      return (z) => (z > 0 ? z : 0);
    case 'leaky-relu':
      return (z) => (z > 0 ? z : 0.01 * z);
    case 'gelu':
      return (z) => 0.5 * z * (1 + erf(z / Math.SQRT2));
    case 'sigmoid':
      return (z) => 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh;
    case 'power':
      return (z) => z ** degree;
    case 'gaussian':
      return (z) => Math.exp(-z * z);
    case 'erf':
      return erf;
    case 'exp':
      return Math.exp;
  }
}

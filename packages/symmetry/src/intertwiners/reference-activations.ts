import type { HandDerivedActivation } from './hand-derived';
import type { ScalarFn } from './types';

// Float64 scalar forms of the eight hand-derived activations: references for tests, and the CLI's fallback for
// the two that are usually not registered (exp(-x^2) and x^d). gelu uses the float64 erf below.

/** erf in float64: Taylor series for |x| < 2.5, Lentz continued fraction for erfc beyond (both ~1e-15). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf x = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc x = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + ...))))), modified Lentz.
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = ax + a * d;
    d = d === 0 ? tiny : d;
    c = ax + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

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

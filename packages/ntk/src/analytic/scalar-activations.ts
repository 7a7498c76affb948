import { erf, normalCdf } from '@nnsym/core';
import type { ScalarActivation } from './types';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Float64 scalar forms of common activations, with exact derivatives and kink locations, used by the
 * quadrature duals when no closed form exists and when an activation plugin is not registered in core.
 * Ids follow the activation registry (`relu`, `erf`, `tanh`, `gelu`, `sigmoid`, `softplus`, `silu`, `sin`,
 * `cos`, `identity`, `exp`).
 *
 * @example
 * BUILTIN_SCALAR_ACTIVATIONS.tanh.derivative!(0); // 1
 */
export const BUILTIN_SCALAR_ACTIVATIONS: Readonly<Record<string, ScalarActivation>> = {
  relu: { id: 'relu', scalar: (z) => (z > 0 ? z : 0), derivative: (z) => (z > 0 ? 1 : 0), breakpoints: [0] },
  erf: { id: 'erf', scalar: erf, derivative: (z) => (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) },
  identity: { id: 'identity', scalar: (z) => z, derivative: () => 1 },
  exp: { id: 'exp', scalar: Math.exp, derivative: Math.exp },
  tanh: { id: 'tanh', scalar: Math.tanh, derivative: (z) => 1 - Math.tanh(z) ** 2 },
  sigmoid: { id: 'sigmoid', scalar: sigmoid, derivative: (z) => sigmoid(z) * (1 - sigmoid(z)) },
  // gelu(z) = z Φ(z) (exact form, Hendrycks & Gimpel 2016); gelu'(z) = Φ(z) + z N(z).
  gelu: { id: 'gelu', scalar: (z) => z * normalCdf(z), derivative: (z) => normalCdf(z) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z) },
  softplus: { id: 'softplus', scalar: (z) => (z > 30 ? z : Math.log1p(Math.exp(z))), derivative: sigmoid },
  silu: { id: 'silu', scalar: (z) => z * sigmoid(z), derivative: (z) => sigmoid(z) * (1 + z * (1 - sigmoid(z))) },
  sin: { id: 'sin', scalar: Math.sin, derivative: Math.cos },
  cos: { id: 'cos', scalar: Math.cos, derivative: (z) => -Math.sin(z) },
};

/** Aliases accepted for activation ids. */
export const ACTIVATION_ALIASES: Readonly<Record<string, string>> = { linear: 'identity', id: 'identity', swish: 'silu', gauss: 'gauss' };

import { plugins } from '@nnsym/core';

/**
 * How an architecture transports parameter-space invariances to function space (the "duality" step of
 * 2106.00694). An architecture plugin may declare it as a `symmetry` field on the plugin object; the built-in
 * single-hidden-layer families of the NN-QFT conventions are listed here.
 */
export interface ArchitectureSymmetry {
  /** x enters only through W0 x (and, for gauss-net, through |x|): f(ρx; W0) = f(x; W0 ρ) for orthogonal ρ. */
  firstLayerLinear: boolean;
  /** f = W_L h + b_L: ρ f is the same network with (ρ W_L, ρ b_L). */
  lastLayerLinear: boolean;
  /** Correlator orders that are translation invariant at every width, with zero-mean normal W0 and last layer. */
  translationInvariantOrders?: number[];
}

const ONE_HIDDEN_LAYER: ArchitectureSymmetry = { firstLayerLinear: true, lastLayerLinear: true, translationInvariantOrders: [] };

/**
 * Built-in declarations. gauss-net: φ(z) = exp(z)/exp(sb² + sw²|x|²/d_in), so E[φ(x)φ(x')] = exp(−sw²|x − x'|²/(2 d_in))
 * (Gaussian integrals over w and b) and the exact finite-width G2 = sb² + sw² E[φφ] depends on x − x' only; its
 * single-neuron 4-pt moment exp(4 sb² + sw²(|Σx_i|² − 2Σ|x_i|²)/(2 d_in)) does not, so orders ≥ 4 are invariant
 * only as N -> ∞.
 */
const BUILTIN: Record<string, ArchitectureSymmetry> = {
  'gauss-net': { ...ONE_HIDDEN_LAYER, translationInvariantOrders: [2] },
  'exp-net': ONE_HIDDEN_LAYER,
  'erf-net': ONE_HIDDEN_LAYER,
  'relu-net': ONE_HIDDEN_LAYER,
  'tanh-net': ONE_HIDDEN_LAYER,
  shallow: ONE_HIDDEN_LAYER,
  mlp: { firstLayerLinear: true, lastLayerLinear: true, translationInvariantOrders: [] },
  'linear-net': { firstLayerLinear: true, lastLayerLinear: true, translationInvariantOrders: [] },
};

/** The symmetry transport an architecture declares (its plugin's `symmetry` field, else the built-in table). */
export function architectureSymmetry(arch: string): ArchitectureSymmetry | undefined {
  const reg = plugins.kind('architecture');
  if (reg.has(arch)) {
    const declared = (reg.get(arch) as { symmetry?: ArchitectureSymmetry }).symmetry;
    if (declared) return declared;
  }
  return BUILTIN[arch];
}

import type { Parameterization } from '@nnsym/core';

/**
 * Types of the analytic kernel area. Conventions (docs/conventions.md, NN-QFT, Halverson–Maiti–Stoner
 * arXiv 2008.08601): an MLP with L hidden layers of widths N_1..N_L maps x ∈ R^{d_in} to f(x) ∈ R^{d_out};
 * pre-activations z^1 = W^0 x + b^0, z^{l+1} = W^l φ(z^l) + b^l, f = z^{L+1}.
 * - standard parameterisation: W^l ~ N(0, σ_w² / fan_in), b^l ~ N(0, σ_b²);
 * - NTK parameterisation: W, b ~ N(0, 1), the forward pass uses σ_w / √fan_in · W and σ_b · b (neural-tangents).
 * The NNGP kernel is the same in both; the NTK differs (see {@link mlpKernels}).
 */

// Which parameterisation the NTK refers to: core's `Parameterization` ('standard' | 'ntk').
export type { Parameterization };

/**
 * The "dual" of an activation: the two Gaussian expectations the NNGP / NTK recursions need, for
 * (u, v) ~ N(0, [[q1, c], [c, q2]]):
 * - `phiPhi`   = E[φ(u) φ(v)]  (NNGP step: K' = σ_b² + σ_w² E[φφ]),
 * - `dphiDphi` = E[φ'(u) φ'(v)] (NTK step: Θ' = K' + σ_w² E[φ'φ'] Θ in NTK parameterisation).
 * With q1 = q2 = c they give the diagonal E[φ(u)²], E[φ'(u)²].
 */
export interface ActivationDual {
  /** Activation id (`relu`, `erf`, `identity`, `exp`, `gauss`, or any scalar activation's id). */
  readonly id: string;
  /** `closed-form` or `quadrature` (2-D Gaussian quadrature of the scalar form). */
  readonly method: 'closed-form' | 'quadrature';
  /** Paper / equation of the closed form, or the quadrature rule. */
  readonly reference: string;
  /** E[φ(u) φ(v)]. */
  phiPhi(q1: number, q2: number, c: number): number;
  /** E[φ'(u) φ'(v)]. */
  dphiDphi(q1: number, q2: number, c: number): number;
  /** Deepest network (hidden layers) the dual is valid for; undefined = any. gauss-net's normalisation: 1. */
  readonly maxDepth?: number;
}

/**
 * A scalar activation for quadrature: φ on numbers, optionally φ' and the points where φ or φ' kinks or jumps
 * (these make the quadrature split its panels there; without them a kinked φ converges slowly).
 */
export interface ScalarActivation {
  readonly id: string;
  scalar(z: number): number;
  /** φ'(z). When missing, a central difference (h = 1e-5 · max(1, |z|)) is used, accurate to ~1e-10. */
  derivative?(z: number): number;
  /** Kinks / jumps of φ (relu: [0]). */
  readonly breakpoints?: readonly number[];
  /** Kinks / jumps of φ' (relu: [0]); defaults to `breakpoints`. */
  readonly derivativeBreakpoints?: readonly number[];
}

/** Everything the MLP kernel recursion needs. */
export interface MlpKernelSpec {
  /** Activation id with a built-in dual, a scalar activation (quadrature), or a dual. */
  activation: string | ScalarActivation | ActivationDual;
  /** Number of hidden layers L >= 0 (0: the linear model f = W x + b). */
  depth: number;
  /** σ_w (default 1). */
  sigmaW?: number;
  /** σ_b (default 1). Ignored when `bias` is false. */
  sigmaB?: number;
  /** Whether layers have biases (default true). */
  bias?: boolean;
  /** Parameterisation of the NTK (default `standard`, the NN-QFT convention). */
  parameterization?: Parameterization;
  /**
   * Hidden widths (one number for all layers). Only the standard-parameterisation NTK depends on them: its
   * weight-gradient terms grow like N (Sohl-Dickstein et al. 2020, arXiv 2001.07301, with s = 1). The NNGP
   * and the NTK-parameterisation NTK are the N -> ∞ limits and do not use it.
   */
  width?: number | readonly number[];
  /** Number of outputs (default 1). Kernels are δ_ab K at zero-mean weights. */
  dOut?: number;
  /** Quadrature options for activations without a closed form. */
  quadrature?: { rule?: 'series' | 'panels' | 'hermite'; order?: number; panelOrder?: number };
}

/** Inputs: rows of numbers, or a row-major Float64Array with its shape. */
export type KernelInputs = readonly (readonly number[])[] | { data: Float64Array | Float32Array | readonly number[]; rows: number; cols: number };

/** Result of an analytic kernel computation. Matrices are P×P, row-major, float64. */
export interface AnalyticKernels {
  /** Number of inputs P. */
  P: number;
  /** Input dimension d_in. */
  dIn: number;
  /** Number of outputs; the full kernels are K_ab = δ_ab K, Θ_ab = δ_ab Θ. */
  dOut: number;
  /** NNGP kernel K(x_i, x_j), row-major P×P. */
  nngp: Float64Array;
  /** NTK Θ(x_i, x_j), row-major P×P; `undefined` when it could not be computed (see `notes`). */
  ntk?: Float64Array;
  /** `closed-form` or `quadrature`. */
  method: 'closed-form' | 'quadrature';
  /** Activation and its dual's reference. */
  activation: string;
  reference: string;
  depth: number;
  parameterization: Parameterization;
  sigmaW: number;
  sigmaB: number;
  bias: boolean;
  width?: number[];
  /** Always `float64` (host arithmetic; quadrature error stated in `notes` where it applies). */
  precision: 'float64';
  /** Human-readable caveats (e.g. why the NTK is missing). */
  notes: string[];
}

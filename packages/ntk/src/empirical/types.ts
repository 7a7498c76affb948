import type { Tensor, Tensor2D, Tensor3D } from '@nnsym/core';

/** Parameters of an ensemble: name -> tensor with a leading ensemble axis M (core's `ParamSet`). */
export type NtkParamSet = Record<string, Tensor>;

/**
 * What the empirical NTK needs from an architecture (core's `Architecture` satisfies it): a pure forward pass of
 * an ensemble, params [M, ...] and inputs [P, d_in] -> outputs [M, P, d_out], differentiable by tfjs.
 */
export interface NtkArchitecture {
  readonly id?: string;
  apply(params: NtkParamSet, x: Tensor2D): Tensor3D;
}

/**
 * Output modes (neural-tangents' `trace_axes` / `diagonal_axes`, over the output axis):
 * - `full`: Θ_{(i,a),(j,b)}, a [P·d_out, P·d_out] matrix, row index i·d_out + a;
 * - `trace`: the normalised output trace (1/d_out) Σ_a Θ_{(i,a),(j,a)}, [P, P] — comparable with the analytic
 *   per-output Θ, since Θ_ab -> δ_ab Θ at infinite width;
 * - `diagonal`: (1/d_out) Σ_a Θ_{(i,a),(i,a)}, [P] (no cross-input products: cheapest).
 */
export type NtkOutputMode = 'full' | 'trace' | 'diagonal';

/** Options of the empirical NTK. */
export interface EmpiricalNtkOptions {
  /** Output mode (default `trace`). */
  mode?: NtkOutputMode;
  /** Inputs per Jacobian block; default chosen from `maxBytes`. */
  batchSize?: number;
  /** Memory bound for the Jacobian blocks on the device, in bytes (default 256 MiB). */
  maxBytes?: number;
}

/** Ensemble statistics of an empirical NTK: float64 mean and standard error of the mean over M networks. */
export interface EmpiricalNtkResult {
  mode: NtkOutputMode;
  /** Number of inputs P and outputs d_out. */
  P: number;
  dOut: number;
  /** Side of the (square) result: P·d_out (full), P (trace); for `diagonal` the length P. */
  size: number;
  /** Ensemble mean, row-major (size×size, or size for `diagonal`). */
  mean: Float64Array;
  /** Standard error of the mean (NaN when M < 2). */
  stderr: Float64Array;
  /** Networks averaged. */
  M: number;
  /** Number of parameters per network. */
  paramCount: number;
  /** Inputs per Jacobian block used. */
  batchSize: number;
  /** `float32 Jacobians and Gram products (tfjs <backend>), float64 ensemble accumulation`. */
  precision: string;
}

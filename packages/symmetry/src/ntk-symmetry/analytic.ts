import { Rng, UsageError, type SeedKey } from '@nnsym/core';
import { analyticKernel, type AnalyticKernelOptions } from '@nnsym/ntk';
import type { GroupAction } from '@nnsym/groups';
import { groupGeometry, predictNtkInvariance, type NtkInvariancePrediction } from './predict';

/** Options of {@link analyticNtkInvariance}. */
export interface AnalyticNtkInvarianceOptions {
  /** Analytic family id (`relu-net`, `erf-net`, `mlp`, `gauss-net`, ...), as for `analyticKernel`. */
  arch: string;
  /** Kernel options (activation, depth, σ_w, σ_b, parameterisation [ntk], width, ...). */
  kernel?: AnalyticKernelOptions;
  group: GroupAction;
  /** Base inputs x_1..x_P (rows of length d_in = group.dimension). */
  inputs: readonly (readonly number[])[];
  /** Sampled group elements (default 8). */
  samples?: number;
  /** Relative deviation below which the kernel counts as invariant (default 1e-8: float64 closed forms). */
  tolerance?: number;
  seed?: SeedKey;
}

/** Deterministic measurement for one kernel (NTK or NNGP). */
export interface KernelInvarianceMeasurement {
  /** max_{g,i,j} |k(g·x_i, g·x_j) − k(x_i, x_j)| / max_{i,j} |k(x_i, x_j)|. */
  relDeviation: number;
  /** The same maximum, unnormalised. */
  maxAbsDeviation: number;
  /** Per sampled element, the relative maximum. */
  perElement: number[];
  measured: 'invariant' | 'broken';
  prediction: NtkInvariancePrediction;
  /** Measured verdict equals the predicted one. */
  agrees: boolean;
}

/** Result of {@link analyticNtkInvariance}. */
export interface AnalyticNtkInvarianceResult {
  arch: string;
  group: string;
  groupId: string;
  samples: number;
  tolerance: number;
  ntk: KernelInvarianceMeasurement;
  nngp: KernelInvarianceMeasurement;
  precision: 'float64';
}

function measure(base: Float64Array, moved: Float64Array[], tol: number, prediction: NtkInvariancePrediction): KernelInvarianceMeasurement {
  let scale = 0;
  for (const v of base) scale = Math.max(scale, Math.abs(v));
  let maxAbs = 0;
  const perElement = moved.map((k) => {
    let m = 0;
    for (let i = 0; i < k.length; i++) m = Math.max(m, Math.abs(k[i] - base[i]));
    maxAbs = Math.max(maxAbs, m);
    return scale > 0 ? m / scale : m;
  });
  const rel = scale > 0 ? maxAbs / scale : maxAbs;
  const measured = rel <= tol ? 'invariant' : 'broken';
  return { relDeviation: rel, maxAbsDeviation: maxAbs, perElement, measured, prediction, agrees: measured === prediction.predicted };
}

/**
 * Deterministic invariance check of the analytic (infinite-width) NTK and NNGP under a group acting on inputs:
 * Θ(g·x, g·x') against Θ(x, x') for sampled g, in float64, with the verdict predicted from the kernel's form
 * ({@link predictNtkInvariance}) next to the measured one. No Monte-Carlo error: the tolerance only absorbs
 * rounding (and quadrature error for activations without a closed form: pass `tolerance` ~1e-6 then).
 *
 * When to use: `nnsym ntk-symmetry --mode analytic`; the infinite-width counterpart of the ensemble test
 * {@link empiricalNtkInvariance}. Paper: the symmetry-via-duality argument of Maiti-Halverson-Stoner,
 * arXiv 2106.00694 Sec. 3, applied to the kernel (Jacot et al. 2018, arXiv 1806.07572).
 *
 * Shapes: inputs [P, d_in]; kernels [P, P] per element.
 *
 * @example
 * const r = analyticNtkInvariance({ arch: 'relu-net', group: createGroupAction('so', { n: 3 }), inputs: [[1, 0, 0], [0.3, 1, -2]] });
 * r.ntk.measured; // 'invariant' (relDeviation ~1e-16)
 */
export function analyticNtkInvariance(opts: AnalyticNtkInvarianceOptions): AnalyticNtkInvarianceResult {
  const { group, inputs, arch } = opts;
  if (inputs.length === 0) throw new UsageError('--inputs: at least one input point is needed', '--inputs');
  const dIn = inputs[0].length;
  if (group.dimension !== dIn) throw new UsageError(`--group: ${group.name} acts on R^${group.dimension} but the inputs have dimension ${dIn}`, '--group');
  if (!group.actsOn.includes('inputs')) throw new UsageError(`--group: ${group.name} does not act on inputs`, '--group');
  const samples = opts.samples ?? 8;
  const tol = opts.tolerance ?? 1e-8;
  const rng = new Rng(opts.seed ?? 0, ['ntk-symmetry-analytic', group.id]);
  // NTK parameterisation by default: its NTK is the width-independent limit (the standard one needs a width).
  const kopts: AnalyticKernelOptions = { dIn, parameterization: 'ntk', ...opts.kernel, ntk: true };
  const base = analyticKernel(arch, inputs, kopts);
  if (!base.ntk) throw new UsageError(`--arch ${arch}: the analytic NTK is not available (${base.notes.join('; ')})`, '--arch');
  const movedNtk: Float64Array[] = [];
  const movedNngp: Float64Array[] = [];
  for (let s = 0; s < samples; s++) {
    const g = group.sample(rng);
    const gx = inputs.map((x) => Array.from(group.act(g, Float64Array.from(x))));
    const k = analyticKernel(arch, gx, kopts);
    if (!k.ntk) throw new UsageError(`--arch ${arch}: the analytic NTK is not available at the transformed inputs`, '--arch');
    movedNtk.push(k.ntk);
    movedNngp.push(k.nngp);
  }
  const geometry = groupGeometry(group);
  const act = typeof opts.kernel?.activation === 'string' ? opts.kernel.activation : undefined;
  return {
    arch,
    group: group.name,
    groupId: group.id,
    samples,
    tolerance: tol,
    ntk: measure(base.ntk, movedNtk, tol, predictNtkInvariance(arch, 'ntk', group, geometry, act)),
    nngp: measure(base.nngp, movedNngp, tol, predictNtkInvariance(arch, 'nngp', group, geometry, act)),
    precision: 'float64',
  };
}

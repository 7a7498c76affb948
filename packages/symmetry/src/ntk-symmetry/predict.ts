import { architecturePlugin, Rng } from '@nnsym/core';
import type { GroupAction } from '@nnsym/groups';

/**
 * Which input invariants a kernel k(x, x') is a function of, read off its closed form:
 * - `dot`: x·x', |x|², |x'|² (every MLP with i.i.d. zero-mean Gaussian weights: the NNGP/NTK recursions only see
 *   the 2×2 Gram matrix of the inputs, Neal 1996, Lee et al. 2018 eq. 4, Jacot et al. 2018 Thm. 1);
 * - `distance`: |x − x'| only (gauss-net NNGP, σ_b² + σ_w² exp(−σ_w²|x−x'|²/(2 d_in)), NN-QFT 2008.08601 eq. 2.18);
 * - `dot+distance`: both (gauss-net NTK: its first-layer term σ_w² x·x'/d_in E[φ'φ'] keeps x·x').
 */
export type KernelForm = 'dot' | 'distance' | 'dot+distance';

/** What a group preserves, measured on generic random vectors (float64, exact up to rounding). */
export interface GroupGeometry {
  /** (g·x)·(g·x') = x·x' (and so |g·x| = |x|): linear orthogonal actions. */
  preservesDot: boolean;
  /** |g·x − g·x'| = |x − x'|: isometries (orthogonal maps and translations). */
  preservesDistance: boolean;
}

/** The predicted verdict with its reason. */
export interface NtkInvariancePrediction {
  kernel: 'ntk' | 'nngp';
  form: KernelForm;
  geometry: GroupGeometry;
  predicted: 'invariant' | 'broken';
  reason: string;
}

/**
 * Kernel forms of the analytic families (see {@link KernelForm}): a net with the `gauss` activation (the Gauss-net
 * family, whose plugin declares it, or `gauss` given explicitly; its dual is valid for one hidden layer) is
 * `distance` / `dot+distance`; every other family is `dot`.
 */
export function kernelForm(arch: string, kernel: 'ntk' | 'nngp', activation?: string): KernelForm {
  if (activation === 'gauss' || architecturePlugin(arch)?.capabilities?.dense?.activation === 'gauss') return kernel === 'nngp' ? 'distance' : 'dot+distance';
  return 'dot';
}

/**
 * Measure what a group action preserves: for `trials` sampled g and random Gaussian x, x' in R^n, compare
 * (g·x)·(g·x') with x·x' and |g·x − g·x'| with |x − x'| (relative tolerance 1e-9, float64).
 *
 * @example
 * groupGeometry(createGroupAction('translations', { n: 3 })); // { preservesDot: false, preservesDistance: true }
 */
export function groupGeometry(group: GroupAction, seed = 0, trials = 8): GroupGeometry {
  const rng = new Rng(seed, ['ntk-symmetry-geometry', group.id]);
  const n = group.dimension;
  let dot = true;
  let dist = true;
  for (let t = 0; t < trials; t++) {
    const g = group.sample(rng);
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from({ length: n }, () => rng.normal());
    const gx = group.act(g, x);
    const gy = group.act(g, y);
    let d0 = 0, d1 = 0, e0 = 0, e1 = 0, s = 0;
    for (let i = 0; i < n; i++) {
      d0 += x[i] * y[i];
      d1 += gx[i] * gy[i];
      e0 += (x[i] - y[i]) ** 2;
      e1 += (gx[i] - gy[i]) ** 2;
      s += x[i] * x[i] + y[i] * y[i];
    }
    if (Math.abs(d1 - d0) > 1e-9 * s) dot = false;
    if (Math.abs(e1 - e0) > 1e-9 * s) dist = false;
  }
  return { preservesDot: dot, preservesDistance: dist };
}

/**
 * Predict whether an analytic kernel is invariant, Θ(g·x, g·x') = Θ(x, x'), from its form alone: it is invariant
 * when the group preserves every input invariant the kernel depends on, and (generically) broken otherwise.
 * E.g. the relu/erf NTK (form `dot`) is O(d)-invariant, hence under SO(d), S_d, sign flips, but not under
 * translations; the gauss-net NNGP (form `distance`) is translation invariant while its NTK is not.
 *
 * When to use: before measuring with {@link analyticNtkInvariance}, which reports prediction and measurement side
 * by side.
 *
 * @example
 * predictNtkInvariance('relu-net', 'ntk', createGroupAction('translations', { n: 3 })).predicted; // 'broken'
 */
export function predictNtkInvariance(arch: string, kernel: 'ntk' | 'nngp', group: GroupAction, geometry = groupGeometry(group), activation?: string): NtkInvariancePrediction {
  const form = kernelForm(arch, kernel, activation);
  const needs: string[] = [];
  if (form !== 'distance' && !geometry.preservesDot) needs.push('x·x\' (and |x|)');
  if (form !== 'dot' && !geometry.preservesDistance) needs.push('|x − x\'|');
  const predicted = needs.length === 0 ? 'invariant' : 'broken';
  const depends = form === 'dot' ? 'x·x\', |x|, |x\'|' : form === 'distance' ? '|x − x\'|' : 'x·x\', |x|, |x\'| and |x − x\'|';
  const reason =
    predicted === 'invariant'
      ? `${arch} ${kernel.toUpperCase()} depends only on ${depends}, which ${group.name} preserves`
      : `${arch} ${kernel.toUpperCase()} depends on ${depends}; ${group.name} changes ${needs.join(' and ')}`;
  return { kernel, form, geometry, predicted, reason };
}

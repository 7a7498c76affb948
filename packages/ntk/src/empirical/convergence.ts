/**
 * Convergence of the empirical NTK to the analytic one with width (Jacot et al. 2018: Θ_N -> Θ_∞ as N -> ∞;
 * fluctuations O(1/√N), Hanin & Nica 2019, arXiv 1909.05989).
 *
 * Per width N and network θ the relative deviation is r(θ) = ‖Θ_N(θ) − Θ_∞‖_F / ‖Θ_∞‖_F over the P×P (trace-mode)
 * kernel. Reported per width: the ensemble mean of r with its standard error, √N · mean r (flat if r ∝ 1/√N), and
 * the relative bias ‖E Θ_N − Θ_∞‖_F / ‖Θ_∞‖_F. Fits: r = c / √N (weighted least squares) and a free power law
 * log r = log a + s log N (slope s, expected −1/2, with its standard error).
 */

import { logLogSlope } from '@nnsym/numerics';

/** One width of a convergence study. */
export interface ConvergenceRow {
  width: number;
  networks: number;
  meanRelDev: number;
  stderrRelDev: number;
  /** √N · meanRelDev. */
  scaledDev: number;
  /** ‖ensemble mean − analytic‖_F / ‖analytic‖_F. */
  relBias: number;
}

/** Result of {@link ntkConvergence}. */
export interface ConvergenceReport {
  rows: ConvergenceRow[];
  /** r ≈ c / √N: c and its standard error. */
  fitInvSqrt: { c: number; stderr: number };
  /** log r = log a + slope · log N: slope (expected −0.5) and its standard error. */
  powerLaw: { slope: number; stderr: number; a: number };
  precision: string;
}

/**
 * Run a width sweep. `compute(width, onMember)` must compute the empirical (trace-mode, row-major P×P) NTK of an
 * ensemble at that width and call `onMember` once per network; `analytic` is Θ_∞ (row-major P×P), or a function of
 * the width for the standard parameterisation, whose NTK scales with N.
 *
 * @example
 * const rep = ntkConvergence({ widths: [16, 64, 256], analytic: ana.ntk, compute: (N, on) => { mlpStructuredNtk(makeNet(N), x, { onMember: on }); } });
 * rep.powerLaw.slope; // ≈ -0.5
 */
export function ntkConvergence(o: { widths: readonly number[]; analytic: Float64Array | ((width: number) => Float64Array); compute: (width: number, onMember: (k: Float64Array) => void) => void; precision?: string }): ConvergenceReport {
  const rows: ConvergenceRow[] = [];
  for (const N of o.widths) {
    // The standard-parameterisation NTK depends on the width: pass a function of N then.
    const ref = typeof o.analytic === 'function' ? o.analytic(N) : o.analytic;
    const norm = Math.hypot(...ref);
    const devs: number[] = [];
    const sum = new Float64Array(ref.length);
    o.compute(N, (k) => {
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        s += (k[i] - ref[i]) ** 2;
        sum[i] += k[i];
      }
      devs.push(Math.sqrt(s) / norm);
    });
    const M = devs.length;
    const mean = devs.reduce((a, b) => a + b, 0) / M;
    const sd = M > 1 ? Math.sqrt(devs.reduce((a, b) => a + (b - mean) ** 2, 0) / (M - 1)) : NaN;
    let bias = 0;
    for (let i = 0; i < sum.length; i++) bias += (sum[i] / M - ref[i]) ** 2;
    rows.push({ width: N, networks: M, meanRelDev: mean, stderrRelDev: sd / Math.sqrt(M), scaledDev: mean * Math.sqrt(N), relBias: Math.sqrt(bias) / norm });
  }
  return convergenceReport(rows, o.precision);
}

/**
 * The report of a width sweep from its rows (in width order): the fits r = c/√N and the free power law. A sweep
 * run in pieces (one width each, `nnsym ntk --widths ... --shard i/n`) is summarised by this from the merged rows,
 * exactly as {@link ntkConvergence} summarises one run.
 *
 * @example convergenceReport([...rowsOfShard0, ...rowsOfShard1].sort((a, b) => a.width - b.width)).powerLaw.slope
 */
export function convergenceReport(rows: readonly ConvergenceRow[], precision?: string): ConvergenceReport {
  const rs = [...rows];
  return { rows: rs, fitInvSqrt: fitInvSqrt(rs), powerLaw: fitPowerLaw(rs), precision: precision ?? 'float64 deviations of float32 kernels' };
}

/** Weighted least squares of r = c · N^{-1/2} with weights 1/se². */
function fitInvSqrt(rows: ConvergenceRow[]): { c: number; stderr: number } {
  let sxy = 0;
  let sxx = 0;
  for (const r of rows) {
    const x = 1 / Math.sqrt(r.width);
    const w = r.stderrRelDev > 0 ? 1 / r.stderrRelDev ** 2 : 1;
    sxy += w * x * r.meanRelDev;
    sxx += w * x * x;
  }
  return { c: sxy / sxx, stderr: Math.sqrt(1 / sxx) };
}

/**
 * Free power law log r = log a + slope · log N: the shared weighted log-log fit (weights (r/se)², the delta-method
 * variance of log r; rows without a positive standard error are dropped when others have one).
 */
function fitPowerLaw(rows: ConvergenceRow[]): { slope: number; stderr: number; a: number } {
  const fit = logLogSlope(
    rows.map((r) => r.width),
    rows.map((r) => r.meanRelDev),
    rows.map((r) => r.stderrRelDev),
  );
  return { slope: fit.slope, stderr: fit.slopeStderr, a: Math.pow(10, fit.intercept) };
}

/** How far an ensemble-mean kernel is from a reference, in absolute and in standard-error units. */
export interface KernelDeviation {
  /** ‖mean − ref‖_F / ‖ref‖_F. */
  relFrobenius: number;
  /** max_ij |mean − ref| / se. */
  maxAbsZ: number;
  /** Fraction of entries with |mean − ref| < 2 se (≈ 0.95 when they agree). */
  fractionWithin2SE: number;
}

/**
 * Compare an ensemble-mean kernel (with standard errors) with a reference (e.g. the analytic NTK).
 *
 * @example
 * kernelDeviation(r.mean, r.stderr, analytic.ntk).maxAbsZ; // < 4 when they agree
 */
export function kernelDeviation(mean: ArrayLike<number>, stderr: ArrayLike<number>, ref: ArrayLike<number>): KernelDeviation {
  let num = 0;
  let den = 0;
  let maxZ = 0;
  let within = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = mean[i] - ref[i];
    num += d * d;
    den += ref[i] * ref[i];
    // A zero standard error (an entry that is the same for every network, e.g. relu at antipodal inputs) counts as
    // agreement only when the difference is at float32 rounding level.
    const z = stderr[i] > 0 ? Math.abs(d) / stderr[i] : Math.abs(d) <= 1e-6 * Math.max(1, Math.abs(ref[i])) ? 0 : Infinity;
    if (!(z <= maxZ)) maxZ = z;
    if (z < 2) within++;
  }
  return { relFrobenius: Math.sqrt(num / den), maxAbsZ: maxZ, fractionWithin2SE: within / ref.length };
}

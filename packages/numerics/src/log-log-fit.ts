/**
 * Weighted least-squares power-law fit y ≈ A · N^s on log-log axes: the one implementation shared by ntk
 * (`ntkConvergence`'s free power law), correlators (width sweeps) and symmetry (NTK drift vs width).
 */

/** Result of {@link logLogSlope}. */
export interface LogLogFit {
  /** Exponent s of y ∝ N^s (dimensionless; the same in any log base). */
  slope: number;
  /** Standard error of the slope from the input errors (not rescaled by χ²); 0 when the fit is unweighted. */
  slopeStderr: number;
  /** log10 A (base-10 intercept at N = 1), so A = 10^intercept. */
  intercept: number;
  /** Points used (finite non-zero y, and a positive finite σ when any point has one). */
  points: number;
}

/**
 * Slope of log|y| against log N by weighted least squares, weights 1/σ_log² with the delta-method
 * σ_log = σ / |y| (in log10 units σ / (|y| ln 10)): the exponent of a power-law decay, e.g. −1/2 for the
 * empirical-NTK deviation (Hanin & Nica 2019, arXiv 1909.05989), −1 for the 4-pt correlator deviation and −2 for the
 * connected 6-pt at large N (log-log plots of arXiv 2008.08601).
 *
 * When to use: any "how fast does it decay with width" summary over a handful of widths, each with a mean and its
 * standard error. Points with y null, non-finite or 0 are skipped; when at least one point has a positive finite σ,
 * points without one are skipped too and the fit is weighted; when none has, the fit is unweighted (exact values)
 * and `slopeStderr` is 0. Needs ≥ 2 usable points with distinct N (otherwise the result is NaN). Plain float64
 * host arithmetic; inputs are plain arrays (widths length n, y and σ length n).
 *
 * @example
 * logLogSlope([10, 100], [0.1, 0.01], [0.001, 0.0001]).slope; // −1
 */
export function logLogSlope(widths: readonly number[], y: readonly (number | null)[], sigma?: readonly (number | null)[]): LogLogFit {
  const ly: (number | null)[] = y.map((v) => (v !== null && Number.isFinite(v) && v !== 0 ? Math.log10(Math.abs(v)) : null));
  const ls = sigma
    ? sigma.map((s, i) => {
        const v = y[i];
        return s !== null && v !== null && v !== 0 ? s / (Math.abs(v) * Math.LN10) : null;
      })
    : undefined;
  const logN = widths.map((N) => Math.log10(N));
  const rows: { x: number; y: number; w: number }[] = [];
  const anyError = ls?.some((s) => s !== null && Number.isFinite(s) && s > 0) ?? false;
  logN.forEach((x, i) => {
    const v = ly[i];
    if (v === null) return;
    if (!anyError) {
      rows.push({ x, y: v, w: 1 });
      return;
    }
    const s = ls?.[i];
    if (!(s !== null && s !== undefined && s > 0 && Number.isFinite(s))) return;
    rows.push({ x, y: v, w: 1 / (s * s) });
  });
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const r of rows) {
    sw += r.w;
    sx += r.w * r.x;
    sy += r.w * r.y;
    sxx += r.w * r.x * r.x;
    sxy += r.w * r.x * r.y;
  }
  const det = sw * sxx - sx * sx;
  const slope = (sw * sxy - sx * sy) / det;
  return { slope, slopeStderr: anyError ? Math.sqrt(sw / det) : 0, intercept: (sy - slope * sx) / sw, points: rows.length };
}

import type { ErrorEstimator } from './analysis';
import type { CorrelatorResult } from './finalize';
import { logLogSlope } from '@nnsym/numerics';
import { fitInversePowers, type InversePowerFit } from './fit';

/** One row of the width-sweep table. */
export interface SweepRow {
  width: number;
  networks?: number;
  /** Per order: mean signed deviation, m_n (mean |deviation|), connected/GP, background, each with errors. */
  orders: Record<string, { meanDeviation: number; meanDeviationStderr: number | null; meanAbsDeviation: number; meanAbsDeviationStderr: number | null; meanConnectedDeviation: number | null; meanConnectedDeviationStderr: number | null; background: number | null; stderrEstimators?: { meanDeviation: ErrorEstimator; meanAbsDeviation: ErrorEstimator; meanConnectedDeviation: ErrorEstimator } }>;
}

/** A fit of one quantity over the widths. */
export interface SweepFit {
  order: number;
  /** `deviation` = mean (G − G_GP)/G_GP; `connected` = mean G_c/G_GP; `abs-deviation` = m_n. */
  quantity: 'deviation' | 'connected' | 'abs-deviation';
  model: string;
  fit: InversePowerFit;
  /** Log-log slope of |quantity| against N over the widths (expected −1 for 4-pt, −2 for connected 6-pt). */
  slope: { slope: number; slopeStderr: number; points: number };
}

/** The width sweep: rows per width and fits of the deviations against 1/N (and 1/N² for the connected 6-pt). */
export interface SweepSummary {
  method: 'montecarlo' | 'exact';
  arch: string;
  rows: SweepRow[];
  fits: SweepFit[];
}

/**
 * Table and fits of a width sweep from per-width results. Fits (weighted least squares, weights 1/σ² from the
 * per-width errors: per-network where the run kept the tuple mean, else jackknife, as `stderrEstimators` says;
 * unweighted for exact values):
 * - order 4: mean deviation = a + b/N (one-hidden-layer nets: a = 0 and the deviation is exactly b/N);
 * - order 6: mean deviation = a + b/N + c/N²; connected 6-pt / GP = a + c/N² (exactly c/N² for one hidden layer);
 * - order 2: mean deviation = a (G2 = K at every N, so a = 0 within errors);
 * plus the log-log slope of m_n (order 4) and of the connected 6-pt, the exponents plotted in 2008.08601.
 *
 * @example
 * const sweep = sweepSummary(widths.map((N) => exactResult(ex, 'relu-net', N, xs)));
 * sweep.fits.find((f) => f.order === 4)!.fit.coefficients; // [≈0, 5] for relu-net with σ_b = 0
 */
export function sweepSummary(results: readonly CorrelatorResult[]): SweepSummary {
  const rows: SweepRow[] = results.map((r) => ({
    width: r.width,
    ...(r.networks !== undefined ? { networks: r.networks } : {}),
    orders: Object.fromEntries(
      Object.entries(r.orders).map(([n, o]) => [
        n,
        {
          meanDeviation: o.summary.meanDeviation,
          meanDeviationStderr: o.summary.meanDeviationStderr,
          meanAbsDeviation: o.summary.meanAbsDeviation,
          meanAbsDeviationStderr: o.summary.meanAbsDeviationStderr,
          meanConnectedDeviation: o.summary.meanConnectedDeviation,
          meanConnectedDeviationStderr: o.summary.meanConnectedDeviationStderr,
          background: o.summary.background,
          stderrEstimators: o.summary.stderrEstimators,
        },
      ]),
    ),
  }));
  const widths = rows.map((r) => r.width);
  const fits: SweepFit[] = [];
  const orders = Object.keys(results[0]?.orders ?? {}).map(Number);
  const col = (n: number, key: 'meanDeviation' | 'meanAbsDeviation' | 'meanConnectedDeviation'): (number | null)[] => rows.map((r) => r.orders[String(n)]?.[key] ?? null);
  const err = (n: number, key: 'meanDeviationStderr' | 'meanAbsDeviationStderr' | 'meanConnectedDeviationStderr'): (number | null)[] => rows.map((r) => r.orders[String(n)]?.[key] ?? null);
  const add = (order: number, quantity: SweepFit['quantity'], model: string, powers: number[], y: (number | null)[], s: (number | null)[]): void => {
    fits.push({ order, quantity, model, fit: fitInversePowers(widths, y, s, powers), slope: logLogSlope(widths, y, s) });
  };
  for (const n of orders) {
    if (n === 2) add(2, 'deviation', 'a', [0], col(2, 'meanDeviation'), err(2, 'meanDeviationStderr'));
    else if (n === 4) {
      add(4, 'deviation', 'a + b/N', [0, 1], col(4, 'meanDeviation'), err(4, 'meanDeviationStderr'));
      add(4, 'abs-deviation', 'a + b/N', [0, 1], col(4, 'meanAbsDeviation'), err(4, 'meanAbsDeviationStderr'));
    } else {
      const powers = Array.from({ length: n / 2 }, (_, p) => p);
      add(n, 'deviation', powers.map((p) => (p === 0 ? 'a' : `c${p}/N${p > 1 ? '^' + p : ''}`)).join(' + '), powers, col(n, 'meanDeviation'), err(n, 'meanDeviationStderr'));
      const top = n / 2 - 1;
      add(n, 'connected', `a + c/N^${top}`, [0, top], col(n, 'meanConnectedDeviation'), err(n, 'meanConnectedDeviationStderr'));
    }
  }
  return { method: results[0]?.method ?? 'montecarlo', arch: results[0]?.arch ?? '', rows, fits };
}

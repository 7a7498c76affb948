import { jackknifeStderr } from './accumulator';
import type { CorrelatorLayout } from './layout';
import { tupleAt, splitIndex } from './tuples';
import { connectedCorrelator, sliceOrder, wickPrediction } from './wick';

/** Estimates to analyse: a stats vector with its standard errors and/or jackknife replicas. */
export interface CorrelatorEstimates {
  /** Stats vector (all stored even orders). */
  mean: Float64Array;
  /** Per-entry standard errors (Monte Carlo); absent for exact values. */
  stderr?: Float64Array;
  /** Delete-one-group replicas of `mean`, for jackknife errors of derived quantities. */
  replicas?: Float64Array[];
  /**
   * Per-network tuple means (ids `${order}:${quantity}`, see `tupleMeanFunctionals`): their exact standard errors
   * sd(s_m)/√M replace the jackknife errors of those means over tuples.
   */
  tupleMeans?: ReadonlyMap<string, { mean: number; stderr: number }>;
}

/**
 * Which estimator gave an error: `per-network` (sd(s_m)/√M of a per-network scalar, exact for means over tuples that
 * are affine in the per-network products), `jackknife-G` (delete-one-group jackknife over G groups), `exact` (a
 * deterministic value, error 0), `bound` (the exact engine's quadrature + float64 rounding bound), or null (none).
 */
export type ErrorEstimator = 'per-network' | 'exact' | 'bound' | `jackknife-${number}` | null;

/** Summary numbers of one order over its tuples. */
export interface OrderSummary {
  /** Tuples with a non-zero GP prediction (those enter the means). */
  tuples: number;
  /** Mean over tuples of (G − G_GP)/G_GP, and its standard error (per-network where kept, else jackknife). */
  meanDeviation: number;
  meanDeviationStderr: number | null;
  /** Mean over tuples of |G − G_GP|/G_GP (the m_n of 2008.08601's plots), with its jackknife error. */
  meanAbsDeviation: number;
  meanAbsDeviationStderr: number | null;
  /** Mean over tuples of G_c / G_GP (order >= 4), with its error (per-network for orders 4, 6 with analytic K). */
  meanConnectedDeviation: number | null;
  meanConnectedDeviationStderr: number | null;
  /** Mean over tuples of the noise level stderr/|G_GP| (the "background" of 2008.08601). */
  background: number | null;
  /** max |G − G_GP| / stderr over tuples (Monte Carlo only). */
  maxAbsZ: number | null;
  /** The estimator of each error above. */
  stderrEstimators: { meanDeviation: ErrorEstimator; meanAbsDeviation: ErrorEstimator; meanConnectedDeviation: ErrorEstimator };
}

/** Everything about one order, as the CLI's JSON contract lists it (arrays over tuples; null where undefined). */
export interface OrderReport {
  order: number;
  /** Input indices per tuple (non-decreasing in the combined index). */
  tuples: number[][];
  /** Output indices per tuple, present when d_out > 1. */
  outputs?: number[][];
  estimate: number[];
  stderr: (number | null)[];
  gp: number[];
  connected: number[];
  connectedStderr: (number | null)[];
  deviation: (number | null)[];
  deviationStderr: (number | null)[];
  summary: OrderSummary;
}

interface Derived {
  gp: Float64Array;
  connected: Float64Array;
  deviation: Float64Array;
  mDev: number;
  mAbs: number;
  mConn: number;
}

/**
 * GP predictions, connected correlators and deviations for every requested order, with errors: exact standard
 * errors for raw estimates (and for quantities that are a raw estimate minus a constant), exact per-network errors
 * for the means over tuples in `est.tupleMeans` (affine in the per-network products), delete-one-group jackknife
 * errors for everything else that is nonlinear (per-tuple connected 6-pt with the measured G4, the mean |deviation|,
 * everything when K is the measured G2). `summary.stderrEstimators` names the estimator of each summary error.
 *
 * `kernelLevel`: the 2-point function over level-2 tuples — analytic (preferred) or undefined to use the
 * measured G2.
 *
 * @example
 * const rep = analyzeCorrelators(layout, { mean, stderr, replicas }, kernelLevel(layout, analytic.nngp));
 * rep['4'].summary.meanDeviation;
 */
export function analyzeCorrelators(layout: CorrelatorLayout, est: CorrelatorEstimates, kernelLevel?: Float64Array): Record<string, OrderReport> {
  const derive = (values: Float64Array): Map<number, Derived> => {
    const K = kernelLevel ?? sliceOrder(layout, values, 2);
    const out = new Map<number, Derived>();
    for (const n of layout.orders) {
      const g = sliceOrder(layout, values, n);
      const gp = n === 2 ? K.slice() : wickPrediction(layout, n, K);
      const connected = connectedCorrelator(layout, n, values, K);
      const scale = gp.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const deviation = new Float64Array(g.length);
      let sd = 0;
      let sa = 0;
      let sc = 0;
      let cnt = 0;
      for (let t = 0; t < g.length; t++) {
        if (!(Math.abs(gp[t]) > 1e-12 * scale)) {
          deviation[t] = NaN;
          continue;
        }
        const d = (g[t] - gp[t]) / gp[t];
        deviation[t] = d;
        sd += d;
        sa += Math.abs(d);
        sc += connected[t] / gp[t];
        cnt++;
      }
      out.set(n, { gp, connected, deviation, mDev: sd / cnt, mAbs: sa / cnt, mConn: sc / cnt });
    }
    return out;
  };
  const full = derive(est.mean);
  const reps = (est.replicas ?? []).map(derive);
  const jk = (pick: (d: Map<number, Derived>) => number): number | null => (reps.length >= 2 ? jackknifeStderr(reps.map(pick)) : est.stderr ? null : 0);
  const jkName: ErrorEstimator = reps.length >= 2 ? `jackknife-${reps.length}` : est.stderr ? null : 'exact';
  // Means over tuples: the exact per-network error where the run kept that tuple mean, else the jackknife.
  const tupleMean = (n: number, quantity: string, pick: (d: Map<number, Derived>) => number): { stderr: number | null; by: ErrorEstimator } => {
    const pn = est.tupleMeans?.get(`${n}:${quantity}`);
    return pn && Number.isFinite(pn.stderr) ? { stderr: pn.stderr, by: 'per-network' } : { stderr: jk(pick), by: jkName };
  };
  const result: Record<string, OrderReport> = {};
  for (const n of layout.orders) {
    const d = full.get(n)!;
    const T = layout.count(n);
    const off = layout.offset(n);
    const lvl = layout.tree.levels[n - 1];
    const tuples: number[][] = [];
    const outputs: number[][] = [];
    for (let t = 0; t < T; t++) {
      const tup = tupleAt(lvl, t).map((s) => splitIndex(s, layout.dOut));
      tuples.push(tup.map(([i]) => i));
      outputs.push(tup.map(([, a]) => a));
    }
    const estimate = Array.from(est.mean.subarray(off, off + T));
    const perTuple = (pick: (x: Derived) => number): number | null => jk((r) => pick(r.get(n)!));
    const stderr = Array.from({ length: T }, (_, t) => (est.stderr ? est.stderr[off + t] : reps.length >= 2 ? jackknifeStderr((est.replicas ?? []).map((r) => r[off + t])) : 0));
    const linearConnected = kernelLevel !== undefined && n <= 4;
    const connectedStderr = Array.from({ length: T }, (_, t) => (linearConnected && est.stderr ? stderr[t] : perTuple((x) => x.connected[t])));
    const deviationStderr = Array.from({ length: T }, (_, t) => {
      if (!Number.isFinite(d.deviation[t])) return null;
      if (kernelLevel !== undefined && est.stderr) return stderr[t] / Math.abs(d.gp[t]);
      return perTuple((x) => x.deviation[t]);
    });
    let cnt = 0;
    let bg = 0;
    let maxZ = 0;
    for (let t = 0; t < T; t++) {
      if (!Number.isFinite(d.deviation[t])) continue;
      cnt++;
      bg += stderr[t] / Math.abs(d.gp[t]);
      if (est.stderr && stderr[t] > 0) maxZ = Math.max(maxZ, Math.abs(estimate[t] - d.gp[t]) / stderr[t]);
    }
    const mDev = tupleMean(n, 'meanDeviation', (m) => m.get(n)!.mDev);
    const mConn = n >= 4 ? tupleMean(n, 'meanConnectedDeviation', (m) => m.get(n)!.mConn) : { stderr: null, by: null };
    result[String(n)] = {
      order: n,
      tuples,
      ...(layout.dOut > 1 ? { outputs } : {}),
      estimate,
      stderr,
      gp: Array.from(d.gp),
      connected: Array.from(d.connected),
      connectedStderr,
      deviation: Array.from(d.deviation, (v) => (Number.isFinite(v) ? v : null)),
      deviationStderr,
      summary: {
        tuples: cnt,
        meanDeviation: d.mDev,
        meanDeviationStderr: mDev.stderr,
        meanAbsDeviation: d.mAbs,
        meanAbsDeviationStderr: jk((m) => m.get(n)!.mAbs),
        meanConnectedDeviation: n >= 4 ? d.mConn : null,
        meanConnectedDeviationStderr: mConn.stderr,
        background: cnt > 0 ? bg / cnt : null,
        maxAbsZ: est.stderr ? maxZ : null,
        stderrEstimators: { meanDeviation: mDev.by, meanAbsDeviation: jkName, meanConnectedDeviation: mConn.by },
      },
    };
  }
  return result;
}

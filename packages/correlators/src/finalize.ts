import { analyzeCorrelators, type OrderReport } from './analysis';
import { jackknifeStderr } from './accumulator';
import { kernelLevel, type CorrelatorLayout } from './layout';
import { fromPartial, type CorrelatorPartial } from './partial';
import type { ExactCorrelators } from './exact';
import type { KernelChoice } from './kernel';
import { kernelFor } from './kernel';

export { kernelFor } from './kernel';
export type { KernelChoice } from './kernel';

/** A finished correlator result (Monte Carlo or exact), the payload of `nnsym correlators --json`. */
export interface CorrelatorResult {
  method: 'montecarlo' | 'exact';
  arch: string;
  width: number;
  /** Networks in the estimate (Monte Carlo). */
  networks?: number;
  ensemble?: number;
  complete?: boolean;
  interrupted?: boolean;
  inputs: number[][];
  dOut: number;
  kernel: { source: 'analytic' | 'measured'; detail: string; matrix: number[][] };
  orders: Record<string, OrderReport>;
  /** Exact method: how the single-neuron moments were computed. */
  moments?: { method: string; rank: number; nodes: number; note: string };
  errors: string;
  precision: string;
}

function kernelMatrix(layout: CorrelatorLayout, choice: KernelChoice, g2: ArrayLike<number>): number[][] {
  const P = layout.points;
  if (choice.kernel) return Array.from({ length: P }, (_, i) => Array.from(choice.kernel!.subarray(i * P, (i + 1) * P)));
  // measured: output 0's G2 over (i, j)
  const d = layout.dOut;
  const rows: number[][] = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  const lvl = layout.tree.levels[1];
  for (let t = 0; t < lvl.count; t++) {
    const s = lvl.indices[2 * t];
    const u = lvl.indices[2 * t + 1];
    if (s % d === 0 && u % d === 0) rows[s / d][u / d] = rows[u / d][s / d] = g2[t];
  }
  return rows;
}

/**
 * Estimates, standard errors, GP predictions, connected correlators and deviations of a Monte-Carlo partial
 * result (complete or not). Raw estimates are float64 means of float32 network outputs.
 *
 * @example
 * const res = finalizeCorrelators(partial); res.orders['4'].summary.meanDeviation;
 */
export function finalizeCorrelators(partial: CorrelatorPartial, kernel: KernelChoice = kernelFor(partial.spec)): CorrelatorResult {
  const acc = fromPartial(partial);
  const layout = acc.layout;
  const { mean, stderr, count } = acc.totals();
  const { replicas } = acc.leaveOneOut();
  const K = kernel.kernel ? kernelLevel(layout, kernel.kernel) : undefined;
  // The per-network tuple means were built from the run's own analytic kernel: usable when GP predictions use it too.
  const own = kernelFor(partial.spec).kernel;
  const sameKernel = own !== undefined && kernel.kernel !== undefined && own.length === kernel.kernel.length && own.every((v, i) => v === kernel.kernel![i]);
  const tupleMeans = sameKernel ? acc.tupleMeanTotals() : undefined;
  const orders = analyzeCorrelators(layout, { mean, stderr, replicas, tupleMeans }, K);
  const kept = tupleMeans ? [...tupleMeans.keys()].join(', ') : '';
  const why = tupleMeans ? '' : !K ? ' (no analytic K: the means over tuples are not affine in the products)' : !sameKernel ? ' (GP predictions use another kernel than the run)' : ' (a piece of partial format version 1 has no per-network sums)';
  const s = partial.spec;
  return {
    method: 'montecarlo',
    arch: s.arch,
    width: s.width,
    networks: count,
    ensemble: s.ensemble,
    complete: partial.complete,
    ...(partial.interrupted ? { interrupted: true } : {}),
    inputs: s.inputs,
    dOut: s.dOut,
    kernel: { source: kernel.source, detail: kernel.detail, matrix: kernelMatrix(layout, kernel, mean.subarray(layout.offset(2), layout.offset(2) + layout.count(2))) },
    orders,
    errors:
      `stderr: exact standard error of the mean over ${count} networks; ` +
      (tupleMeans ? `means over tuples that are affine in the per-network products (${kept}): exact per-network standard error sd(s_m)/√M ("per-network"); ` : `means over tuples: jackknife${why}; `) +
      `other derived quantities (per-tuple connected 6-pt, m_n = mean |deviation|${K ? '' : ', everything using the measured G2'}): delete-one-group jackknife over ${acc.groups} interleaved groups ("jackknife-${acc.groups}"); summary.stderrEstimators names each`,
    precision: 'float32 network outputs (tfjs), float64 accumulation (Welford/Chan)',
  };
}

/**
 * The same result shape from exact-in-N correlators at width N. With quadrature / closed-form moments the errors
 * are zero (quadrature error ~1e-12 relative); with single-neuron Monte-Carlo moments they are jackknife errors.
 */
export function exactResult(ex: ExactCorrelators, arch: string, width: number, inputs: number[][], kernel?: KernelChoice): CorrelatorResult {
  const layout = ex.layout;
  const mean = ex.valuesAt(width);
  const replicas = ex.replicasAt(width);
  const K = kernel?.kernel ? kernelLevel(layout, kernel.kernel) : ex.kernelLevel;
  const orders = analyzeCorrelators(layout, { mean, replicas: replicas.length ? replicas : undefined }, K);
  // Connected n-point functions (n >= 4) straight from the cumulants, κ̃_n N^(1−n/2): G6 − ΣG4K + 2ΣKKK would
  // cancel O(1) terms down to O(1/N²) and lose N² in relative precision (3.9x wrong at N = 10⁶ for erf-net).
  const connected = ex.connectedAt(width);
  const repConnected = ex.replicaCumulants.map((c) => new Map([...c].filter(([k]) => k >= 4).map(([k, v]) => [k, v.map((x) => x * Math.pow(width, 1 - k / 2))])));
  for (const [n, conn] of connected) {
    const rep = orders[String(n)];
    if (!rep) continue;
    const err = ex.cumulantError.get(n);
    const scale = Math.pow(width, 1 - n / 2);
    const ratio = (c: Float64Array) => {
      let s = 0;
      let cnt = 0;
      for (let t = 0; t < c.length; t++) {
        if (rep.deviation[t] === null) continue;
        s += c[t] / rep.gp[t];
        cnt++;
      }
      return cnt ? s / cnt : 0;
    };
    rep.connected = Array.from(conn);
    if (repConnected.length >= 2) {
      rep.connectedStderr = Array.from(conn, (_v, t) => jackknifeStderr(repConnected.map((r) => r.get(n)![t])));
      rep.summary.meanConnectedDeviationStderr = jackknifeStderr(repConnected.map((r) => ratio(r.get(n)!)));
      rep.summary.stderrEstimators.meanConnectedDeviation = `jackknife-${repConnected.length}`;
    } else if (err) {
      rep.connectedStderr = Array.from(err, (e) => e * scale);
      let s = 0;
      let cnt = 0;
      for (let t = 0; t < err.length; t++) {
        if (rep.deviation[t] === null) continue;
        s += (err[t] * scale) / Math.abs(rep.gp[t]);
        cnt++;
      }
      rep.summary.meanConnectedDeviationStderr = cnt ? s / cnt : 0;
      rep.summary.stderrEstimators.meanConnectedDeviation = 'bound';
    }
    rep.summary.meanConnectedDeviation = ratio(conn);
  }
  const m = ex.moments;
  const choice: KernelChoice = kernel?.kernel ? kernel : { source: 'measured', detail: 'G2 of the exact engine (single-neuron moments)' };
  return {
    method: 'exact',
    arch,
    width,
    inputs,
    dOut: layout.dOut,
    kernel: { source: choice.source, detail: choice.detail, matrix: kernelMatrix(layout, choice, ex.kernelLevel) },
    orders,
    moments: { method: m.method, rank: m.rank, nodes: m.nodes, note: m.note },
    errors:
      m.method === 'montecarlo'
        ? `jackknife over ${replicas.length} groups of single-neuron samples (connected n-point functions: jackknife of the cumulants κ̃_n N^(1−n/2))`
        : `correlators: deterministic ${m.method === 'quadrature' ? 'quadrature' : 'closed form'}, no Monte-Carlo error; connected n-point functions (n >= 4) computed directly as κ̃_n N^(1−n/2) (no cancellation), with "connectedStderr" an error bound: ${m.method === 'quadrature' ? '|16-point − 12-point Gauss-Legendre| + ' : ''}float64 rounding 8·2⁻⁵²·Σ|Möbius terms|, times N^(1−n/2)`,
    precision: 'float64',
  };
}

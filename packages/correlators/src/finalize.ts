import { analyticKernel, NoAnalyticKernelError } from '@nnsym/ntk';
import { analyzeCorrelators, type OrderReport } from './analysis';
import { jackknifeStderr } from './accumulator';
import { kernelLevel, type CorrelatorLayout } from './layout';
import { fromPartial, type CorrelatorPartial, type CorrelatorRunSpec } from './partial';
import type { ExactCorrelators } from './exact';

/** The 2-point function used for GP predictions: analytic where @nnsym/ntk has it, else the measured G2. */
export interface KernelChoice {
  source: 'analytic' | 'measured';
  /** e.g. `closed-form`, `quadrature`, or why the measured G2 was used. */
  detail: string;
  /** P×P row-major, when analytic. */
  kernel?: Float64Array;
}

/**
 * The analytic NNGP kernel of a run spec (closed form or quadrature from @nnsym/ntk), or `measured` with the
 * reason when the architecture has none (then GP predictions use the Monte-Carlo G2 and their errors come from
 * the jackknife).
 *
 * @example
 * kernelFor({ arch: 'relu-net', inputs: [[1], [2]], sigmaW: 1, sigmaB: 0, dIn: 1, dOut: 1, ... }).source; // 'analytic'
 */
export function kernelFor(spec: Pick<CorrelatorRunSpec, 'arch' | 'inputs' | 'sigmaW' | 'sigmaB' | 'bias' | 'dIn' | 'dOut' | 'depth' | 'activation' | 'parameterization'>): KernelChoice {
  try {
    const k = analyticKernel(spec.arch, spec.inputs, {
      sigmaW: spec.sigmaW,
      sigmaB: spec.sigmaB,
      dIn: spec.dIn,
      dOut: spec.dOut,
      parameterization: spec.parameterization,
      ...(spec.bias === false ? { bias: false } : {}),
      ...(spec.depth !== undefined ? { depth: spec.depth } : {}),
      ...(spec.activation !== undefined ? { activation: spec.activation } : {}),
    });
    return { source: 'analytic', detail: `${k.method} (${k.reference})`, kernel: k.nngp };
  } catch (e) {
    if (e instanceof NoAnalyticKernelError || (e as Error).name === 'UsageError') return { source: 'measured', detail: (e as Error).message };
    throw e;
  }
}

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
  const orders = analyzeCorrelators(layout, { mean, stderr, replicas }, K);
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
    errors: `stderr: exact standard error of the mean over ${count} networks; derived quantities (connected 6-pt, means over tuples${K ? '' : ', everything using the measured G2'}): delete-one-group jackknife over ${acc.groups} interleaved groups`,
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

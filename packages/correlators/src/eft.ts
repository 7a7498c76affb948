import { UsageError } from '@nnsym/core';
import { analyticKernel, gaussLegendre } from '@nnsym/ntk';
import type { CorrelatorResult } from './finalize';

/**
 * EFT couplings of a one-hidden-layer network family from its 4-point deviation (Halverson–Maiti–Stoner
 * arXiv 2008.08601 §4, following the authors' `rg.py` and `lam_fit/`; docs/conventions.md "EFT couplings").
 *
 *   K_EFT(x, x') = K(x, x') − σ_b²,
 *   I0_t(Λ)  = 24 ∫_{−Λ}^{Λ} dx Π_{k=1..4} K_EFT(x, x_{t_k}),          (local λ0 = the quartic λ)
 *   I2_t(Λ)  = 24 ∫_{−Λ}^{Λ} dx x² Π_k K_EFT(x, x_{t_k}),               (local λ2)
 *   INL_t(Λ) = 8 Σ_{3 pairings (ab)(cd)} A_ab A_cd,  A_ab = ∫_{−Λ}^{Λ} dx K_EFT(x, x_a) K_EFT(x, x_b),  (non-local)
 *   λ_t(Λ) = ΔG4_t / I0_t(Λ),  ΔG4_t = G4_t − GP4_t  (no minus sign, as in rg.py), mean λ = mean over the tuples.
 *
 * Quadrature (d_in = 1 only): composite Gauss–Legendre on [−Λ, 0] and [0, Λ], each side split at 0, h, 2h, 4h, ... Λ
 * (h = 1/16), 20 nodes per panel; Λ = ∞ (families whose K_EFT decays, such as the Gauss-net, where the integrand
 * decays like e^{−2σ_w²x²}) integrates |x| ≤ max|x_i| + r with r read off the kernel (see `halfRange`; 20/σ_w for the
 * Gauss-net). The error bound per integral is |I(20 nodes) − I(12 nodes)|.
 */

/** The family and hyper-parameters that K_EFT needs (d_in = 1). */
export interface EftFamily {
  arch: string;
  sigmaW: number;
  sigmaB: number;
  bias?: boolean;
  dIn: number;
}

/** The three integrals per tuple at one cutoff, with their quadrature error bounds. */
export interface EftIntegrals {
  cutoff: number;
  local0: Float64Array;
  local2: Float64Array;
  nonlocal: Float64Array;
  local0Error: Float64Array;
  local2Error: Float64Array;
  nonlocalError: Float64Array;
  /** Quadrature nodes used (20-point rule). */
  nodes: number;
}

const PANEL_START = 1 / 16;
const ORDER = 20;
const CHECK_ORDER = 12;

/** Panel breakpoints of [0, L]: 0, h, 2h, 4h, ..., L. */
function panels(L: number): number[] {
  const b = [0];
  let t = PANEL_START;
  while (t < L) {
    b.push(t);
    t *= 2;
  }
  b.push(L);
  return b;
}

/** Nodes and weights of the composite rule on [−L, L] (each side split geometrically from 0). */
function compositeRule(L: number, order: number): { x: Float64Array; w: Float64Array } {
  const gl = gaussLegendre(order);
  const b = panels(L);
  const n = 2 * (b.length - 1) * order;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  let k = 0;
  for (const sign of [-1, 1]) {
    for (let p = 0; p + 1 < b.length; p++) {
      const mid = (b[p] + b[p + 1]) / 2;
      const half = (b[p + 1] - b[p]) / 2;
      for (let i = 0; i < order; i++) {
        x[k] = sign * (mid + half * gl.nodes[i]);
        w[k] = half * gl.weights[i];
        k++;
      }
    }
  }
  return { x, w };
}

/** K_EFT(x_q, x_i) for every node q and input i: Float64Array [P][Q] row-major. */
function kEftTable(fam: EftFamily, inputs: number[][], nodes: Float64Array): Float64Array {
  const P = inputs.length;
  const Q = nodes.length;
  const out = new Float64Array(P * Q);
  const sb2 = fam.bias === false ? 0 : fam.sigmaB * fam.sigmaB;
  const CH = 64;
  for (let q0 = 0; q0 < Q; q0 += CH) {
    const q1 = Math.min(Q, q0 + CH);
    const pts = [...inputs, ...Array.from(nodes.subarray(q0, q1), (v) => [v])];
    const k = analyticKernel(fam.arch, pts, { sigmaW: fam.sigmaW, sigmaB: fam.sigmaB, dIn: 1, ...(fam.bias === false ? { bias: false } : {}) }).nngp;
    const T = pts.length;
    for (let i = 0; i < P; i++) for (let q = q0; q < q1; q++) out[i * Q + q] = k[i * T + P + (q - q0)] - sb2;
  }
  return out;
}

function integralsWith(fam: EftFamily, inputs: number[][], tuples: number[][], L: number, order: number) {
  const { x, w } = compositeRule(L, order);
  const Q = x.length;
  const P = inputs.length;
  const ke = kEftTable(fam, inputs, x);
  const A = new Float64Array(P * P);
  for (let a = 0; a < P; a++)
    for (let b = a; b < P; b++) {
      let s = 0;
      for (let q = 0; q < Q; q++) s += w[q] * ke[a * Q + q] * ke[b * Q + q];
      A[a * P + b] = A[b * P + a] = s;
    }
  const T = tuples.length;
  const l0 = new Float64Array(T);
  const l2 = new Float64Array(T);
  const nl = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const [i, j, k, l] = tuples[t];
    let s0 = 0;
    let s2 = 0;
    for (let q = 0; q < Q; q++) {
      const f = w[q] * ke[i * Q + q] * ke[j * Q + q] * ke[k * Q + q] * ke[l * Q + q];
      s0 += f;
      s2 += f * x[q] * x[q];
    }
    l0[t] = 24 * s0;
    l2[t] = 24 * s2;
    nl[t] = 8 * (A[i * P + j] * A[k * P + l] + A[i * P + k] * A[j * P + l] + A[j * P + k] * A[i * P + l]);
  }
  return { l0, l2, nl, Q };
}

/**
 * The integration half-range for a cutoff: Λ itself when finite; for Λ = ∞ a truncation read off the family's own
 * kernel (no table of architecture ids): |x| ≤ m + r with m = max|x_i| and r = 20/σ_w, 40/σ_w, ... up to 20·2¹⁰/σ_w,
 * the first r at which every |K_EFT(x_i, ±(m + r))| is below 1e-16 · max_i K_EFT(x_i, x_i). Each integrand holds
 * four K_EFT factors (or two pairs for λNL), so its neglected tail is below 1e-32 of its peak per unit length. A
 * family whose K_EFT does not fall that far (erf, relu: it tends to a non-zero limit or grows) is refused: the
 * integral diverges. For the Gauss-net (K_EFT ∝ e^{−σ_w²(x−x')²/2}) the first r qualifies, the range used before.
 */
function halfRange(fam: EftFamily, inputs: number[][], cutoff: number, flag: string): number {
  if (!(cutoff > 0)) throw new UsageError(`${flag}: a cutoff must be positive (or inf), got ${cutoff}`, flag);
  if (Number.isFinite(cutoff)) return cutoff;
  let m = 0;
  for (const r of inputs) m = Math.max(m, Math.abs(r[0]));
  const peak = inputs.reduce((p, x) => Math.max(p, Math.abs(kEftTable(fam, [x], Float64Array.of(x[0]))[0])), 0);
  for (let k = 0; k <= 10; k++) {
    const R = m + (20 * 2 ** k) / fam.sigmaW;
    const tail = kEftTable(fam, inputs, Float64Array.of(-R, R));
    if (tail.every((v) => Math.abs(v) <= 1e-16 * peak)) return R;
  }
  throw new UsageError(`${flag}: Λ = inf needs an integrand that decays; for ${fam.arch} K_EFT(x, x') does not vanish as |x| → ∞ (still above 1e-16 of its peak at |x| = ${m} + ${(20 * 2 ** 10) / fam.sigmaW}), so the integral diverges: give a finite cutoff`, flag);
}

/**
 * The local (λ0, λ2) and non-local (λNL) integrals per 4-tuple of input indices at cutoff Λ (see the module comment).
 *
 * @example
 * eftIntegrals({ arch: 'gauss-net', sigmaW: 1, sigmaB: 1, dIn: 1 }, [[0.002], [0.004]], [[0, 0, 1, 1]], Infinity).local0;
 */
export function eftIntegrals(fam: EftFamily, inputs: number[][], tuples: number[][], cutoff: number, flag = '--eft-cutoffs'): EftIntegrals {
  if (fam.dIn !== 1 || inputs.some((r) => r.length !== 1)) throw new UsageError(`${flag}: the EFT integrals are implemented for d_in = 1 (got d_in = ${fam.dIn})`, flag);
  const L = halfRange(fam, inputs, cutoff, flag);
  const fine = integralsWith(fam, inputs, tuples, L, ORDER);
  const coarse = integralsWith(fam, inputs, tuples, L, CHECK_ORDER);
  const diff = (a: Float64Array, b: Float64Array) => a.map((v, t) => Math.abs(v - b[t]));
  return {
    cutoff,
    local0: fine.l0,
    local2: fine.l2,
    nonlocal: fine.nl,
    local0Error: diff(fine.l0, coarse.l0),
    local2Error: diff(fine.l2, coarse.l2),
    nonlocalError: diff(fine.nl, coarse.nl),
    nodes: fine.Q,
  };
}

/** λ at one cutoff. */
export interface EftCutoffRow {
  cutoff: number | 'inf';
  /** λ_t = ΔG4_t / I0_t per tuple, with the error from ΔG4's standard error (null for exact values). */
  lambda: number[];
  lambdaStderr: (number | null)[];
  integral: number[];
  integralError: number[];
  /** Mean of λ_t over the tuples. */
  mean: number;
  /**
   * Error of the mean: Monte Carlo, the bound (1/T) Σ_t σ(λ_t), valid for any correlation between tuples (the tuples
   * share networks); exact, the quadrature bound (1/T) Σ_t |λ_t| δI0_t / I0_t.
   */
  meanStderrBound: number;
  /** Standard deviation of λ_t over the tuples (rg.py prints it: a constant λ has 0). */
  spread: number;
}

/** Least-squares fit ΔG4 ≈ λ0 I0 + λ2 I2 + λNL INL over the tuples (lam_fit.py's model and MSE loss). */
export interface EftFit {
  cutoff: number | 'inf';
  lambda0: number;
  lambda2: number;
  lambdaNL: number;
  /** Mean and max absolute percentage error of the fit over the tuples (lam_fit.py's MAPE). */
  mape: number;
  maxApe: number;
  /** The one-parameter fit ΔG4 ≈ λ0 I0 and its MAPE, for comparison. */
  lambda0Only: number;
  mapeLambda0Only: number;
  /**
   * det of the Gram matrix of the unit-normalised columns (I0, I2, INL): 1 for orthogonal, ~0 when they are (nearly)
   * collinear and λ0, λ2, λNL are not separately determined (e.g. relu-net with σ_b = 0 on positive inputs, where all
   * three are ∝ x1 x2 x3 x4).
   */
  gramDeterminant: number;
}

/** The EFT report of one correlator result. */
export interface EftReport {
  method: 'montecarlo' | 'exact';
  arch: string;
  width: number;
  networks?: number;
  tuples: number[][];
  deltaG4: number[];
  deltaG4Stderr: (number | null)[];
  cutoffs: EftCutoffRow[];
  /** Pooled regression of log10|λ_t| on log10 Λ over the finite cutoffs (rg.py's plot), when there are >= 2. */
  running?: { slope: number; intercept: number; r2: number; points: number };
  fit?: EftFit;
  quadrature: string;
  definitions: string;
}

/** Solve a small dense system (Gaussian elimination with partial pivoting). */
function solve(M: number[][], v: number[]): number[] {
  const n = v.length;
  const a = M.map((r, i) => [...r, v[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

/** det of the Gram matrix of the unit-normalised columns (0 = collinear). */
export function gramDeterminant(columns: ArrayLike<number>[]): number {
  const m = columns.length;
  const norm = columns.map((c) => Math.sqrt(Array.from(c).reduce((s, v) => s + v * v, 0)) || 1);
  const a = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let t = 0; t < columns[i].length; t++) s += (columns[i][t] / norm[i]) * (columns[j][t] / norm[j]);
    return s;
  }));
  let det = 1;
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    if (p !== c) {
      [a[c], a[p]] = [a[p], a[c]];
      det = -det;
    }
    det *= a[c][c];
    if (a[c][c] === 0) return 0;
    for (let r = c + 1; r < m; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < m; k++) a[r][k] -= f * a[c][k];
    }
  }
  return det;
}

/** Ordinary least squares y ≈ X β over columns (scaled to unit norm for conditioning). */
export function leastSquares(columns: ArrayLike<number>[], y: ArrayLike<number>): number[] {
  const m = columns.length;
  const scale = columns.map((c) => Math.sqrt(Array.from(c).reduce((s, v) => s + v * v, 0)) || 1);
  const G = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let t = 0; t < y.length; t++) s += (columns[i][t] / scale[i]) * (columns[j][t] / scale[j]);
    return s;
  }));
  const r = Array.from({ length: m }, (_, i) => {
    let s = 0;
    for (let t = 0; t < y.length; t++) s += (columns[i][t] / scale[i]) * y[t];
    return s;
  });
  return solve(G, r).map((b, i) => b / scale[i]);
}

function ape(y: ArrayLike<number>, yhat: (t: number) => number): { mean: number; max: number } {
  let s = 0;
  let mx = 0;
  for (let t = 0; t < y.length; t++) {
    const e = (100 * Math.abs(y[t] - yhat(t))) / Math.abs(y[t]);
    s += e;
    mx = Math.max(mx, e);
  }
  return { mean: s / y.length, max: mx };
}

/**
 * λ per tuple and its mean at each cutoff, the running of λ with Λ, and (at `fitCutoff`) the fit of λ0, λ2, λNL,
 * from a correlator result that has order 4 (Monte Carlo: ΔG4 = estimate − GP with the estimate's standard error;
 * exact: ΔG4 = the connected 4-pt κ̃4/N, exact for one hidden layer).
 *
 * @example
 * const rep = eftCouplings(result, { arch: 'relu-net', sigmaW: 1, sigmaB: 0, dIn: 1 }, [10, 100, 1000]);
 * rep.running?.slope; // ≈ −5 for a ReLU-net with σ_b = 0 and positive inputs
 */
export function eftCouplings(result: CorrelatorResult, fam: EftFamily, cutoffs: readonly number[], options: { fitCutoff?: number; flag?: string } = {}): EftReport {
  const flag = options.flag ?? '--eft-cutoffs';
  const rep = result.orders['4'];
  if (!rep) throw new UsageError(`${flag} needs the 4-point function: add 4 to --orders`, flag);
  if (result.dOut !== 1) throw new UsageError(`${flag}: the EFT couplings are defined for d_out = 1 (got ${result.dOut})`, flag);
  if (cutoffs.length === 0) throw new UsageError(`${flag}: give at least one cutoff`, flag);
  const tuples = rep.tuples;
  const exact = result.method === 'exact';
  const dG = tuples.map((_, t) => (exact ? rep.connected[t] : rep.estimate[t] - rep.gp[t]));
  const dGerr = tuples.map((_, t) => (exact ? null : rep.stderr[t]));
  const rows: EftCutoffRow[] = [];
  const logs: [number, number][] = [];
  let fit: EftFit | undefined;
  const fitCutoff = options.fitCutoff ?? cutoffs[0];
  for (const L of cutoffs) {
    const I = eftIntegrals(fam, result.inputs, tuples, L, flag);
    const lambda = dG.map((d, t) => d / I.local0[t]);
    const lambdaStderr = dGerr.map((e, t) => (e === null ? null : e / Math.abs(I.local0[t])));
    const T = tuples.length;
    const mean = lambda.reduce((s, v) => s + v, 0) / T;
    const spread = Math.sqrt(lambda.reduce((s, v) => s + (v - mean) ** 2, 0) / T);
    const bound = exact
      ? lambda.reduce((s, v, t) => s + (Math.abs(v) * I.local0Error[t]) / Math.abs(I.local0[t]), 0) / T
      : lambdaStderr.reduce<number>((s, v) => s + (v ?? 0), 0) / T;
    rows.push({ cutoff: Number.isFinite(L) ? L : 'inf', lambda, lambdaStderr, integral: Array.from(I.local0), integralError: Array.from(I.local0Error), mean, meanStderrBound: bound, spread });
    if (Number.isFinite(L)) for (const v of lambda) if (v !== 0) logs.push([Math.log10(L), Math.log10(Math.abs(v))]);
    if (L === fitCutoff) {
      const [l0, l2, lNL] = leastSquares([I.local0, I.local2, I.nonlocal], dG);
      const [only] = leastSquares([I.local0], dG);
      const full = ape(dG, (t) => l0 * I.local0[t] + l2 * I.local2[t] + lNL * I.nonlocal[t]);
      fit = { cutoff: Number.isFinite(L) ? L : 'inf', lambda0: l0, lambda2: l2, lambdaNL: lNL, mape: full.mean, maxApe: full.max, lambda0Only: only, mapeLambda0Only: ape(dG, (t) => only * I.local0[t]).mean, gramDeterminant: gramDeterminant([I.local0, I.local2, I.nonlocal]) };
    }
  }
  let running: EftReport['running'];
  if (new Set(logs.map((p) => p[0])).size >= 2) {
    const n = logs.length;
    const mx = logs.reduce((s, p) => s + p[0], 0) / n;
    const my = logs.reduce((s, p) => s + p[1], 0) / n;
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (const [x, y] of logs) {
      sxx += (x - mx) ** 2;
      sxy += (x - mx) * (y - my);
      syy += (y - my) ** 2;
    }
    const slope = sxy / sxx;
    running = { slope, intercept: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1, points: n };
  }
  return {
    method: result.method,
    arch: result.arch,
    width: result.width,
    ...(result.networks !== undefined ? { networks: result.networks } : {}),
    tuples,
    deltaG4: dG,
    deltaG4Stderr: dGerr,
    cutoffs: rows,
    ...(running ? { running } : {}),
    ...(fit ? { fit } : {}),
    quadrature: `composite Gauss-Legendre, ${ORDER} nodes per panel, panels 0, 1/16, 1/8, ... Λ on each side of 0; integralError = |${ORDER}-node − ${CHECK_ORDER}-node| per tuple`,
    definitions:
      'K_EFT = K − σ_b²; I0 = 24∫_{|x|≤Λ} Π_k K_EFT(x, x_k) dx; λ_t = ΔG4_t / I0_t with ΔG4 = G4 − GP4 (rg.py: no minus sign); ' +
      'fit: ΔG4 ≈ λ0·I0 + λ2·I2 + λNL·INL, I2 = 24∫ x² Π K_EFT, INL = 8 Σ_pairings A_ab A_cd, A_ab = ∫ K_EFT(x,x_a) K_EFT(x,x_b) (lam_fit.py; least squares)',
  };
}

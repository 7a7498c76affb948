import { Rng, type SeedKey } from '@nnsym/core';
import { gaussLegendre } from '@nnsym/ntk';
import { CorrelatorAccumulator } from './accumulator';
import { correlatorLayout, type CorrelatorLayout } from './layout';
import { weightedTupleSums } from './products';

/**
 * What the exact engine needs of a one-hidden-layer family f(x) = W1 φ(W0 x + b0) + b1 (structurally the same
 * as core's `SingleHiddenInfo`): φ in float64 including any input-dependent normalisation (Gauss-net), and the
 * NN-QFT hyper-parameters W0 ~ N(0, σ_w²/d_in), b0 ~ N(0, σ_b²), W1 ~ N(0, σ_w²/N), b1 ~ N(0, σ_b²).
 */
export interface SingleNeuronFamily {
  activation: { readonly id: string; readonly breakpoints?: readonly number[] };
  /** φ(z) at input x (float64). */
  phi(z: number, x: ArrayLike<number>): number;
  sigmaW: number;
  sigmaB: number;
  dIn: number;
  dOut: number;
  /** Whether the layers have biases (default true). */
  bias?: boolean;
}

/** Single-neuron moments M_S = E[Π_{i∈S} φ(z(x_i))] for every non-decreasing input tuple S of even size. */
export interface NeuronMoments {
  /** Layout over the P inputs (d_out = 1), stored even orders 2..maxOrder. */
  layout: CorrelatorLayout;
  /** The stats vector of M_S. */
  mean: Float64Array;
  /** Standard errors (Monte Carlo only). */
  stderr?: Float64Array;
  /** Delete-one-group replicas of `mean` (Monte Carlo only), for jackknife errors downstream. */
  replicas?: Float64Array[];
  method: 'closed-form' | 'quadrature' | 'montecarlo';
  /** Rank of the pre-activation covariance (dimension of the Gaussian integral). */
  rank: number;
  /** Quadrature nodes or Monte-Carlo samples used. */
  nodes: number;
  note: string;
}

/** Options of {@link singleNeuronMoments}. */
export interface NeuronMomentOptions {
  /** `auto` (default): closed form for exp/gauss, 2-D polar quadrature when the rank is <= 2, else Monte Carlo. */
  method?: 'auto' | 'quadrature' | 'montecarlo';
  /** Monte-Carlo neurons (default 10^6). */
  samples?: number;
  seed?: SeedKey;
  /** Jackknife groups of the Monte Carlo (default 16). */
  groups?: number;
  /** Gauss-Legendre points per panel of the polar quadrature (default 16; the exact engine reruns with 12 for an error estimate). */
  quadraturePoints?: number;
}

/**
 * Row-space factor of the pre-activations: z_i = σ_w x_i·w / √d_in + σ_b b = (A g)_i with g ~ N(0, I_{d_in+1}),
 * A_i = [σ_w x_i / √d_in, σ_b]. Gram–Schmidt on the rows of A gives an orthonormal basis U of its row space, so
 * z = (A U) h with h = Uᵀ g ~ N(0, I_r): an r-dimensional Gaussian integral, r = rank(A) <= min(P, d_in + 1).
 */
export function preactivationFactor(family: SingleNeuronFamily, inputs: readonly (readonly number[])[]): { L: number[][]; rank: number; A: number[][] } {
  const bias = family.bias !== false;
  const A = inputs.map((x) => [...x.map((v) => (family.sigmaW * v) / Math.sqrt(family.dIn)), bias ? family.sigmaB : 0]);
  const basis: number[][] = [];
  const scale = Math.max(1e-300, ...A.map((r) => Math.hypot(...r)));
  for (const row of A) {
    const v = row.slice();
    for (let pass = 0; pass < 2; pass++)
      for (const u of basis) {
        const d = v.reduce((s, vi, i) => s + vi * u[i], 0);
        for (let i = 0; i < v.length; i++) v[i] -= d * u[i];
      }
    const nrm = Math.hypot(...v);
    if (nrm > 1e-12 * scale) basis.push(v.map((vi) => vi / nrm));
  }
  const L = A.map((row) => basis.map((u) => row.reduce((s, ai, i) => s + ai * u[i], 0)));
  return { L, rank: basis.length, A };
}

/**
 * Single-neuron moments M_S = E[Π_{i∈S} φ(z_i)] over every even-size input tuple up to `maxOrder`, float64.
 *
 * - exp / gauss (closed form, any d_in): Π_{i∈S} e^{z_i − c_i} = e^{Σ z_i − Σ c_i} with Σ z_i Gaussian, so
 *   M_S = exp(½ Σ_{i,j∈S} C_ij − Σ_{i∈S} c_i), C_ij = σ_b² + σ_w² x_i·x_j / d_in, c_i = q(x_i) for gauss, 0 for exp.
 * - rank <= 2 (d_in = 1, or collinear inputs): polar quadrature h = r(cos θ, sin θ). Every kink line z_i = 0 of
 *   a φ kinked at 0 (relu) is a ray, so the integrand is smooth in θ between the kink angles (Gauss–Legendre
 *   panels split there) and smooth in r along each ray (panels on [0, 12] with weight r e^{−r²/2}).
 * - otherwise: single-neuron Monte Carlo (`samples` neurons, float64) with standard errors and jackknife replicas.
 *
 * @example
 * const m = singleNeuronMoments(neuronFamily('relu', { sigmaW: 1, sigmaB: 0, dIn: 1 }), [[1]], 4);
 * m.mean; // [E relu(w)², E relu(w)⁴] = [1/2, 3/2]
 */
export function singleNeuronMoments(family: SingleNeuronFamily, inputs: readonly (readonly number[])[], maxOrder: number, options: NeuronMomentOptions = {}): NeuronMoments {
  const P = inputs.length;
  const layout = correlatorLayout(P, 1, [maxOrder]);
  const { L, rank, A } = preactivationFactor(family, inputs);
  const method = options.method ?? 'auto';
  const id = family.activation.id;
  if (method === 'auto' && (id === 'exp' || id === 'gauss')) {
    const closed = closedFormExp(family, inputs, layout, A);
    if (closed) return { layout, mean: closed, method: 'closed-form', rank, nodes: 0, note: `log-normal moments of ${id} (exact)` };
  }
  const bps = family.activation.breakpoints ?? [];
  const polarOk = bps.every((b) => b === 0);
  if (method !== 'montecarlo' && rank <= 2 && polarOk) {
    const { values, weights } = polarNodes(family, inputs, L, bps.length > 0, options.quadraturePoints ?? 16);
    const mean = weightedTupleSums(layout, values, weights);
    return { layout, mean, method: 'quadrature', rank, nodes: weights.length, note: `2-D polar Gauss-Legendre quadrature, ${weights.length} nodes` };
  }
  if (method === 'quadrature') throw new RangeError(`singleNeuronMoments: quadrature needs rank <= 2 and kinks only at 0 (rank ${rank}); use Monte Carlo`);
  return monteCarloMoments(family, inputs, layout, A, rank, options);
}

function closedFormExp(family: SingleNeuronFamily, inputs: readonly (readonly number[])[], layout: CorrelatorLayout, A: number[][]): Float64Array | undefined {
  const P = inputs.length;
  const C = A.map((a) => A.map((b) => a.reduce((s, ai, i) => s + ai * b[i], 0)));
  // c_i from φ itself: φ(0; x_i) = e^{−c_i}; check φ(z) = e^{z − c_i} at two points (else not of this form).
  const c = inputs.map((x) => -Math.log(family.phi(0, x)));
  for (let i = 0; i < P; i++)
    for (const z of [-0.7, 1.3]) {
      const want = Math.exp(z - c[i]);
      if (!(Math.abs(family.phi(z, inputs[i]) - want) <= 1e-12 * want)) return undefined;
    }
  const out = new Float64Array(layout.statCount);
  for (const k of layout.stored) {
    const lvl = layout.tree.levels[k - 1];
    const off = layout.offset(k);
    for (let t = 0; t < lvl.count; t++) {
      let v = 0;
      let cs = 0;
      for (let a = 0; a < k; a++) {
        const i = lvl.indices[t * k + a];
        cs += c[i];
        for (let b = 0; b < k; b++) v += C[i][lvl.indices[t * k + b]];
      }
      out[off + t] = Math.exp(0.5 * v - cs);
    }
  }
  return out;
}

const RADIUS = 12;

function polarNodes(family: SingleNeuronFamily, inputs: readonly (readonly number[])[], L: number[][], kinked: boolean, points: number): { values: Float64Array; weights: Float64Array } {
  const P = inputs.length;
  const two = L.map((r) => [r[0] ?? 0, r[1] ?? 0]);
  const cuts = [0, 2 * Math.PI];
  if (kinked)
    for (const [a, c] of two) {
      if (a === 0 && c === 0) continue;
      for (const th of [Math.atan2(-a, c), Math.atan2(a, -c)]) cuts.push(th < 0 ? th + 2 * Math.PI : th);
    }
  cuts.sort((u, v) => u - v);
  const gl = gaussLegendre(points);
  const angles: number[] = [];
  const aw: number[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const lo = cuts[k];
    const hi = cuts[k + 1];
    if (hi - lo < 1e-14) continue;
    const pieces = Math.max(1, Math.ceil((hi - lo) / (Math.PI / 12)));
    const h = (hi - lo) / pieces;
    for (let p = 0; p < pieces; p++)
      for (let i = 0; i < gl.nodes.length; i++) {
        angles.push(lo + (p + 0.5) * h + 0.5 * h * gl.nodes[i]);
        aw.push((0.5 * h * gl.weights[i]) / (2 * Math.PI));
      }
  }
  const radii: number[] = [];
  const rw: number[] = [];
  for (let p = 0; p < RADIUS; p++)
    for (let i = 0; i < gl.nodes.length; i++) {
      const r = p + 0.5 + 0.5 * gl.nodes[i];
      radii.push(r);
      rw.push(0.5 * gl.weights[i] * r * Math.exp(-0.5 * r * r));
    }
  const n = angles.length * radii.length;
  const values = new Float64Array(n * P);
  const weights = new Float64Array(n);
  let v = 0;
  for (let a = 0; a < angles.length; a++) {
    const ca = Math.cos(angles[a]);
    const sa = Math.sin(angles[a]);
    for (let r = 0; r < radii.length; r++) {
      weights[v] = aw[a] * rw[r];
      const h0 = radii[r] * ca;
      const h1 = radii[r] * sa;
      for (let i = 0; i < P; i++) values[v * P + i] = family.phi(two[i][0] * h0 + two[i][1] * h1, inputs[i]);
      v++;
    }
  }
  return { values, weights };
}

function monteCarloMoments(family: SingleNeuronFamily, inputs: readonly (readonly number[])[], layout: CorrelatorLayout, A: number[][], rank: number, options: NeuronMomentOptions): NeuronMoments {
  const S = options.samples ?? 1_000_000;
  const P = inputs.length;
  const D = A[0].length;
  const acc = new CorrelatorAccumulator(layout, { groups: options.groups ?? 16 });
  const chunk = 8192;
  const g = new Float64Array(D);
  for (let start = 0, c = 0; start < S; start += chunk, c++) {
    const rng = Rng.derive(options.seed ?? 0, 'neuron-moments', c);
    const count = Math.min(chunk, S - start);
    const y = new Float64Array(count * P);
    for (let m = 0; m < count; m++) {
      rng.fillNormal(g);
      for (let i = 0; i < P; i++) {
        let z = 0;
        for (let d = 0; d < D; d++) z += A[i][d] * g[d];
        y[m * P + i] = family.phi(z, inputs[i]);
      }
    }
    acc.push(y, count, start);
  }
  const { mean, stderr } = acc.totals();
  return { layout, mean, stderr, replicas: acc.leaveOneOut().replicas, method: 'montecarlo', rank, nodes: S, note: `single-neuron Monte Carlo, ${S} neurons (rank ${rank} > 2)` };
}

import { UsageError, type SingleHiddenInfo } from '@nnsym/core';
import { correlatorLayout, singleNeuronMoments, tupleRank, type SingleNeuronFamily } from '@nnsym/correlators';

/** Unit roundoff of float64, 2⁻⁵³. */
export const UNIT_ROUNDOFF = 2 ** -53;

/** A float64 value with an absolute bound on its error (rounding; quadrature where stated). */
export interface Bounded {
  value: number;
  error: number;
}

/** The law of a one-hidden-layer ensemble the exact engine evaluates (NN-QFT conventions, standard parameterisation). */
export interface ExactEnsembleLaw {
  /** φ in float64 with the hyper-parameters (core's `Architecture.singleHidden`). */
  family: SingleHiddenInfo | SingleNeuronFamily;
  width: number;
  /** Mean of each row of W1 (length d_out; zeros when absent). */
  rowMeans?: readonly number[];
  /** Mean of every W0 entry (closed-form families only). */
  inputMean?: number;
}

/**
 * Exact correlators G^(n) = E[Π_k f_{a_k}(x_{i_k})] of a one-hidden-layer network f(x) = W1 φ(W0 x + b0) + b1 at
 * width N, for W1 rows with means μ_a (W1_{aj} ~ N(μ_a, σ_w²/N)), b1 ~ N(0, σ_b²), W0 ~ N(μ0, σ_w²/d_in),
 * b0 ~ N(0, σ_b²), with an absolute error bound per value.
 *
 * Derivation. f = Σ_j u_j + b1 with u_j = (W1_{aj} φ(z_j(x)))_{a,x} iid over the N units and independent of b1.
 * Expanding Π_k f_k, each factor picks a unit or the bias; grouping by which positions share a unit gives
 *
 *   G(S) = Σ_{R ⊆ S} E[Π_{k∈R} b1_{a_k}] Σ_{π partition of S∖R} N(N−1)…(N−|π|+1) Π_{B∈π} m_B,
 *
 * with the Wick sum E[Π b1] = Σ_{pairings of R} Π σ_b² δ_{aa'} and the one-unit moments
 * m_B = Π_a E[W^{m_a}] · M_B, E[W^m] = Σ_j C(m, 2j) (2j−1)!! v^j μ^{m−2j} (v = σ_w²/N, m_a = multiplicity of output a
 * in B), M_B = E[Π_{k∈B} φ(z(x_{i_k}))] the single-neuron moment (every order, odd ones too: μ ≠ 0 makes them count).
 * No Monte Carlo and no cancellation between orders (the falling factorial is the exact count of unit assignments).
 *
 * Single-neuron moments. exp / gauss: closed form M_S = exp(Σ m_i + ½ Σ_{i,j∈S} C_ij − Σ c_i) (log-normal; any d_in,
 * any μ0). Other activations: correlators' polar Gauss–Legendre quadrature (rank ≤ 2 of the pre-activations, μ0 = 0),
 * odd orders through one extra point where φ ≡ 1; otherwise a one-line UsageError (only Monte Carlo would do).
 *
 * Error bounds (not tuned), with u = 2⁻⁵³:
 * - closed form: the exponent is a sum of K = |S|² + 2|S| terms (dot products over d_in + 1 coordinates, inputs
 *   rounded to float64: a relative u on each input coordinate moves each bilinear term by 2u), so its absolute error
 *   is ≤ (K + d_in + 4) u Σ|terms|, and exp adds u: relative error ε_S = (K + d_in + 4) u Σ|terms| + 2u;
 * - quadrature: |Q16 − Q12| (the 12-point rule's error bounds the 16-point one's for an exponentially convergent
 *   rule) + nodes · u · Σ_nodes w Π|φ| (recursive summation, Higham §4.2);
 * - G: each term is a product of ≤ n + 1 rounded factors, error ≤ |term| (Σ_B ε_B + (n + 2) u); the sum of T terms adds
 *   T u Σ|terms|.
 */
export class ExactCorrelatorEngine {
  readonly dOut: number;
  private readonly N: number;
  private readonly v: number;
  private readonly mu: number[];
  private readonly sb2: number;
  private readonly moments: (points: number[]) => Bounded;
  private readonly memo = new Map<string, Bounded>();

  /**
   * @param points the input points every slot refers to (slot s = point · d_out + a).
   */
  constructor(
    readonly law: ExactEnsembleLaw,
    readonly points: readonly (readonly number[])[],
    readonly maxOrder: number,
  ) {
    const fam = law.family;
    this.dOut = fam.dOut;
    this.N = law.width;
    if (!(Number.isInteger(this.N) && this.N >= 1)) throw new UsageError(`--width: the exact engine needs an integer width >= 1, got ${this.N}`, '--width');
    this.v = (fam.sigmaW * fam.sigmaW) / this.N;
    this.mu = Array.from({ length: this.dOut }, (_, a) => law.rowMeans?.[a] ?? 0);
    this.sb2 = fam.bias === false ? 0 : fam.sigmaB * fam.sigmaB;
    this.moments = neuronMoments(fam, points, maxOrder, law.inputMean ?? 0);
  }

  /** G at the slots (any order; slots s = point · d_out + output), with its error bound; memoised by the sorted slots. */
  correlator(slots: ArrayLike<number>): Bounded {
    const s = Array.from(slots).sort((a, b) => a - b);
    const key = s.join(',');
    let r = this.memo.get(key);
    if (!r) {
      r = this.compute(s);
      this.memo.set(key, r);
    }
    return r;
  }

  private compute(slots: number[]): Bounded {
    const n = slots.length;
    const d = this.dOut;
    const out = slots.map((s) => s % d);
    const pts = slots.map((s) => Math.floor(s / d));
    const u = UNIT_ROUNDOFF;
    let value = 0;
    let absSum = 0;
    let err = 0;
    let terms = 0;
    // one-unit moment of the positions in `block` (bitmask), memoised per call
    const unit = new Map<number, Bounded>();
    const unitMoment = (mask: number): Bounded => {
      let r = unit.get(mask);
      if (r) return r;
      const mult = new Array<number>(d).fill(0);
      const ps: number[] = [];
      for (let k = 0; k < n; k++)
        if (mask & (1 << k)) {
          mult[out[k]]++;
          ps.push(pts[k]);
        }
      let w = 1;
      let we = 0;
      for (let a = 0; a < d; a++) {
        if (mult[a] === 0) continue;
        const g = gaussianMoment(mult[a], this.mu[a], this.v);
        w *= g;
        we += (mult[a] + 3) * u; // all terms of the Gaussian moment have one sign: relative rounding ≤ (m + 3) u
      }
      if (w === 0) r = { value: 0, error: 0 };
      else {
        const M = this.moments(ps.sort((a, b) => a - b));
        r = { value: w * M.value, error: Math.abs(w) * M.error + Math.abs(w * M.value) * (we + u) };
      }
      unit.set(mask, r);
      return r;
    };
    const full = (1 << n) - 1;
    // bias subsets R (even size), their Wick sum; then partitions of the rest into unit blocks
    for (let R = 0; R <= full; R++) {
      const rSize = popcount(R);
      if (rSize % 2 !== 0 || (rSize > 0 && this.sb2 === 0)) continue;
      const wick = rSize === 0 ? 1 : wickDelta(R, n, out, this.sb2);
      if (wick === 0) continue;
      const rest = full & ~R;
      forEachPartition(rest, n, (blocks) => {
        let t = wick * fallingFactorial(this.N, blocks.length);
        let rel = (rSize / 2 + 2) * u;
        for (const b of blocks) {
          const m = unitMoment(b);
          if (m.value === 0) {
            t = 0;
            break;
          }
          t *= m.value;
          rel += m.error / Math.abs(m.value) + u;
        }
        if (t === 0) return;
        value += t;
        absSum += Math.abs(t);
        err += Math.abs(t) * rel;
        terms++;
      });
    }
    return { value, error: err + terms * u * absSum };
  }
}

/** E[W^m] for W ~ N(μ, v): Σ_j C(m, 2j) (2j − 1)!! v^j μ^{m − 2j}. */
export function gaussianMoment(m: number, mu: number, v: number): number {
  let s = 0;
  let binom = 1; // C(m, 2j)
  let dfact = 1; // (2j − 1)!!
  for (let j = 0; 2 * j <= m; j++) {
    if (j > 0) {
      binom = (binom * (m - 2 * j + 2) * (m - 2 * j + 1)) / ((2 * j - 1) * (2 * j));
      dfact *= 2 * j - 1;
    }
    s += binom * dfact * Math.pow(v, j) * Math.pow(mu, m - 2 * j);
  }
  return s;
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

function fallingFactorial(N: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r *= N - i;
  return r;
}

/** Σ over pairings of the positions in R of Π σ_b² δ(output, output'). */
function wickDelta(R: number, n: number, out: number[], sb2: number): number {
  if (R === 0) return 1;
  let first = 0;
  while (!(R & (1 << first))) first++;
  let s = 0;
  for (let k = first + 1; k < n; k++) {
    if (!(R & (1 << k)) || out[k] !== out[first]) continue;
    s += sb2 * wickDelta(R & ~(1 << first) & ~(1 << k), n, out, sb2);
  }
  return s;
}

/** Calls `f` with every set partition of the positions in `mask` (blocks as bitmasks). */
function forEachPartition(mask: number, n: number, f: (blocks: number[]) => void): void {
  const blocks: number[] = [];
  const rec = (rest: number): void => {
    if (rest === 0) {
      f(blocks);
      return;
    }
    let first = 0;
    while (!(rest & (1 << first))) first++;
    const others = rest & ~(1 << first);
    // the block of `first`: first ∪ any subset of the others
    for (let sub = others; ; sub = (sub - 1) & others) {
      blocks.push((1 << first) | sub);
      rec(others & ~sub);
      blocks.pop();
      if (sub === 0) break;
    }
  };
  if (n > 0) rec(mask);
  else f(blocks);
}

/** Single-neuron moments of every order (sorted point multisets) with error bounds. */
function neuronMoments(fam: SingleHiddenInfo | SingleNeuronFamily, points: readonly (readonly number[])[], maxOrder: number, mu0: number): (ps: number[]) => Bounded {
  const id = fam.activation.id;
  const bias = fam.bias !== false;
  const dIn = fam.dIn;
  const u = UNIT_ROUNDOFF;
  const P = points.length;
  if (id === 'exp' || id === 'gauss') {
    // z_i = W0·x_i + b0: mean m_i = μ0 Σ_k x_ik, covariance C_ij = σ_b² + σ_w² x_i·x_j / d_in; φ(z; x) = e^{z − c(x)}.
    const m = points.map((x) => mu0 * x.reduce((a, b) => a + b, 0));
    const C = points.map((x) => points.map((y) => (bias ? fam.sigmaB * fam.sigmaB : 0) + (fam.sigmaW * fam.sigmaW * x.reduce((s, xi, k) => s + xi * y[k], 0)) / dIn));
    const c = points.map((x) => -Math.log(fam.phi(0, x)));
    return (ps) => {
      let e = 0;
      let abs = 0;
      for (const i of ps) {
        e += m[i] - c[i];
        abs += Math.abs(m[i]) + Math.abs(c[i]);
        for (const j of ps) {
          e += 0.5 * C[i][j];
          abs += 0.5 * Math.abs(C[i][j]);
        }
      }
      const K = ps.length * ps.length + 2 * ps.length;
      const value = Math.exp(e);
      return { value, error: value * ((K + dIn + 4) * u * abs + 2 * u) };
    };
  }
  if (mu0 !== 0) throw new UsageError(`--input-mean: the exact engine has W0 means only for the closed-form families (gauss-net, exp-net), not ${id}; use --engine core`, '--input-mean');
  // Quadrature over the points plus one extra point (index P) where φ ≡ 1, so odd orders are even tuples with it.
  const extra = new Array<number>(dIn).fill(0);
  const wrap = (phi: (z: number, x: ArrayLike<number>) => number): SingleNeuronFamily => ({
    activation: fam.activation,
    phi: (z, x) => (x === extra ? 1 : phi(z, x)),
    sigmaW: fam.sigmaW,
    sigmaB: fam.sigmaB,
    dIn,
    dOut: 1,
    bias,
  });
  const all = [...points, extra];
  const order = maxOrder % 2 === 0 ? maxOrder : maxOrder + 1;
  const run = (family: SingleNeuronFamily, q: number) => {
    try {
      return singleNeuronMoments(family, all, order, { method: 'quadrature', quadraturePoints: q });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`--engine exact: the single-neuron moments of ${id} at these inputs need a Gaussian integral of rank > 2 (only Monte Carlo would do it); use --engine core`, '--engine');
      throw e;
    }
  };
  const phi = (z: number, x: ArrayLike<number>) => fam.phi(z, x);
  const q16 = run(wrap(phi), 16);
  const q12 = run(wrap(phi), 12);
  const qAbs = run(wrap((z, x) => Math.abs(fam.phi(z, x))), 16);
  const layout = correlatorLayout(P + 1, 1, [order]);
  return (ps) => {
    const t = ps.length % 2 === 0 ? ps : [...ps, P];
    if (t.length === 0) return { value: 1, error: 0 };
    const idx = layout.offset(t.length) + tupleRank(P + 1, t);
    const value = q16.mean[idx];
    return { value, error: Math.abs(value - q12.mean[idx]) + q16.nodes * u * qAbs.mean[idx] };
  };
}

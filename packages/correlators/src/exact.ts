import { correlatorLayout, partitionSum, type CorrelatorLayout } from './layout';
import { doubleFactorialOdd, mobius } from './partitions';
import { singleNeuronMoments, type NeuronMomentOptions, type NeuronMoments, type SingleNeuronFamily } from './neuron-moments';
import { tupleRank } from './tuples';

/**
 * Exact finite-width correlators of a one-hidden-layer network, as polynomials in 1/N.
 *
 * Derivation (docs/experiments/nn-qft.md has the long form). f_a(x) = Σ_{j=1}^N W1_{aj} φ_j(x) + b1_a with the N
 * hidden units iid: u_j = (W1_{aj} φ_j(x))_{a,x} are iid random vectors and f = Σ_j u_j + b1. Joint cumulants of
 * independent sums add, so for every block B of (input, output) points
 *
 *   κ_B(f) = N κ_B(u) + [|B| = 2] σ_b² δ_ab.
 *
 * With W1 ~ N(0, σ_w²/N) independent of φ, E[Π_{k∈S} u_k] = E[Π_k W1_{a_k}] M_S where M_S = E[Π_{k∈S} φ(z(x_k))] is
 * the single-neuron moment and E[Π_k W1_{a_k}] = Π_a (m_a − 1)!! (σ_w²/N)^{m_a/2} (m_a = multiplicity of output a;
 * zero if any is odd). So every u-moment of order m carries N^{−m/2}, hence κ_B(u) = N^{−|B|/2} κ̃_B with κ̃ the
 * cumulants of the unscaled ũ = w φ (w ~ N(0, σ_w²)), obtained from m̃_S = σ_w^{|S|} Π_a (m_a − 1)!! M_S by Möbius
 * inversion over even partitions (odd moments vanish). Then
 *
 *   κ_B(f) = N^{1 − |B|/2} κ̃_B  (|B| >= 4),    κ_B(f) = K_B = σ_w² M_B δ_ab + σ_b² δ_ab  (|B| = 2, any N),
 *
 * and the moment–cumulant formula over even partitions π of the n points gives the exact polynomial
 *
 *   G^(n)(N) = Σ_{p=0}^{n/2−1} c_p N^{−p},   c_p = Σ_{π: n/2 − |π| = p} Π_{B∈π} κ̂_B,   κ̂_2 = K, κ̂_{2k} = κ̃_{2k}.
 *
 * c_0 is Wick's theorem with K (the GP), c_1 the single-4-block terms (Σ κ̃_4 K...), and the connected n-point
 * function is the single block, κ̃_n N^{1−n/2}: 1/N for n = 4, 1/N² for n = 6. This is the moment form of the
 * "set partitions of the tuple into neuron blocks" expansion with falling factorials N(N−1)...: both are exact for
 * every N >= 1.
 */
export interface ExactCorrelators {
  layout: CorrelatorLayout;
  moments: NeuronMoments;
  /** Per order n: c_0..c_{n/2−1}, each a Float64Array over the order's tuples. */
  coefficients: Map<number, Float64Array[]>;
  /** Coefficients on each jackknife replica of Monte-Carlo moments (empty for quadrature / closed form). */
  replicaCoefficients: Map<number, Float64Array[]>[];
  /** The stats vector (all stored even orders) at width N. */
  valuesAt(width: number): Float64Array;
  /** Replicas of {@link valuesAt} (jackknife), empty when the moments are exact. */
  replicasAt(width: number): Float64Array[];
  /** The 2-point function K over level-2 tuples (δ_ab K(x_i, x_j)); the same at every N. */
  kernelLevel: Float64Array;
  /**
   * Cumulants of the unscaled unit ũ = wφ per stored order: κ̂_2 = K (with σ_b²), κ̂_n = κ̃_n (n >= 4). The connected
   * n-point function is exactly κ̃_n N^(1−n/2): no cancellation between G6, ΣG4K and ΣKKK.
   */
  cumulants: Map<number, Float64Array>;
  /** Jackknife replicas of {@link cumulants} (single-neuron Monte Carlo only). */
  replicaCumulants: Map<number, Float64Array>[];
  /** Connected n-point functions at width N (n >= 4) straight from the cumulants: κ̃_n N^(1−n/2). */
  connectedAt(width: number): Map<number, Float64Array>;
  /**
   * Absolute error bound on κ̃_n per tuple (n >= 4), for deterministic moments: the difference between the 16- and the
   * 12-point polar Gauss-Legendre rules (quadrature; the coarser rule's error bounds the finer one's for an
   * exponentially convergent rule) plus float64 rounding 8·2⁻⁵²·Σ|terms| of the Möbius sum (closed form: rounding
   * only). Scale by N^(1−n/2) for the connected function. Empty for Monte-Carlo moments (use the replicas).
   */
  cumulantError: Map<number, Float64Array>;
}

/** Options of {@link exactCorrelators}. */
export interface ExactOptions extends NeuronMomentOptions {
  /** Even orders (e.g. [2, 4, 6]). */
  orders: readonly number[];
}

/**
 * Exact-in-N correlators of a one-hidden-layer family at the given inputs: single-neuron moments (closed form,
 * quadrature or single-neuron Monte Carlo, see {@link singleNeuronMoments}) combined into the polynomial in 1/N.
 *
 * When to use: as the reference for ensemble Monte Carlo, and as a much faster estimator of finite-width
 * correlators (one moment computation serves every width).
 *
 * Shapes: inputs [P, d_in]; values over non-decreasing tuples of the combined index s = i · d_out + a.
 *
 * @example
 * const ex = exactCorrelators(neuronFamily('erf', { dIn: 1 }), [[-1], [0.2], [1]], { orders: [2, 4] });
 * ex.valuesAt(10); // G2 then G4 over their tuples, at width 10
 */
export function exactCorrelators(family: SingleNeuronFamily, inputs: readonly (readonly number[])[], options: ExactOptions): ExactCorrelators {
  const layout = correlatorLayout(inputs.length, family.dOut, options.orders);
  const moments = singleNeuronMoments(family, inputs, layout.maxOrder, options);
  const sb2 = family.bias === false ? 0 : family.sigmaB * family.sigmaB;
  const cumulants = cumulantsFrom(layout, moments.layout, moments.mean, family.sigmaW, sb2);
  const coefficients = coefficientsFromCumulants(layout, cumulants);
  const replicaCumulants = (moments.replicas ?? []).map((r) => cumulantsFrom(layout, moments.layout, r, family.sigmaW, sb2));
  const replicaCoefficients = replicaCumulants.map((c) => coefficientsFromCumulants(layout, c));
  const cumulantError = new Map<number, Float64Array>();
  if (moments.method !== 'montecarlo') {
    const rounding = cumulantsFrom(layout, moments.layout, moments.mean, family.sigmaW, sb2, true);
    const coarse = moments.method === 'quadrature' ? cumulantsFrom(layout, moments.layout, singleNeuronMoments(family, inputs, layout.maxOrder, { ...options, quadraturePoints: 12 }).mean, family.sigmaW, sb2) : undefined;
    for (const k of layout.stored) {
      if (k < 4) continue;
      const c = cumulants.get(k)!;
      const abs = rounding.get(k)!;
      cumulantError.set(k, Float64Array.from(c, (v, t) => 8 * 2 ** -52 * abs[t] + (coarse ? Math.abs(v - coarse.get(k)![t]) : 0)));
    }
  }
  const evalAt = (coefs: Map<number, Float64Array[]>, N: number): Float64Array => {
    if (!(N >= 1)) throw new RangeError(`exactCorrelators: width must be >= 1, got ${N}`);
    const out = new Float64Array(layout.statCount);
    for (const k of layout.stored) {
      const cs = coefs.get(k)!;
      const off = layout.offset(k);
      for (let t = 0; t < cs[0].length; t++) {
        let v = 0;
        for (let p = cs.length - 1; p >= 0; p--) v = v / N + cs[p][t];
        out[off + t] = v;
      }
    }
    return out;
  };
  return {
    layout,
    moments,
    coefficients,
    replicaCoefficients,
    valuesAt: (N) => evalAt(coefficients, N),
    replicasAt: (N) => replicaCoefficients.map((c) => evalAt(c, N)),
    kernelLevel: coefficients.get(2)![0],
    cumulants,
    replicaCumulants,
    connectedAt: (N) => {
      if (!(N >= 1)) throw new RangeError(`exactCorrelators: width must be >= 1, got ${N}`);
      const out = new Map<number, Float64Array>();
      for (const k of layout.stored) if (k >= 4) out.set(k, cumulants.get(k)!.map((v) => v * Math.pow(N, 1 - k / 2)));
      return out;
    },
    cumulantError,
  };
}

/**
 * κ̂ per stored order from single-neuron moments (see the module comment). With `absolute`, the same Möbius sums
 * over |m̃| with |μ| weights (Σ|terms|, the scale of the float64 rounding error).
 */
function cumulantsFrom(layout: CorrelatorLayout, inLayout: CorrelatorLayout, M: Float64Array, sigmaW: number, sb2: number, absolute = false): Map<number, Float64Array> {
  const d = layout.dOut;
  const P = layout.points;
  // m̃ over combined tuples.
  const mt = new Map<number, Float64Array>();
  for (const k of layout.stored) {
    const lvl = layout.tree.levels[k - 1];
    const v = new Float64Array(lvl.count);
    const ins: number[] = new Array(k);
    const mult = new Array<number>(d);
    for (let t = 0; t < lvl.count; t++) {
      mult.fill(0);
      for (let j = 0; j < k; j++) {
        const s = lvl.indices[t * k + j];
        ins[j] = Math.floor(s / d);
        mult[s % d]++;
      }
      let w = Math.pow(sigmaW, k);
      for (const m of mult) w *= m === 0 ? 1 : doubleFactorialOdd(m);
      v[t] = w === 0 ? 0 : w * M[inLayout.offset(k) + tupleRank(P, ins)];
      if (absolute) v[t] = Math.abs(v[t]);
    }
    mt.set(k, v);
  }
  // κ̃ by Möbius inversion; κ̂_2 = K.
  const kh = new Map<number, Float64Array>();
  for (const k of layout.stored) {
    const kap = partitionSum(layout, k, (s) => mt.get(s)!, (_p, pi) => (absolute ? Math.abs(mobius(pi.length)) : mobius(pi.length)));
    if (k === 2 && !absolute) {
      const lvl = layout.tree.levels[1];
      for (let t = 0; t < lvl.count; t++) if (lvl.indices[2 * t] % d === lvl.indices[2 * t + 1] % d) kap[t] += sb2;
    }
    kh.set(k, kap);
  }
  return kh;
}

/** c_p per stored order from the cumulants κ̂ (moment–cumulant formula over even partitions, grouped by 1/N power). */
function coefficientsFromCumulants(layout: CorrelatorLayout, kh: Map<number, Float64Array>): Map<number, Float64Array[]> {
  const out = new Map<number, Float64Array[]>();
  for (const n of layout.stored) {
    const cs: Float64Array[] = [];
    for (let p = 0; p < n / 2; p++) cs.push(partitionSum(layout, n, (s) => kh.get(s)!, (_q, pi) => (n / 2 - pi.length === p ? 1 : 0)));
    out.set(n, cs);
  }
  return out;
}

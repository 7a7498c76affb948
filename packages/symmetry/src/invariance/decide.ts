import { normalCdf } from '@nnsym/core';
import { normalTwoSidedP, resolvableEigenTol } from '@nnsym/numerics';
import type { InvarianceAccumulator } from './accumulator';

/**
 * Tail diagnostics of the per-network values v_m that carry a test's evidence (the Hotelling direction
 * v_m = Σ_a w_a d_{m,a} of one order, see `InvarianceAccumulator.directional`). The test refers √T² = t(v) to a
 * normal / F law, which needs the variance of v to be finite and estimated from many networks.
 */
export interface TailDiagnostics {
  /** Networks the diagnostics were computed on (the first `storedNetworks`; all of them up to the storage cap). */
  networks: number;
  /** Sample kurtosis m4 / m2² of v (3 for a normal). */
  kurtosis: number;
  /** (Σ r²)² / Σ r⁴ with r = v − v̄: how many networks the variance estimate effectively rests on (= n / kurtosis). */
  effectiveSampleSize: number;
  /** Hill estimate α̂ of the tail index of |r| from its k largest values (variance finite iff α > 2). */
  tailIndex: number;
  /** k of the Hill estimate: ⌊n^0.6⌋ ({@link HILL_EXPONENT}) clamped to [10, 5000]. */
  tailK: number;
  /**
   * One-sided p of H0: α ≥ 2 (finite variance) against α < 2, from √k (α̂/2 − 1) ~ N(0, 1) under α = 2
   * (asymptotic normality of Hill's estimator, Hall 1982). Small: the data say the variance is infinite.
   */
  infiniteVarianceP: number;
  /** One-sample t of v on the first and the second half of the stored networks. */
  halves: [number, number];
  /** The two halves give t of the same sign. */
  halvesAgree: boolean;
  /** Hill index on the first quarter of the stored networks (for the ensemble size that would decide). */
  tailIndexQuarter: number;
}

/** The test of one correlator order. */
export interface OrderTest {
  order: number;
  /** Components of this order (group elements × tuples). */
  components: number;
  /** Components with non-zero variance. */
  live: number;
  /** Rank kept by the cut-off (degrees of freedom of T²). */
  rank: number;
  /** Hotelling T² on this order's components (rank cut-off √(K/M)·λ_max on its own correlation matrix). */
  statistic: number;
  /** F(rank, M − rank) p-value of T². */
  pValue: number;
  /** max |z| over this order's components and its Bonferroni p (reported, not used in the verdict). */
  maxAbsZ: number;
  bonferroniPValue: number;
  /** Holm-adjusted p over the orders. */
  adjustedPValue: number;
  /** adjustedPValue < α. */
  rejects: boolean;
  /** Tail diagnostics of this order's Hotelling direction. */
  diagnostics: TailDiagnostics;
  /**
   * What the trust rests on: the Hotelling direction, or (when its diagnostics fail) one component whose own z-test
   * rejects at the order's Holm level with Bonferroni over the order's components and whose own differences pass.
   */
  supportedBy: 'hotelling' | { component: number } | null;
  /** Whether the diagnostics support a normal-theory p-value: no significant evidence of infinite variance, halves agree. */
  supported: boolean;
  /** Why not, when `supported` is false. */
  reason?: string;
}

/** The three-way decision from per-order tests. */
export interface InvarianceDecision {
  verdict: 'invariant' | 'broken' | 'inconclusive';
  /** Holm-combined p: min over orders of the adjusted p (= L · min p for L orders). */
  pValue: number;
  orders: OrderTest[];
  /** Why `inconclusive` (or why a rejection was not trusted); empty otherwise. */
  reason: string;
  /**
   * For `inconclusive`: the ensemble size M that would decide, extrapolated from the growth of the Hill index between a
   * quarter and all of the networks (log-linear in M), or 4M when the halves disagree; null when the tail index does not
   * grow with M (no ensemble size will do: a wider network, smaller group elements or a lower order will).
   */
  suggestedEnsemble: number | null;
}

/** Options of {@link decideInvariance}. */
export interface DecideOptions {
  alpha?: number;
  /** Level of the Hill test of infinite variance that makes a rejection `inconclusive` (default 0.05). */
  tailLevel?: number;
}

/**
 * k = ⌊n^0.6⌋ order statistics for Hill's estimator. Chosen by measurement among n^0.5, n^0.6 and n^(2/3)
 * (docs/experiments/symmetry-via-duality.md, "The verdict since issue 16": reference engine, M = 5000, with the
 * Hotelling-direction gate alone, the translation null gave 11, 3 and 0 "broken" in 100, the μ = 0.1 power case 87,
 * 85 and 76): for log-normal-like tails the local tail index rises with the threshold,
 * so a deeper k sees more of the heavy part; n^(2/3) is the MSE-optimal rate for second-order parameter ρ = 1.
 */
export const HILL_EXPONENT = 0.6;

const hill = (sortedDesc: Float64Array, k: number): number => {
  const ref = sortedDesc[k];
  if (!(ref > 0)) return Infinity;
  let h = 0;
  for (let i = 0; i < k; i++) h += Math.log(sortedDesc[i] / ref);
  return h > 0 ? k / h : Infinity;
};

function tStat(v: Float64Array, from: number, to: number): number {
  const n = to - from;
  if (n < 3) return 0;
  let s = 0;
  for (let i = from; i < to; i++) s += v[i];
  const m = s / n;
  let q = 0;
  for (let i = from; i < to; i++) q += (v[i] - m) ** 2;
  const se = Math.sqrt(q / (n - 1) / n);
  return se > 0 ? m / se : 0;
}

function hillOf(v: Float64Array, n: number): { alpha: number; k: number } {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i];
  mean /= n;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.abs(v[i] - mean);
  a.sort();
  a.reverse();
  const k = Math.max(10, Math.min(5000, Math.floor(n ** HILL_EXPONENT), n - 1));
  return { alpha: hill(a, k), k };
}

/**
 * Tail diagnostics of per-network values v (see {@link TailDiagnostics}).
 *
 * @example
 * tailDiagnostics(Float64Array.from({ length: 4000 }, () => rng.normal())).tailIndex; // > 2 (light tail)
 */
export function tailDiagnostics(v: Float64Array): TailDiagnostics {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i];
  mean /= Math.max(n, 1);
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const r = (v[i] - mean) ** 2;
    s2 += r;
    s4 += r * r;
  }
  const { alpha, k } = n > 20 ? hillOf(v, n) : { alpha: Infinity, k: 0 };
  const quarter = Math.floor(n / 4);
  const aq = quarter > 20 ? hillOf(v.subarray(0, quarter), quarter).alpha : NaN;
  const half = Math.floor(n / 2);
  const halves: [number, number] = [tStat(v, 0, half), tStat(v, half, n)];
  return {
    networks: n,
    kurtosis: s2 > 0 ? (n * s4) / (s2 * s2) : 0,
    effectiveSampleSize: s4 > 0 ? (s2 * s2) / s4 : n,
    tailIndex: alpha,
    tailK: k,
    infiniteVarianceP: Number.isFinite(alpha) && k > 0 ? normalCdf(Math.sqrt(k) * (alpha / 2 - 1)) : 1,
    halves,
    halvesAgree: Math.sign(halves[0]) === Math.sign(halves[1]),
    tailIndexQuarter: aq,
  };
}

/** The projection v_m = Σ_a w_a d_{m,a} of the stored rows. */
function project(rows: Float32Array, k: number, which: readonly number[], w: Float64Array): Float64Array {
  const n = rows.length / Math.max(k, 1);
  const v = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    let s = 0;
    for (let a = 0; a < which.length; a++) if (w[a] !== 0) s += w[a] * rows[m * k + which[a]];
    v[m] = s;
  }
  return v;
}

/**
 * The M at which the Hill index of v, growing log-linearly in M from a quarter of the networks to all of them (as it
 * does for log-normal-like tails, whose local tail index rises with the threshold), would pass the finite-variance
 * test; null when it does not grow (a genuinely infinite-variance tail: no ensemble size decides it).
 */
function ensembleForTail(d: TailDiagnostics, M: number): number | null {
  const slope = (d.tailIndex - d.tailIndexQuarter) / Math.log(4);
  if (!(slope > 0.02)) return null;
  // Pass: α̂ ≥ 2 (1 − 1.645/√k); aim at α̂ = 2 (k grows with M, so this errs towards enough networks).
  const target = M * Math.exp((2 - d.tailIndex) / slope);
  return Number.isFinite(target) && target < 1e12 ? Math.max(2 * M, Math.ceil(target / 1000) * 1000) : null;
}

/**
 * Decide invariant / broken / inconclusive from an accumulator, one test per correlator order combined by Holm's rule.
 *
 * Per order n: Hotelling's T² on that order's components alone (rank cut-off √(K_n/M)·λ_max of its own correlation
 * matrix), F p-value. The orders' p-values are Holm-adjusted (familywise error ≤ α under any dependence between
 * orders), so the power at each order is that of the order's own test at level α/L, instead of one joint cut-off
 * on a mixed 2+4 matrix whose order-4 eigenvalues hide the order-2 signal.
 *
 * A rejecting order is trusted only when the per-network projection v it rests on (the Hotelling direction, whose
 * one-sample t is √T²) has tails that a normal-theory p-value can stand on: Hill's estimate of the tail index of v
 * does not say, at level `tailLevel`, that the variance is infinite (α < 2), and the two halves of the ensemble give
 * t of the same sign. Otherwise that order is `inconclusive` (the CLT is not in force at this M: for log-normal-like
 * products the sample mean of a typical ensemble misses the rare networks that carry E[d], and T² is then large in
 * most ensembles of an exactly invariant density). Verdict: `broken` if a trusted order rejects; `inconclusive` if
 * only untrusted orders reject; else `invariant`.
 *
 * When to use: behind {@link invarianceVerdict} (the default method `per-order`).
 *
 * @example
 * const d = decideInvariance(acc); d.verdict; d.orders.map((o) => [o.order, o.pValue, o.rank, o.supported]);
 */
export function decideInvariance(acc: InvarianceAccumulator, options: DecideOptions = {}): InvarianceDecision {
  const alpha = options.alpha ?? 0.05;
  const tailLevel = options.tailLevel ?? 0.05;
  const d = acc.design;
  const rows = acc.storedRows();
  const { estimate, stderr } = acc.deltas();
  const raw = d.orders.map((n) => {
    const which = d.components.map((c, j) => (c.order === n ? j : -1)).filter((j) => j >= 0);
    const h = acc.directional(which, resolvableEigenTol);
    let maxAbsZ = 0;
    let minP = 1;
    let tested = 0;
    for (const j of which) {
      if (!(stderr[j] > 0)) continue;
      const z = Math.abs(estimate[j]) / stderr[j];
      maxAbsZ = Math.max(maxAbsZ, z);
      minP = Math.min(minP, normalTwoSidedP(z));
      tested++;
    }
    const diagnostics = tailDiagnostics(project(rows, acc.k, which, h.weights));
    return { order: n, components: which.length, live: h.live, rank: h.dof, statistic: h.statistic, pValue: h.pValue, maxAbsZ, bonferroniPValue: Math.min(1, minP * Math.max(tested, 1)), diagnostics, which, tested };
  });
  // Holm step-down over the L orders.
  const L = raw.length;
  const byP = raw.map((r, i) => i).sort((a, b) => raw[a].pValue - raw[b].pValue);
  const adjusted = new Array<number>(L);
  let running = 0;
  byP.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (L - rank) * raw[i].pValue));
    adjusted[i] = running;
  });
  const holmFactor = new Array<number>(L);
  byP.forEach((i, rank) => (holmFactor[i] = L - rank));
  const M = acc.count;
  const check = (dg: TailDiagnostics, what: string): string[] => {
    const reasons: string[] = [];
    if (dg.infiniteVarianceP < tailLevel) {
      reasons.push(`${what} looks infinite-variance (Hill tail index ${dg.tailIndex.toFixed(2)} from the top ${dg.tailK} of ${dg.networks} networks, P(α ≥ 2) = ${dg.infiniteVarianceP.toExponential(1)}; kurtosis ${dg.kurtosis.toFixed(0)}, variance effectively from ${dg.effectiveSampleSize.toFixed(1)} networks)`);
    }
    if (!dg.halvesAgree) reasons.push(`the two halves of the ensemble disagree in sign on ${what} (t = ${dg.halves[0].toFixed(2)}, ${dg.halves[1].toFixed(2)})`);
    return reasons;
  };
  const orders: OrderTest[] = raw.map((r, i) => {
    const rejects = adjusted[i] < alpha;
    const reasons = check(r.diagnostics, `order ${r.order}: the Hotelling direction of the paired differences`);
    let supported = reasons.length === 0;
    let supportedBy: OrderTest['supportedBy'] = supported ? 'hotelling' : null;
    if (rejects && !supported) {
      // Second route: a single component whose own z-test rejects at the order's Holm level (Bonferroni over the
      // order's components) and whose own differences pass the same diagnostics.
      const level = alpha / holmFactor[i] / Math.max(r.tested, 1);
      for (const j of r.which) {
        if (!(stderr[j] > 0) || !(normalTwoSidedP(Math.abs(estimate[j]) / stderr[j]) < level)) continue;
        const col = new Float64Array(rows.length / Math.max(acc.k, 1));
        for (let m = 0; m < col.length; m++) col[m] = rows[m * acc.k + j];
        if (check(tailDiagnostics(col), '').length === 0) {
          supported = true;
          supportedBy = { component: j };
          break;
        }
      }
    }
    const { which: _w, tested: _t, ...rest } = r;
    return { ...rest, adjustedPValue: adjusted[i], rejects, supported, supportedBy, ...(supported ? {} : { reason: reasons.join('; ') }) };
  });
  const pValue = Math.min(1, ...adjusted);
  const trusted = orders.filter((o) => o.rejects && o.supported);
  const untrusted = orders.filter((o) => o.rejects && !o.supported);
  if (trusted.length > 0) return { verdict: 'broken', pValue, orders, reason: '', suggestedEnsemble: null };
  if (untrusted.length > 0) {
    const sizes = untrusted.map((o) => (o.diagnostics.infiniteVarianceP < tailLevel ? ensembleForTail(o.diagnostics, M) : 4 * M));
    const suggestedEnsemble = sizes.some((s) => s === null) ? null : Math.max(...(sizes as number[]));
    const reason = `rejected (p = ${pValue.toExponential(2)}) but the data cannot support it: ${untrusted.map((o) => o.reason).join('; ')}`;
    return { verdict: 'inconclusive', pValue, orders, reason, suggestedEnsemble };
  }
  return { verdict: 'invariant', pValue, orders, reason: '', suggestedEnsemble: null };
}

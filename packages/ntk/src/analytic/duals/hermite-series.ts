import { panelRule } from '../gaussian-expectation';
import type { ActivationDual, ScalarActivation } from '../types';
import { quadratureDual } from './quadrature';

/** Hermite coefficients of one scalar function at one variance, with the Parseval remainder. */
interface Coefficients {
  a: Float64Array;
  /** E[φ(√q ξ)²] − Σ_k a_k² (>= 0 up to rounding): the energy beyond the last term. */
  rest: number;
  /** E[φ(√q ξ)²]. */
  norm2: number;
}

/**
 * The dual of a scalar activation by its Hermite (Mehler) expansion, with a rigorous fallback (the approach of
 * Han et al. 2022, "Fast neural kernel embeddings for general activations", arXiv 2209.04121, used by
 * neural-tangents): with orthonormal Hermite polynomials h_k(ξ) = He_k(ξ)/√k! and a_k(q) = E[φ(√q ξ) h_k(ξ)],
 *
 *   E[φ(u) φ(v)] = Σ_k ρ^k a_k(q1) a_k(q2),   ρ = c / √(q1 q2)   (Mehler's formula).
 *
 * Coefficients are computed once per variance q (cached; one 1-D quadrature of ~300 nodes) so each pair costs
 * K multiply-adds instead of ~10⁴ function evaluations. The truncation error after K terms is bounded by
 * Cauchy–Schwarz and Parseval: |tail| <= |ρ|^{K+1} √(R(q1) R(q2)), R(q) = E[φ²] − Σ_{k<=K} a_k². When the bound
 * exceeds `tol` (ρ -> ±1 with a kinked or saturating φ), the pair falls back to the 2-D panel quadrature, so the
 * accuracy never depends on the series converging. Same for φ' in the NTK term.
 *
 * @example
 * const d = hermiteSeriesDual({ id: 'tanh', scalar: Math.tanh, derivative: (z) => 1 - Math.tanh(z) ** 2 });
 * d.phiPhi(1, 1, 0.3);
 */
export function hermiteSeriesDual(act: ScalarActivation, options: { terms?: number; tol?: number; panelOrder?: number } = {}): ActivationDual & { stats: { series: number; fallback: number } } {
  const K = options.terms ?? 96;
  const tol = options.tol ?? 1e-11;
  const fallback = quadratureDual(act, { panelOrder: options.panelOrder });
  const phi = (z: number) => act.scalar(z);
  const derivative = act.derivative?.bind(act);
  const dphi =
    derivative ??
    ((z: number) => {
      const h = 1e-5 * Math.max(1, Math.abs(z));
      return (act.scalar(z + h) - act.scalar(z - h)) / (2 * h);
    });
  const bp = act.breakpoints ?? [];
  const dbp = act.derivativeBreakpoints ?? bp;
  const stats = { series: 0, fallback: 0 };
  const caches = [new Map<number, Coefficients>(), new Map<number, Coefficients>()];

  const coefficients = (which: 0 | 1, q: number): Coefficients => {
    const cache = caches[which];
    const hit = cache.get(q);
    if (hit) return hit;
    const f = which === 0 ? phi : dphi;
    const s = Math.sqrt(q);
    const breaks = s > 0 ? (which === 0 ? bp : dbp).map((b) => b / s) : [];
    const { x, w } = panelRule(breaks, 24, 1.5);
    const a = new Float64Array(K + 1);
    let norm2 = 0;
    for (let i = 0; i < x.length; i++) {
      const fi = f(s * x[i]);
      const wf = w[i] * fi;
      norm2 += wf * fi;
      let hPrev = 0;
      let h = 1;
      for (let k = 0; k <= K; k++) {
        a[k] += wf * h;
        const hNext = (x[i] * h - Math.sqrt(k) * hPrev) / Math.sqrt(k + 1);
        hPrev = h;
        h = hNext;
      }
    }
    let sum = 0;
    for (let k = 0; k <= K; k++) sum += a[k] * a[k];
    const out = { a, rest: Math.max(0, norm2 - sum), norm2 };
    if (cache.size > 20000) cache.clear();
    cache.set(q, out);
    return out;
  };

  const series = (which: 0 | 1, q1: number, q2: number, c: number): number | undefined => {
    if (!(q1 > 0 && q2 > 0)) return undefined;
    const A = coefficients(which, q1);
    const B = which === 0 && q1 === q2 ? A : coefficients(which, q2);
    const rho = Math.max(-1, Math.min(1, c / Math.sqrt(q1 * q2)));
    if (q1 === q2 && rho === 1) return A.norm2;
    const scale = Math.sqrt(A.norm2 * B.norm2) || 1;
    if (Math.abs(rho) ** (K + 1) * Math.sqrt(A.rest * B.rest) > tol * scale) return undefined;
    let acc = 0;
    let r = 1;
    for (let k = 0; k <= K; k++) {
      acc += r * A.a[k] * B.a[k];
      r *= rho;
    }
    return acc;
  };

  return {
    id: act.id,
    method: 'quadrature',
    reference: `Hermite (Mehler) series, ${K + 1} terms, truncation bound < ${tol} relative; else ${fallback.reference}`,
    phiPhi(q1, q2, c) {
      const v = series(0, q1, q2, c);
      if (v !== undefined) {
        stats.series++;
        return v;
      }
      stats.fallback++;
      return fallback.phiPhi(q1, q2, c);
    },
    dphiDphi(q1, q2, c) {
      const v = series(1, q1, q2, c);
      if (v !== undefined) {
        stats.series++;
        return v;
      }
      stats.fallback++;
      return fallback.dphiDphi(q1, q2, c);
    },
    stats,
  };
}

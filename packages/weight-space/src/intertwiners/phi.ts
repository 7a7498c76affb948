import { phiFormula, type PhiDescription } from './types';

/** Entries of fitted pairs: A's entry and the fitted B's entry at the same position. */
export interface PhiSample {
  a: number;
  b: number;
}

const close = (x: number, y: number, tol: number) => Math.abs(x - y) <= tol * Math.max(1, Math.abs(x), Math.abs(y));

/**
 * Identify phi from entry pairs (a_ij, B_ij) of fitted intertwiners (zero entries of A included: phi must map
 * them to 0). Candidates, in order of preference: identity, |.|, integer power d in 2..16. Preference matters
 * only when the evidence cannot tell them apart (for permutations alone every candidate gives phi(P) = P; with
 * sign flips alone |A| and A^(o 2) agree, and the paper's table writes |A|).
 */
export function inferPhi(samples: readonly PhiSample[], tol = 1e-6): PhiDescription {
  if (samples.length === 0) return { kind: 'none', formula: phiFormula('none') };
  const fits = (f: (a: number) => number) => samples.every((s) => close(s.b, f(s.a), tol));
  if (fits((a) => a)) return { kind: 'identity', formula: phiFormula('identity') };
  if (fits((a) => Math.abs(a))) return { kind: 'abs', formula: phiFormula('abs') };
  const ratios = samples
    .filter((s) => s.a !== 0 && s.b !== 0 && Math.abs(Math.log(Math.abs(s.a))) > 0.2)
    .map((s) => Math.log(Math.abs(s.b)) / Math.log(Math.abs(s.a)));
  if (ratios.length) {
    ratios.sort((x, y) => x - y);
    const d = Math.round(ratios[Math.floor(ratios.length / 2)]);
    if (d >= 2 && d <= 16 && fits((a) => (a === 0 ? 0 : Math.pow(a, d))))
      return { kind: 'power', degree: d, formula: phiFormula('power', d) };
  }
  return { kind: 'unknown', formula: phiFormula('unknown') };
}

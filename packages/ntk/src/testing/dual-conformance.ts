import { quadratureDual } from '../analytic/duals/quadrature';
import type { ActivationDual, ScalarActivation } from '../analytic/types';

const COVARIANCES: [number, number, number][] = [
  [1, 1, 0.5],
  [2, 0.5, -0.7],
  [0.7, 0.7, 0.69],
  [3, 1.5, 1.2],
  [0.4, 2, 0],
];

/**
 * Conformance checks for an activation dual (a closed-form NNGP/NTK contribution): symmetry in (q1, q2), the
 * Cauchy–Schwarz bound |E[φ(u)φ(v)]| <= √(E[φ(u)²] E[φ(v)²]) (likewise for φ'), and — when the scalar form is
 * given — agreement with 2-D quadrature of it to `tol` (default 1e-8). Returns a list of failures (empty when
 * conformant), so it runs under any test runner.
 *
 * @example
 * expect(runActivationDualConformance(myDual, { id: 'my-act', scalar: f, derivative: df })).toEqual([]);
 */
export function runActivationDualConformance(dual: ActivationDual, scalar?: ScalarActivation, tol = 1e-8): string[] {
  const failures: string[] = [];
  const ref = scalar ? quadratureDual(scalar) : undefined;
  for (const [q1, q2, c] of COVARIANCES) {
    for (const [name, f] of [['phiPhi', dual.phiPhi.bind(dual)], ['dphiDphi', dual.dphiDphi.bind(dual)]] as const) {
      const v = f(q1, q2, c);
      if (!Number.isFinite(v)) failures.push(`${name}(${q1}, ${q2}, ${c}) is not finite: ${v}`);
      if (Math.abs(v - f(q2, q1, c)) > 1e-12 * Math.max(1, Math.abs(v))) failures.push(`${name} is not symmetric at (${q1}, ${q2}, ${c})`);
      const bound = Math.sqrt(f(q1, q1, q1) * f(q2, q2, q2));
      if (Math.abs(v) > bound * (1 + 1e-12) + 1e-14) failures.push(`${name}(${q1}, ${q2}, ${c}) = ${v} violates Cauchy-Schwarz (bound ${bound})`);
      if (ref) {
        const r = name === 'phiPhi' ? ref.phiPhi(q1, q2, c) : ref.dphiDphi(q1, q2, c);
        if (Math.abs(v - r) > tol * Math.max(1, Math.abs(r))) failures.push(`${name}(${q1}, ${q2}, ${c}) = ${v} but quadrature of the scalar form gives ${r}`);
      }
    }
  }
  return failures;
}

/**
 * Weighted least squares fits of deviations against powers of 1/N, for the width sweep (the log-log slope is
 * core's `logLogSlope`, in @nnsym/core's numerics).
 */

/** Result of {@link fitInversePowers}. */
export interface InversePowerFit {
  /** Powers p of the basis N^{−p} (0 = intercept). */
  powers: number[];
  coefficients: number[];
  /** Standard errors √diag((Xᵀ W X)^{−1}) — from the input errors (not rescaled by χ²). */
  stderr: number[];
  /** Σ w (y − ŷ)², degrees of freedom = points − parameters. */
  chi2: number;
  dof: number;
  /** Points used (finite value and positive error, or unit weights when no point has an error). */
  points: number;
  /** `weighted` (1/σ²) or `unweighted` (all errors zero: exact values). */
  weights: 'weighted' | 'unweighted';
}

/**
 * Fit y(N) = Σ_p c_p N^{−p} by weighted least squares with weights 1/σ², e.g. powers [0, 1] for the 4-pt
 * deviation (a + b/N), [0, 2] for the connected 6-pt (a + c/N²). Points without a finite value are skipped; when no
 * point has a positive error (exact values) the fit is unweighted and the errors are zero.
 *
 * @example
 * fitInversePowers([10, 100, 1000], [0.5, 0.05, 0.005], [0.01, 0.001, 0.0001], [0, 1]).coefficients; // ≈ [0, 5]
 */
export function fitInversePowers(widths: readonly number[], y: readonly (number | null)[], sigma: readonly (number | null)[] | undefined, powers: readonly number[]): InversePowerFit {
  const rows: { x: number[]; y: number; w: number }[] = [];
  const anyError = sigma?.some((s) => s !== null && Number.isFinite(s) && s > 0) ?? false;
  widths.forEach((N, i) => {
    const v = y[i];
    if (v === null || !Number.isFinite(v)) return;
    const s = sigma?.[i];
    let w = 1;
    if (anyError) {
      if (s === null || s === undefined || !(s > 0) || !Number.isFinite(s)) return;
      w = 1 / (s * s);
    }
    rows.push({ x: powers.map((p) => Math.pow(N, -p)), y: v, w });
  });
  const k = powers.length;
  const A = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const b = new Array<number>(k).fill(0);
  for (const r of rows)
    for (let i = 0; i < k; i++) {
      b[i] += r.w * r.x[i] * r.y;
      for (let j = 0; j < k; j++) A[i][j] += r.w * r.x[i] * r.x[j];
    }
  const inv = invert(A);
  const coefficients = inv ? inv.map((row) => row.reduce((s, a, j) => s + a * b[j], 0)) : new Array<number>(k).fill(NaN);
  const stderr = inv && anyError ? inv.map((row, i) => Math.sqrt(Math.max(0, row[i]))) : new Array<number>(k).fill(anyError ? NaN : 0);
  let chi2 = 0;
  for (const r of rows) chi2 += r.w * (r.y - r.x.reduce((s, xi, i) => s + xi * coefficients[i], 0)) ** 2;
  return { powers: [...powers], coefficients, stderr, chi2, dof: rows.length - k, points: rows.length, weights: anyError ? 'weighted' : 'unweighted' };
}

function invert(A: number[][]): number[][] | undefined {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 1e-300)) return undefined;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j];
    }
  }
  return M.map((row) => row.slice(n));
}

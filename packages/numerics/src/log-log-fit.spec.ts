import { logLogSlope } from './log-log-fit';

describe('logLogSlope (shared weighted log-log power-law fit)', () => {
  it('recovers an exact power law y = 3 N^{-1/2} unweighted: slope −1/2, intercept log10 3, stderr 0', () => {
    const N = [16, 64, 256, 1024];
    const f = logLogSlope(N, N.map((n) => 3 / Math.sqrt(n)));
    expect(f.slope).toBeCloseTo(-0.5, 12);
    expect(f.intercept).toBeCloseTo(Math.log10(3), 12);
    expect(f.slopeStderr).toBe(0);
    expect(f.points).toBe(4);
  });

  it('two weighted points: the line through them, stderr √(σ₁² + σ₂²)/Δx in log units (closed form)', () => {
    // With two points the weighted fit interpolates them: slope = Δlog y / Δlog N, and
    // Var(slope) = (σ_log1² + σ_log2²) / (Δlog N)², σ_log = σ / (|y| ln 10) (delta method).
    const N = [10, 1000];
    const y = [0.2, 0.004];
    const s = [0.01, 0.0004];
    const f = logLogSlope(N, y, s);
    const dx = Math.log10(N[1]) - Math.log10(N[0]);
    expect(f.slope).toBeCloseTo((Math.log10(y[1]) - Math.log10(y[0])) / dx, 12);
    const sl = s.map((si, i) => si / (y[i] * Math.LN10));
    expect(f.slopeStderr).toBeCloseTo(Math.sqrt(sl[0] ** 2 + sl[1] ** 2) / dx, 12);
    // The slope and its error do not depend on the log base: redo the closed form in natural logs.
    const dxe = Math.log(N[1] / N[0]);
    expect(f.slopeStderr).toBeCloseTo(Math.sqrt((s[0] / y[0]) ** 2 + (s[1] / y[1]) ** 2) / dxe, 12);
  });

  it('weights 1/σ_log² pull the fit towards the precise points (cross-check with explicit normal equations)', () => {
    const N = [8, 32, 128];
    const y = [0.31, 0.25, 0.074]; // the middle point is off the line, so weighting matters
    const s = [0.002, 0.02, 0.001];
    const f = logLogSlope(N, y, s);
    // Independent reference: solve the 2×2 weighted normal equations [Σw Σwx; Σwx Σwx²][b a]ᵀ = [Σwy Σwxy]ᵀ by Cramer
    // in natural logs (weights (y/σ)²), then convert the intercept to base 10.
    const x = N.map(Math.log), ly = y.map(Math.log), w = y.map((v, i) => (v / s[i]) ** 2);
    const S = (g: (i: number) => number) => [0, 1, 2].reduce((a, i) => a + w[i] * g(i), 0);
    const [s0, s1, s2, t0, t1] = [S(() => 1), S((i) => x[i]), S((i) => x[i] * x[i]), S((i) => ly[i]), S((i) => x[i] * ly[i])];
    const det = s0 * s2 - s1 * s1;
    const slope = (s0 * t1 - s1 * t0) / det;
    expect(f.slope).toBeCloseTo(slope, 10);
    expect(f.slopeStderr).toBeCloseTo(Math.sqrt(s0 / det), 10);
    expect(f.intercept).toBeCloseTo((s2 * t0 - s1 * t1) / det / Math.LN10, 10);
    // The unweighted slope differs: the weights matter here.
    expect(Math.abs(logLogSlope(N, y).slope - f.slope)).toBeGreaterThan(1e-3);
  });

  it('skips null, zero and non-finite y, and points without σ when others have one; uses |y|', () => {
    const f = logLogSlope([10, 20, 40, 100, 1000, 5000], [-0.1, null, 0, Number.NaN, 0.001, 0.5], [0.001, 0.1, 0.1, 0.1, 0.00001, null]);
    expect(f.points).toBe(2);
    expect(f.slope).toBeCloseTo(-1, 12);
  });
});

/**
 * Distribution functions and a symmetric eigensolver for the invariance test statistics (float64, host).
 * Regularised incomplete gamma and beta functions by series / Lentz continued fractions (Numerical Recipes 3rd
 * ed., §6.2 and §6.4), accurate to ~1e-13 relative in the ranges used here.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    // Series for P(a, x).
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** P(χ²_k > x): survival function of the chi-square distribution with k degrees of freedom. */
export function chiSquareSf(x: number, k: number): number {
  return gammaQ(k / 2, x / 2);
}

/** Two-sided normal p-value 2 P(Z > |z|) = erfc(|z|/√2) = Q(1/2, z²/2). */
export function normalTwoSidedP(z: number): number {
  return gammaQ(0.5, (z * z) / 2);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function betaI(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(F_{d1,d2} > f): survival function of Fisher's F distribution. */
export function fSf(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  return betaI(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/**
 * Eigen-decomposition of a symmetric k×k matrix (row-major) by cyclic Jacobi rotations. Returns eigenvalues and
 * eigenvectors as the columns of `vectors` (row-major k×k). O(k³) per sweep; fine for k up to a few hundred.
 */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < k; p++) {
      diag += m[p * k + p] ** 2;
      for (let q = p + 1; q < k; q++) off += m[p * k + q] ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq === 0) continue;
        const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
  return { values, vectors: v };
}

/**
 * The quadratic form dᵀ Σ⁺ d with the pseudo-inverse of a covariance Σ (k×k), dropping eigen-directions with
 * λ ≤ relTol · λ_max. Returns the form and the rank kept.
 *
 * With the default relTol = 1e-9 this only drops exact null directions (invariants of every network, e.g.
 * Σ_a (ρf)_a² = Σ_a f_a², have zero variance). For a covariance *estimated* from M samples pass
 * {@link resolvableEigenTol}: directions below the estimation error of Σ are noise (see there).
 */
export function pseudoInverseForm(cov: Float64Array, d: Float64Array, k: number, relTol = 1e-9): { form: number; rank: number } {
  const { values, vectors } = symmetricEigen(cov, k);
  const lmax = Math.max(...values, 0);
  let form = 0;
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (!(values[j] > relTol * lmax) || lmax <= 0) continue;
    let proj = 0;
    for (let i = 0; i < k; i++) proj += vectors[i * k + j] * d[i];
    form += (proj * proj) / values[j];
    rank++;
  }
  return { form, rank };
}

/**
 * As {@link pseudoInverseForm}, also returning x = Σ⁺ d (on the kept eigen-directions), so that dᵀx is the form.
 *
 * @example
 * pseudoInverseSolve(Float64Array.of(2, 0, 0, 1), Float64Array.of(1, 1), 2).solution; // [0.5, 1]
 */
export function pseudoInverseSolve(cov: Float64Array, d: Float64Array, k: number, relTol = 1e-9): { form: number; rank: number; solution: Float64Array } {
  const { values, vectors } = symmetricEigen(cov, k);
  const lmax = Math.max(...values, 0);
  let form = 0;
  let rank = 0;
  const solution = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    if (!(values[j] > relTol * lmax) || lmax <= 0) continue;
    let proj = 0;
    for (let i = 0; i < k; i++) proj += vectors[i * k + j] * d[i];
    form += (proj * proj) / values[j];
    for (let i = 0; i < k; i++) solution[i] += (vectors[i * k + j] * proj) / values[j];
    rank++;
  }
  return { form, rank, solution };
}

/**
 * Relative eigenvalue cut-off c·√(k/M) for a k×k sample correlation matrix estimated from M paired differences
 * (use as `relTol` of {@link pseudoInverseForm}; c = 1 by default, capped at 0.5).
 *
 * Why: the sample covariance Σ̂ of M vectors in R^k errs from Σ by ‖Σ̂ − Σ‖ ≈ λ_max·√(k/M) in operator norm
 * (Marchenko–Pastur edge (1 ± √(k/M))² for isotropic data; Vershynin, "High-dimensional probability", Thm 4.7.1,
 * for sub-gaussian rows; heavier tails only make it worse). By Weyl's inequality every sample eigenvalue below that
 * scale is indistinguishable from estimation error, and by Davis–Kahan its eigenvector is not resolved either, so
 * dividing by it weighs ΔḠ along a direction whose variance is unknown. With exactly-invariant input actions the
 * paired differences of products of heavy-tailed outputs (gauss-net) have correlation eigenvalues from O(10) down
 * to 1e-8, and keeping those directions made T² over-reject (measured: 14/40 "broken" at α = 0.05 for gauss-net
 * translations, order 2, M = 20000). Keeping only λ > c√(k/M)·λ_max keeps the test valid: for Gaussian data the
 * sample mean is independent of the sample covariance, so a subspace chosen from Σ̂ alone leaves T² on it
 * Hotelling-distributed with the kept rank. The price is power along weak directions only; a breaking signal along
 * a strong direction is kept. Ledoit–Wolf shrinkage was the alternative; it keeps every direction with a biased
 * inverse whose null law is no longer F, so the p-value would need a simulation.
 */
export function resolvableEigenTol(k: number, M: number, c = 1): number {
  return Math.min(0.5, c * Math.sqrt(k / Math.max(M, 1)));
}

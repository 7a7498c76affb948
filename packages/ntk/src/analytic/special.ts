/**
 * Special functions in float64 for the analytic kernels and their tests (Math has no erf).
 */

/**
 * The error function erf(x) to ~1e-15 relative accuracy: Maclaurin series for |x| < 2.5, continued fraction of
 * erfc beyond (Abramowitz & Stegun 7.1.5 and 7.1.14).
 *
 * @example
 * erf(1); // 0.8427007929497149
 */
export function erf(x: number): number {
  const t = Math.abs(x);
  if (!Number.isFinite(t)) return Number.isNaN(x) ? NaN : Math.sign(x);
  let r: number;
  if (t < 2.5) {
    let term = t;
    let sum = t;
    for (let n = 1; n < 200; n++) {
      term *= (-t * t) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let f = 0;
    for (let n = 80; n >= 1; n--) f = n / 2 / (t + f);
    r = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  }
  return x < 0 ? -r : r;
}

/** Standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2. */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

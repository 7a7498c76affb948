/**
 * One-dimensional quadrature rules (pure float64), computed by Newton iteration on the three-term recurrences of
 * the orthogonal polynomials (Golub & Welsch 1969 give the same nodes by an eigenproblem; Newton is shorter and
 * accurate to ~1e-15 for n <= 200). Rules are cached per order.
 */

/** Nodes and weights of a quadrature rule. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const hermiteCache = new Map<number, QuadratureRule>();
const legendreCache = new Map<number, QuadratureRule>();

/**
 * Gauss–Hermite rule for the standard normal measure: sum_i w_i f(x_i) ≈ E[f(ξ)], ξ ~ N(0, 1) (probabilists'
 * weight exp(-x²/2)/√(2π); the weights sum to 1). Exact for polynomials of degree <= 2n - 1.
 *
 * Use for Gaussian expectations of smooth functions (erf, tanh, gelu, ...). For kinked functions (relu) prefer
 * {@link gaussLegendre} panels split at the kinks, which converge exponentially where Gauss–Hermite does not.
 *
 * @example
 * const { nodes, weights } = gaussHermite(32);
 * let m4 = 0; for (let i = 0; i < 32; i++) m4 += weights[i] * nodes[i] ** 4; // 3
 */
export function gaussHermite(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new RangeError(`gaussHermite: order must be an integer in [1, 400], got ${n}`);
  const cached = hermiteCache.get(n);
  if (cached) return cached;
  // Physicists' rule for weight exp(-x²) with orthonormal Hermite functions, then x -> √2 x, w -> w / √π.
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const PIM4 = Math.pow(Math.PI, -0.25);
  const m = (n + 1) >> 1;
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -1 / 6);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let it = 0; it < 200; it++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = w[n - 1 - i] = 2 / (pp * pp);
  }
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nodes[i] = Math.SQRT2 * x[n - 1 - i];
    weights[i] = w[n - 1 - i] / Math.sqrt(Math.PI);
  }
  const rule = { nodes, weights };
  hermiteCache.set(n, rule);
  return rule;
}

/**
 * Gauss–Legendre rule on [-1, 1]: sum_i w_i f(x_i) ≈ ∫ f. Exact for polynomials of degree <= 2n - 1.
 *
 * @example
 * const { nodes, weights } = gaussLegendre(8); // weights sum to 2
 */
export function gaussLegendre(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new RangeError(`gaussLegendre: order must be an integer in [1, 400], got ${n}`);
  const cached = legendreCache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-16) break;
    }
    nodes[i] = -z;
    nodes[n - 1 - i] = z;
    weights[i] = weights[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
  }
  const rule = { nodes, weights };
  legendreCache.set(n, rule);
  return rule;
}

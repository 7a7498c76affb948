import { Rng, type SeedKey } from '@nnsym/core';

/**
 * The mean-field shallow network of Maass & Fontbona (arXiv 2405.19995, eq. (1)): N units with parameters
 * theta_i = (a_i, w_i, b_i) in R x R^d x R, f_N(x) = (1/N) sum_i sigma_*(x; theta_i), sigma_*(x; theta) =
 * a sigma(w . x + b). A group G acting orthogonally on inputs acts on a unit by g.theta = (a, rho(g) w, b), so
 * sigma_*(g x; g theta) = sigma_*(x; theta) (the unit is jointly equivariant, the paper's standing assumption).
 *
 * Particles are stored row-major in one Float64Array [N, D] with D = d + 2, layout (a, w_1..w_d, b).
 */
export interface MeanFieldNet {
  n: number;
  d: number;
  /** [n, d + 2]: (a, w, b) per unit. */
  theta: Float64Array;
  sigma: (z: number) => number;
  dsigma: (z: number) => number;
}

export const unitDim = (d: number) => d + 2;

/** f_N(x) for one input x (length d). */
export function mfForward(net: MeanFieldNet, x: Float64Array, xo = 0): number {
  const { n, d, theta, sigma } = net;
  const D = d + 2;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = i * D;
    let z = theta[o + D - 1];
    for (let k = 0; k < d; k++) z += theta[o + 1 + k] * x[xo + k];
    s += theta[o] * sigma(z);
  }
  return s / n;
}

/**
 * Accumulate into `grad` ([n, D]) the mean-field velocity of each particle for residuals r_s = f(x_s) - y_s:
 * grad_i += c * r * grad_theta sigma_*(x; theta_i). The 1/N of f cancels against the mean-field time scaling
 * (learning rate N eta), so each particle moves by O(eta) whatever N is.
 */
export function mfAccumulateGrad(net: MeanFieldNet, x: Float64Array, xo: number, r: number, c: number, grad: Float64Array): void {
  const { n, d, theta, sigma, dsigma } = net;
  const D = d + 2;
  for (let i = 0; i < n; i++) {
    const o = i * D;
    let z = theta[o + D - 1];
    for (let k = 0; k < d; k++) z += theta[o + 1 + k] * x[xo + k];
    const a = theta[o];
    const rc = r * c;
    grad[o] += rc * sigma(z);
    const g = rc * a * dsigma(z);
    for (let k = 0; k < d; k++) grad[o + 1 + k] += g * x[xo + k];
    grad[o + D - 1] += g;
  }
}

/** N units with a ~ N(0, sa^2), w ~ N(0, I/d), b ~ N(0, sb^2). */
export function randomParticles(n: number, d: number, seed: SeedKey, opts: { sa?: number; sb?: number } = {}): Float64Array {
  const rng = new Rng(seed, ['mf-particles', n, d]);
  const D = d + 2;
  const th = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    th[i * D] = (opts.sa ?? 1) * rng.normal();
    for (let k = 0; k < d; k++) th[i * D + 1 + k] = rng.normal() / Math.sqrt(d);
    th[i * D + D - 1] = (opts.sb ?? 0.5) * rng.normal();
  }
  return th;
}

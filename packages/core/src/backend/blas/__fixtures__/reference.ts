/**
 * Test helpers for the BLAS kernels (not exported from the package): a float64 reference of tfjs's batched matmul
 * with numpy broadcasting, and the float32 rounding bounds the tests use.
 *
 * Error model (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., eq. 3.5): a float32 dot product of
 * n terms computed in any order, with or without FMA, satisfies |fl(x·y) − x·y| ≤ γ_n Σ|x_i||y_i|,
 * γ_n = n u / (1 − n u), u = 2⁻²⁴. Two implementations (BLAS, XNNPACK) therefore differ by at most 2 γ_n Σ|x||y|
 * elementwise; a bias adds one term (n = K + 1). An activation with Lipschitz constant L maps a pre-activation error
 * δ to at most L δ, plus the activation's own evaluation error (a few ulp of the result; 8 u |y| allowed).
 */
import { broadcastShapes } from '../heap-gemm';

export const U32 = 2 ** -24;

/** γ_n for float32. */
export function gamma(n: number): number {
  return (n * U32) / (1 - n * U32);
}

/** Lipschitz constants of the fused activations (prelu / leakyrelu: max(1, |alpha|)). */
export function lipschitz(activation: string, alpha = 0): number {
  switch (activation) {
    case 'sigmoid':
      return 0.25;
    case 'prelu':
    case 'leakyrelu':
      return Math.max(1, Math.abs(alpha));
    default:
      return 1;
  }
}

/** The activation in float64 (reference). */
export function act64(activation: string, x: number, alpha: number): number {
  switch (activation) {
    case 'relu':
      return Math.max(0, x);
    case 'relu6':
      return Math.min(6, Math.max(0, x));
    case 'elu':
      return x < 0 ? Math.expm1(x) : x;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'leakyrelu':
    case 'prelu':
      return x < 0 ? alpha * x : x;
    default:
      return x;
  }
}

/**
 * C = op(A)·op(B) in float64 with tfjs shapes (rank ≥ 2, batch dims broadcast numpy-style), and S = |op(A)|·|op(B)|
 * (the Σ|a||b| of every entry, for the error bound).
 */
export function refMatMul(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], tA: boolean, tB: boolean): { c: Float64Array; s: Float64Array; shape: number[]; m: number; n: number; k: number } {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = tA ? aShape[ra - 1] : aShape[ra - 2];
  const k = tA ? aShape[ra - 2] : aShape[ra - 1];
  const n = tB ? bShape[rb - 2] : bShape[rb - 1];
  const aB = aShape.slice(0, -2);
  const bB = bShape.slice(0, -2);
  const oB = broadcastShapes(aB, bB)!;
  const r = oB.length;
  const pa = [...new Array(r - aB.length).fill(1), ...aB];
  const pb = [...new Array(r - bB.length).fill(1), ...bB];
  const batch = oB.reduce((p, d) => p * d, 1);
  const c = new Float64Array(batch * m * n);
  const s = new Float64Array(batch * m * n);
  const coord = new Array(r).fill(0);
  for (let t = 0; t < batch; t++) {
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < r; i++) {
      ia = ia * pa[i] + (pa[i] === 1 ? 0 : coord[i]);
      ib = ib * pb[i] + (pb[i] === 1 ? 0 : coord[i]);
    }
    const A = (i: number, p: number) => a[ia * m * k + (tA ? p * m + i : i * k + p)];
    const B = (p: number, j: number) => b[ib * k * n + (tB ? j * k + p : p * n + j)];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let x = 0;
        let y = 0;
        for (let p = 0; p < k; p++) {
          const v = A(i, p) * B(p, j);
          x += v;
          y += Math.abs(v);
        }
        c[t * m * n + i * n + j] = x;
        s[t * m * n + i * n + j] = y;
      }
    }
    for (let i = r - 1; i >= 0; i--) {
      if (++coord[i] < oB[i]) break;
      coord[i] = 0;
    }
  }
  return { c, s, shape: [...oB, m, n], m, n, k };
}

/** Indices where |x − y| > tol (first few), for a readable failure. */
export function violations(x: ArrayLike<number>, y: ArrayLike<number>, tol: (i: number) => number): string[] {
  const bad: string[] = [];
  if (x.length !== y.length) return [`length ${x.length} vs ${y.length}`];
  for (let i = 0; i < x.length && bad.length < 5; i++) {
    const d = Math.abs(x[i] - y[i]);
    if (!(d <= tol(i))) bad.push(`[${i}] ${x[i]} vs ${y[i]} (|Δ| ${d.toExponential(2)} > ${tol(i).toExponential(2)})`);
  }
  return bad;
}

/**
 * ρ(g) acting on every output index of a dense correlator tensor:
 * G'_{a1..an} = Σ_{b1..bn} ρ_{a1 b1} … ρ_{an bn} G_{b1..bn} (2106.00694 eq. (2.6)). The output density is
 * invariant under g iff G' = G for every order n (and every set of input points).
 *
 * When to use: to transform a correlator that was estimated once, rather than the outputs network by network (the
 * invariance test transforms outputs per network so that its errors are paired).
 *
 * Shapes: `rho` d×d row-major; `tensor` has d^n entries, index a1 slowest. Cost O(n d^{n+1}) (one index at a time).
 *
 * @example
 * // an isotropic 2-pt function δ_ab is invariant under any rotation:
 * contractCorrelator(R, 3, 2, eye(3)) ≈ eye(3)
 */
export function contractCorrelator(rho: Float64Array, d: number, order: number, tensor: Float64Array): Float64Array {
  if (rho.length !== d * d) throw new RangeError(`contractCorrelator: rho has ${rho.length} entries, expected ${d}×${d}`);
  if (tensor.length !== d ** order) throw new RangeError(`contractCorrelator: tensor has ${tensor.length} entries, expected ${d}^${order}`);
  let cur = Float64Array.from(tensor);
  for (let axis = 0; axis < order; axis++) {
    const inner = d ** (order - axis - 1);
    const outer = d ** axis;
    const next = new Float64Array(cur.length);
    for (let o = 0; o < outer; o++) {
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          const r = rho[a * d + b];
          if (r === 0) continue;
          const src = (o * d + b) * inner;
          const dst = (o * d + a) * inner;
          for (let t = 0; t < inner; t++) next[dst + t] += r * cur[src + t];
        }
      }
    }
    cur = next;
  }
  return cur;
}

/**
 * ρ(g) applied to each output vector of an ensemble chunk: out[m, p, :] = ρ · f[m, p, :].
 * Shapes: `outputs` [count, P, d] row-major (float32 from tfjs or float64); result float64 of the same shape.
 */
export function transformOutputs(rho: Float64Array, d: number, outputs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(outputs.length);
  for (let base = 0; base < outputs.length; base += d) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += rho[a * d + b] * outputs[base + b];
      out[base + a] = s;
    }
  }
  return out;
}

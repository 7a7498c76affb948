import { UsageError } from '@nnsym/core';
import { inverse, matmul, type Mat } from '@nnsym/numerics';
import { cloneMlpF64, forwardMlp, weightMat, type DenseNetF64 } from '../nets/mlp';

/**
 * Act with an intertwiner on hidden layer `layer` of an MLP (Godfrey et al. 2022, section 3.2): with
 * sigma(A z) = phi(A) sigma(z),
 *
 *   W_l -> A W_l,   b_l -> A b_l,   W_{l+1} -> W_{l+1} phi(A)^-1,
 *
 * so the next layer sees W_{l+1} phi(A)^-1 sigma(A z) = W_{l+1} sigma(z): the function is unchanged while the
 * hidden representation becomes phi(A) h. `a` and `phiA` are `[width_l, width_l]`. Returns a new network.
 *
 * @example
 * const g = sampleFamilyMember('positive-scaling', 32, new Rng(0)).a;
 * const net2 = applyIntertwiner(net, 0, g, g);     // relu: phi(A) = A
 * functionDiscrepancy(net, net2, x);               // ~1e-15
 */
export function applyIntertwiner<N extends DenseNetF64>(net: N, layer: number, a: Mat, phiA: Mat): N {
  const hiddenCount = net.layers.length - 1;
  if (!Number.isInteger(layer) || layer < 0 || layer >= hiddenCount)
    throw new UsageError(`layer must be a hidden layer in 0..${hiddenCount - 1}, got ${layer}`, 'layer');
  const width = net.layers[layer].out;
  for (const [name, m] of [
    ['A', a],
    ['phi(A)', phiA],
  ] as const) {
    if (m.rows !== width || m.cols !== width)
      throw new UsageError(`${name} is ${m.rows}x${m.cols} but hidden layer ${layer} has width ${width}`, 'layer');
  }
  const out = cloneMlpF64(net);
  const cur = out.layers[layer];
  cur.W = matmul(a, weightMat(cur)).data;
  if (cur.b) {
    const nb = new Float64Array(width);
    for (let i = 0; i < width; i++) for (let j = 0; j < width; j++) nb[i] += a.data[i * width + j] * cur.b[j];
    cur.b = nb;
  }
  const next = out.layers[layer + 1];
  next.W = matmul(weightMat(next), inverse(phiA)).data;
  return out;
}

/** max |f(x) - g(x)| / max(1, max |f(x)|) over the rows of `x`, in float64: ~1e-15 for the same function. */
export function functionDiscrepancy(f: DenseNetF64, g: DenseNetF64, x: Mat): number {
  const a = forwardMlp(f, x).out;
  const b = forwardMlp(g, x).out;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.data.length; i++) {
    diff = Math.max(diff, Math.abs(a.data[i] - b.data[i]));
    scale = Math.max(scale, Math.abs(a.data[i]));
  }
  return diff / scale;
}

import { UsageError } from '@nnsym/core';
import { zeros, type Mat, type ScalarFn } from '@nnsym/numerics';

/** One dense layer in float64: `z = W a + b`, `W [out, in]`, `b [out]` (absent = no bias). */
export interface DenseLayerF64 {
  w: Mat;
  b?: Float64Array;
}

/**
 * A dense MLP as plain float64 matrices, whatever trainer produced it: `layers[0]` maps the input to hidden
 * layer 0, `layers[L-1]` is the linear read-out, and `sigma` is applied after every layer but the last. Hidden
 * layer `l` (0-based) is the output of `layers[l]`.
 */
export interface MlpF64 {
  layers: DenseLayerF64[];
  sigma: ScalarFn;
  /** Registry id of the activation, when known (recorded in results, checked by comparisons). */
  activation?: string;
}

/** Layer widths, input first: `[in, h_0, ..., out]`. */
export function mlpSizes(net: MlpF64): number[] {
  return [net.layers[0].w.cols, ...net.layers.map((l) => l.w.rows)];
}

/** Check that consecutive layers fit; throws a one-line error naming the layer. */
export function validateMlp(net: MlpF64, what = 'network'): void {
  if (net.layers.length === 0) throw new UsageError(`${what}: has no layers`, 'layers');
  net.layers.forEach((l, i) => {
    if (l.w.data.length !== l.w.rows * l.w.cols)
      throw new UsageError(`${what}: layer ${i} weight has ${l.w.data.length} entries, expected ${l.w.rows}x${l.w.cols}`, 'layers');
    if (l.b && l.b.length !== l.w.rows)
      throw new UsageError(`${what}: layer ${i} bias has ${l.b.length} entries, expected ${l.w.rows}`, 'layers');
    if (i > 0 && net.layers[i - 1].w.rows !== l.w.cols)
      throw new UsageError(
        `${what}: layer ${i} expects ${l.w.cols} inputs but layer ${i - 1} has ${net.layers[i - 1].w.rows} outputs`,
        'layers',
      );
  });
}

/** `a W^T + b` for a batch `a [n, in]` -> `[n, out]`. */
function dense(a: Mat, layer: DenseLayerF64): Mat {
  const { w, b } = layer;
  if (a.cols !== w.cols) throw new UsageError(`inputs have ${a.cols} features but the layer expects ${w.cols}`, 'inputs');
  const z = zeros(a.rows, w.rows);
  for (let s = 0; s < a.rows; s++) {
    for (let o = 0; o < w.rows; o++) {
      let acc = b ? b[o] : 0;
      for (let k = 0; k < w.cols; k++) acc += w.data[o * w.cols + k] * a.data[s * a.cols + k];
      z.data[s * w.rows + o] = acc;
    }
  }
  return z;
}

/**
 * Forward pass in float64 for inputs `x [n, in]`. Returns the outputs `[n, out]`, and every hidden layer's
 * pre-activations `z_l` and post-activations `h_l = sigma(z_l)` (`[n, width_l]`), the representations that
 * `nnsym compare` measures.
 *
 * @example
 * const { out, hidden } = forwardMlp(net, x); // hidden[0] = relu(x W_0^T + b_0)
 */
export function forwardMlp(net: MlpF64, x: Mat): { out: Mat; hidden: Mat[]; pre: Mat[] } {
  const hidden: Mat[] = [];
  const pre: Mat[] = [];
  let a = x;
  net.layers.forEach((layer, l) => {
    const z = dense(a, layer);
    if (l < net.layers.length - 1) {
      pre.push(z);
      const h = zeros(z.rows, z.cols);
      for (let i = 0; i < z.data.length; i++) h.data[i] = net.sigma(z.data[i]);
      hidden.push(h);
      a = h;
    } else {
      a = z;
    }
  });
  return { out: a, hidden, pre };
}

/** A deep copy (matrices and biases copied). */
export function cloneMlpF64(net: MlpF64): MlpF64 {
  return { ...net, layers: net.layers.map((l) => ({ w: { rows: l.w.rows, cols: l.w.cols, data: l.w.data.slice() }, b: l.b?.slice() })) };
}

/** All parameters flattened (weights then bias, layer by layer), for distances between networks. */
export function flattenParams(net: MlpF64): Float64Array {
  const parts: Float64Array[] = [];
  for (const l of net.layers) {
    parts.push(l.w.data);
    if (l.b) parts.push(l.b);
  }
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

import {
  UsageError,
  cloneDenseNet64,
  denseNet64Sizes,
  flattenDenseNet64,
  plugins as defaultHost,
  scalarActivation64,
  inputQ64,
  validateDenseNet64,
  type DenseLayer64,
  type DenseNet64,
  type PluginHost,
} from '@nnsym/core';
import { zeros, type Mat, type ScalarFn } from '@nnsym/numerics';

/**
 * The float64 network the weight-space analyses take: @nnsym/core's {@link DenseNet64} (a trained checkpoint
 * read with `readDenseNet64`, a random student, ...), optionally with `sigma`, a float64 phi that replaces the
 * registry's `activation` (for activations that are not registered, such as exp(-x^2) in the intertwiner tables).
 * Any `DenseNet64` is one.
 */
export type DenseNetF64 = DenseNet64 & { readonly sigma?: ScalarFn };

/** @deprecated The float64 dense network is @nnsym/core's `DenseNet64`; this name is {@link DenseNetF64}. */
export type MlpF64 = DenseNetF64;

/** @deprecated The float64 dense layer is @nnsym/core's `DenseLayer64` (`W` row-major `[out, in]`, `b` `[out]`). */
export type DenseLayerF64 = DenseLayer64;

const resolved = new WeakMap<DenseNetF64, ScalarFn>();

/**
 * The scalar phi of a network: its `sigma` when given, else its registry activation's float64 `scalar(z)`.
 * Input-dependent activations (gauss: exp(z - q(x))) are refused: phi(z) alone is not the network's function
 * (forwardMlp evaluates them with q(x); alignment and intertwiners need an elementwise phi).
 *
 * @example phiOf({ activation: 'relu', layers })(-1) // 0
 */
export function phiOf(net: DenseNetF64, host: PluginHost = defaultHost): ScalarFn {
  if (net.sigma) return net.sigma;
  const hit = resolved.get(net);
  if (hit) return hit;
  const a = scalarActivation64(net.activation, { config: net.activationConfig, host });
  if (a.activation.needsContext)
    throw new UsageError(
      `activation "${net.activation}" depends on the input (needs q(x)): it has no phi(z) alone; this needs an elementwise activation`,
      'activation',
    );
  resolved.set(net, a.f);
  return a.f;
}

/**
 * The first-layer activation of a network whose phi depends on the input (gauss: phi(z; x) = exp(z - q(x)), the
 * Gauss-net normalisation of arXiv 2008.08601 eq. 2.14): `phi(z, q)` and q(x) = sigma_b^2 [bias] +
 * sigma_w^2 |x|^2 / d_in with the sigma's the architecture recorded (1, 1 when it recorded none, the trainer's
 * default). Undefined for elementwise activations. One hidden layer only, as the trainer.
 */
function contextPhi(
  net: DenseNetF64,
): { phi: (z: number, q: number) => number; q: (x: Float64Array, from: number, d: number) => number } | undefined {
  if (net.sigma) return undefined;
  const a = scalarActivation64(net.activation, { config: net.activationConfig }).activation;
  if (!a.needsContext) return undefined;
  if (net.layers.length !== 2)
    throw new UsageError(
      `activation "${net.activation}" depends on the input and needs exactly one hidden layer, got ${net.layers.length - 1}`,
      'activation',
    );
  const sw = net.arch?.sigmaW ?? 1;
  const sb = net.arch?.sigmaB ?? 1;
  const bias = Boolean(net.layers[0].b);
  return {
    phi: (z, q) => a.scalar(z, q),
    q: (x, from, d) => inputQ64(x, from, d, sw, sb, bias),
  };
}

/** The weight of a layer as a `[out, in]` matrix (a view: no copy). */
export function weightMat(layer: DenseLayer64): Mat {
  return { rows: layer.out, cols: layer.in, data: layer.W };
}

/** Layer widths, input first: `[in, h_0, ..., out]`. */
export function mlpSizes(net: DenseNetF64): number[] {
  return denseNet64Sizes(net);
}

/** Check that consecutive layers fit; throws a one-line error naming the layer. */
export function validateMlp(net: DenseNetF64, what = 'network'): void {
  validateDenseNet64(net, what);
}

/** `a W^T + b` for a batch `a [n, in]` -> `[n, out]`. */
function dense(a: Mat, layer: DenseLayer64): Mat {
  const { W, b } = layer;
  const cols = layer.in;
  if (a.cols !== cols) throw new UsageError(`inputs have ${a.cols} features but the layer expects ${cols}`, 'inputs');
  const z = zeros(a.rows, layer.out);
  for (let s = 0; s < a.rows; s++) {
    for (let o = 0; o < layer.out; o++) {
      let acc = b ? b[o] : 0;
      for (let k = 0; k < cols; k++) acc += W[o * cols + k] * a.data[s * a.cols + k];
      z.data[s * layer.out + o] = acc;
    }
  }
  return z;
}

/**
 * Forward pass in float64 for inputs `x [n, in]`. Returns the outputs `[n, out]`, and every hidden layer's
 * pre-activations `z_l` and post-activations `h_l = sigma(z_l)` (`[n, width_l]`), the representations that
 * `nnsym compare` measures. An input-dependent activation (a trained gauss-net) gets its q(x) in the hidden layer.
 *
 * @example
 * const { out, hidden } = forwardMlp(readDenseNet64('runs/a').net, x); // hidden[0] = relu(x W_0^T + b_0)
 */
export function forwardMlp(net: DenseNetF64, x: Mat): { out: Mat; hidden: Mat[]; pre: Mat[] } {
  const hidden: Mat[] = [];
  const pre: Mat[] = [];
  const ctx = net.layers.length > 1 ? contextPhi(net) : undefined;
  const sigma = net.layers.length > 1 && !ctx ? phiOf(net) : (z: number) => z;
  let a = x;
  net.layers.forEach((layer, l) => {
    const z = dense(a, layer);
    if (l < net.layers.length - 1) {
      pre.push(z);
      const h = zeros(z.rows, z.cols);
      if (ctx) {
        for (let r = 0; r < z.rows; r++) {
          const q = ctx.q(x.data, r * x.cols, x.cols);
          for (let o = 0; o < z.cols; o++) h.data[r * z.cols + o] = ctx.phi(z.data[r * z.cols + o], q);
        }
      } else for (let i = 0; i < z.data.length; i++) h.data[i] = sigma(z.data[i]);
      hidden.push(h);
      a = h;
    } else {
      a = z;
    }
  });
  return { out: a, hidden, pre };
}

/** A deep copy (weights and biases copied; `sigma` and the other fields kept). */
export function cloneMlpF64<N extends DenseNetF64>(net: N): N {
  return cloneDenseNet64(net);
}

/** All parameters flattened (weights then bias, layer by layer), for distances between networks. */
export function flattenParams(net: DenseNetF64): Float64Array {
  return flattenDenseNet64(net);
}

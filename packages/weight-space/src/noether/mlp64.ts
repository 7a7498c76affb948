import {
  cloneDenseNet64,
  denseNet64ParamCount,
  flattenDenseNet64,
  scalarActivation64,
  type DenseLayer64,
  type DenseNet64,
} from '@nnsym/core';

/**
 * A float64 multilayer perceptron with an explicit backward pass, for gradient-flow studies where float32 rounding
 * would hide the O(eta) drift of conserved quantities (a float32 charge of size 1 cannot resolve drifts below ~1e-7).
 * Small networks only (d, width <= a few hundred): everything runs on the host.
 *
 * Layer l maps h_{l} (size `in`) to z_l = W_l h_l + b_l (size `out`); hidden layers apply sigma, the last is linear.
 * Weights are row-major `[out, in]`. The network is @nnsym/core's {@link DenseNet64}: its `activation` is a registry
 * id, resolved here to its float64 value and derivative ({@link activation64}).
 */

/** Scalar activation with derivative, float64. */
export interface Activation64 {
  id: string;
  f(z: number): number;
  df(z: number): number;
}

/** @deprecated The float64 dense layer is @nnsym/core's `DenseLayer64` (`b` absent for a layer without bias). */
export type Layer64 = DenseLayer64;

/**
 * The network the Noether study takes: @nnsym/core's {@link DenseNet64}, optionally with `act`, a float64 value
 * and derivative that replace the registry's for `activation` (hand-written references in tests; nets built by
 * {@link randomMlp64} from an {@link Activation64} carry it). Any `DenseNet64` is one.
 */
export type Net64 = DenseNet64 & { readonly act?: Activation64 };

/** @deprecated The float64 dense network is @nnsym/core's `DenseNet64`; this name is {@link Net64}. */
export type Mlp64 = Net64;

const resolved = new Map<string, Activation64>();

/**
 * The float64 value and derivative of a network's activation, from the process-wide registry (the plugin's
 * `derivative`, else a central difference; see core's `scalarActivation64`). Cached per activation id and config.
 * Input-dependent activations (gauss) are refused: their phi needs q(x).
 *
 * @example activation64(randomMlp64([2, 3, 1], 'tanh')).df(0) // 1
 */
export function activation64(net: Net64): Activation64 {
  if (net.act) return net.act;
  const key = net.activationConfig ? `${net.activation}:${JSON.stringify(net.activationConfig)}` : net.activation;
  const hit = resolved.get(key);
  if (hit) return hit;
  const a = scalarActivation64(net.activation, { config: net.activationConfig });
  if (a.activation.needsContext)
    throw new Error(
      `activation "${net.activation}" depends on the input (it needs a context); the Noether study supports elementwise activations only`,
    );
  const act: Activation64 = { id: net.activation, f: a.f, df: a.df };
  resolved.set(key, act);
  return act;
}

export type Loss64 = 'mse' | 'xent';

/** Number of parameters. */
export function paramCount64(net: Net64): number {
  return denseNet64ParamCount(net);
}

/** Flatten parameters into one vector, layer by layer: W_0, b_0, W_1, b_1, ... */
export function flatten(net: Net64, out = new Float64Array(paramCount64(net))): Float64Array {
  return flattenDenseNet64(net, out);
}

/** Write a flat vector back into the network's parameters (in place). */
export function unflatten(net: Net64, theta: Float64Array): void {
  let o = 0;
  for (const l of net.layers) {
    l.W.set(theta.subarray(o, o + l.W.length));
    o += l.W.length;
    if (l.b) {
      l.b.set(theta.subarray(o, o + l.b.length));
      o += l.b.length;
    }
  }
}

/** Offsets of each layer's W and b in the flat vector. */
export function offsets(net: Net64): { W: number; b: number }[] {
  let o = 0;
  return net.layers.map((l) => {
    const w = o;
    o += l.W.length;
    const b = l.b ? o : -1;
    if (l.b) o += l.b.length;
    return { W: w, b };
  });
}

/** Deep copy. */
export function cloneMlp<N extends Net64>(net: N): N {
  return cloneDenseNet64(net);
}

/**
 * Forward pass on a batch X ([n, d_in] row-major); returns outputs [n, d_out].
 */
export function forward64(net: Net64, X: Float64Array, n: number): Float64Array {
  return forwardCache(net, X, n).h[net.layers.length];
}

function forwardCache(net: Net64, X: Float64Array, n: number): { z: Float64Array[]; h: Float64Array[] } {
  const L = net.layers.length;
  const h: Float64Array[] = [X];
  const z: Float64Array[] = [];
  for (let l = 0; l < L; l++) {
    const { in: di, out: dout, W, b } = net.layers[l];
    const hin = h[l];
    const zl = new Float64Array(n * dout);
    for (let s = 0; s < n; s++) {
      for (let j = 0; j < dout; j++) {
        let acc = b ? b[j] : 0;
        const wo = j * di;
        const ho = s * di;
        for (let k = 0; k < di; k++) acc += W[wo + k] * hin[ho + k];
        zl[s * dout + j] = acc;
      }
    }
    z.push(zl);
    if (l < L - 1) {
      const f = activation64(net).f;
      const hl = new Float64Array(zl.length);
      for (let i = 0; i < zl.length; i++) hl[i] = f(zl[i]);
      h.push(hl);
    } else {
      h.push(zl);
    }
  }
  return { z, h };
}

/**
 * Loss and its gradient with respect to the flat parameter vector, on a batch.
 * - `mse`: L = (1/2n) sum_s |f(x_s) - y_s|^2
 * - `xent`: softmax cross-entropy, L = -(1/n) sum_s log softmax(f(x_s))_{y_s}, with Y one-hot [n, d_out].
 */
export function lossAndGrad64(
  net: Net64,
  X: Float64Array,
  Y: Float64Array,
  n: number,
  loss: Loss64,
  grad?: Float64Array,
): { loss: number; grad: Float64Array } {
  const L = net.layers.length;
  const { z, h } = forwardCache(net, X, n);
  const dOut = net.layers[L - 1].out;
  const out = h[L];
  let value = 0;
  let delta = new Float64Array(n * dOut); // dLoss/dz_L
  if (loss === 'mse') {
    for (let i = 0; i < out.length; i++) {
      const r = out[i] - Y[i];
      value += r * r;
      delta[i] = r / n;
    }
    value /= 2 * n;
  } else {
    for (let s = 0; s < n; s++) {
      let m = -Infinity;
      for (let a = 0; a < dOut; a++) m = Math.max(m, out[s * dOut + a]);
      let sum = 0;
      for (let a = 0; a < dOut; a++) sum += Math.exp(out[s * dOut + a] - m);
      const lse = m + Math.log(sum);
      for (let a = 0; a < dOut; a++) {
        const p = Math.exp(out[s * dOut + a] - lse);
        value -= Y[s * dOut + a] * (out[s * dOut + a] - lse);
        delta[s * dOut + a] = (p - Y[s * dOut + a]) / n;
      }
    }
    value /= n;
  }
  const g = grad ?? new Float64Array(paramCount64(net));
  const offs = offsets(net);
  for (let l = L - 1; l >= 0; l--) {
    const { in: di, out: dout, W, b } = net.layers[l];
    const hin = h[l];
    const gW = offs[l].W;
    for (let j = 0; j < dout; j++) {
      for (let k = 0; k < di; k++) {
        let acc = 0;
        for (let s = 0; s < n; s++) acc += delta[s * dout + j] * hin[s * di + k];
        g[gW + j * di + k] = acc;
      }
      if (b) {
        let acc = 0;
        for (let s = 0; s < n; s++) acc += delta[s * dout + j];
        g[offs[l].b + j] = acc;
      }
    }
    if (l > 0) {
      const zprev = z[l - 1];
      const df = activation64(net).df;
      const next = new Float64Array(n * di);
      for (let s = 0; s < n; s++) {
        for (let k = 0; k < di; k++) {
          let acc = 0;
          for (let j = 0; j < dout; j++) acc += delta[s * dout + j] * W[j * di + k];
          next[s * di + k] = acc * df(zprev[s * di + k]);
        }
      }
      delta = next;
    }
  }
  return { loss: value, grad: g };
}

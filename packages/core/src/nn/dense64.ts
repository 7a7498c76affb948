import { UsageError } from '../errors';
import { plugins as defaultHost, type PluginHost } from '../registry/kinds';
import { createActivation } from './resolve';
import type { Activation } from './types';

/**
 * One dense layer in float64: `z = W a + b` with `W` row-major `[out, in]` and `b` `[out]` (absent: no bias).
 * The same `[out, in]` convention as the trainer's checkpoints ({@link HostLayer}) and the ensemble layouts.
 */
export interface DenseLayer64 {
  readonly in: number;
  readonly out: number;
  /** Row-major `[out, in]`. */
  W: Float64Array;
  /** `[out]`, or absent for a layer without bias. */
  b?: Float64Array;
}

/**
 * The architecture a {@link DenseNet64} instantiates: a registered architecture id (`mlp`, `tanh-net`,
 * `gauss-net`, ...) and the hyper-parameters that its forward pass or its init depended on.
 */
export interface DenseArchRef {
  id: string;
  /** σ_w, σ_b of the NN-QFT init (and of q(x) for input-dependent activations such as `gauss`), when known. */
  sigmaW?: number;
  sigmaB?: number;
}

/**
 * A dense network as plain float64 arrays: the one host-side value type that the trainer's checkpoints, the
 * Noether study, the intertwiner alignment and stitching, and representation similarity all take.
 * `layers[0]` maps the input to hidden layer 0, `layers[L-1]` is the linear read-out; the activation (a registry
 * id, see `nnsym list activation`) is applied after every layer but the last.
 *
 * When to use: any float64 work on one network (a trained checkpoint, a random student). Build one from a
 * checkpoint with `readDenseNet64(dir)`, from the trainer's tensors with `denseNet64FromTensors`, and go back
 * with `denseNet64ToHost` / `denseNet64ToTensors`.
 *
 * @example
 * const net: DenseNet64 = { activation: 'tanh', layers: [{ in: 2, out: 3, W: new Float64Array(6), b: new Float64Array(3) }, { in: 3, out: 1, W: new Float64Array(3) }] };
 * denseNet64Sizes(net); // [2, 3, 1]
 */
export interface DenseNet64 {
  layers: DenseLayer64[];
  /** Activation id from the `activation` registry (e.g. `relu`, `tanh`, `gauss`). */
  activation: string;
  /** Config of the activation plugin (e.g. `{ alpha: 0.2 }`), when it has one. */
  activationConfig?: Record<string, unknown>;
  /** The architecture it instantiates, when known (trained checkpoints record it). */
  arch?: DenseArchRef;
}

/** Layer widths, input first: `[in, h_0, ..., out]`. */
export function denseNet64Sizes(net: Pick<DenseNet64, 'layers'>): number[] {
  return [net.layers[0].in, ...net.layers.map((l) => l.out)];
}

/** Check that every layer's arrays have their declared shapes and that consecutive layers fit; one-line errors. */
export function validateDenseNet64(net: Pick<DenseNet64, 'layers'>, what = 'network'): void {
  if (net.layers.length === 0) throw new UsageError(`${what}: has no layers`, 'layers');
  net.layers.forEach((l, i) => {
    if (l.W.length !== l.out * l.in) throw new UsageError(`${what}: layer ${i} weight has ${l.W.length} entries, expected ${l.out}x${l.in}`, 'layers');
    if (l.b && l.b.length !== l.out) throw new UsageError(`${what}: layer ${i} bias has ${l.b.length} entries, expected ${l.out}`, 'layers');
    if (i > 0 && net.layers[i - 1].out !== l.in)
      throw new UsageError(`${what}: layer ${i} expects ${l.in} inputs but layer ${i - 1} has ${net.layers[i - 1].out} outputs`, 'layers');
  });
}

/** A deep copy (weights and biases copied; other fields shared). */
export function cloneDenseNet64<N extends DenseNet64>(net: N): N {
  return { ...net, layers: net.layers.map((l) => ({ in: l.in, out: l.out, W: l.W.slice(), ...(l.b ? { b: l.b.slice() } : {}) })) };
}

/** Number of parameters (weights and biases). */
export function denseNet64ParamCount(net: Pick<DenseNet64, 'layers'>): number {
  return net.layers.reduce((s, l) => s + l.W.length + (l.b ? l.b.length : 0), 0);
}

/** All parameters in one vector, layer by layer: W_0, b_0, W_1, b_1, ... (the checkpoint's order). */
export function flattenDenseNet64(net: Pick<DenseNet64, 'layers'>, out = new Float64Array(denseNet64ParamCount(net))): Float64Array {
  let o = 0;
  for (const l of net.layers) {
    out.set(l.W, o);
    o += l.W.length;
    if (l.b) {
      out.set(l.b, o);
      o += l.b.length;
    }
  }
  return out;
}

/**
 * q(x) = σ_b² [bias] + σ_w² |x|² / d for the row x[from .. from+d): the variance of z = W0 x + b0 under the default
 * init, which input-dependent activations (gauss: exp(z − q(x))) take as their context. The one float64 host form
 * (the tfjs form is `dense.ts`'s).
 *
 * @example inputQ64(Float64Array.of(1, 1), 0, 2, 1, 1, true) // 2
 */
export function inputQ64(x: ArrayLike<number>, from: number, d: number, sigmaW: number, sigmaB: number, bias: boolean): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += x[from + k] * x[from + k];
  return (bias ? sigmaB * sigmaB : 0) + (sigmaW * sigmaW * s) / d;
}

/** The float64 scalar form of a registered activation: value, derivative, and what the plugin declares. */
export interface ScalarActivation64 {
  id: string;
  f(z: number): number;
  /** φ'(z): the plugin's `derivative`, else a central difference with step 1e-6. */
  df(z: number): number;
  /** The activation itself (traits, breakpoints, `needsContext`). */
  activation: Activation;
}

/**
 * Resolve a registry activation to its float64 scalar form (the registry entry may be the activation or a
 * plugin whose `create(config)` returns it). Unknown id: one-line UsageError naming `flag`.
 *
 * @example
 * scalarActivation64('tanh').f(0.5) // Math.tanh(0.5)
 */
export function scalarActivation64(id: string, options: { config?: Record<string, unknown>; host?: PluginHost; flag?: string } = {}): ScalarActivation64 {
  const host = options.host ?? defaultHost;
  const flag = options.flag ?? 'activation';
  const reg = host.kind('activation');
  if (!reg.has(id)) throw new UsageError(`${flag}: ${reg.unknownMessage(id)}`, flag);
  const a = createActivation(id, options.config ?? {}, host, flag);
  const h = 1e-6;
  const derivative = a.derivative;
  const df = derivative ? (z: number) => derivative.call(a, z) : (z: number) => (a.scalar(z + h) - a.scalar(z - h)) / (2 * h);
  return { id, f: (z) => a.scalar(z), df, activation: a };
}

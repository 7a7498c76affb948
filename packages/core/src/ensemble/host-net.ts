import { UsageError } from '../errors';
import type { Architecture } from '../nn/types';
import { layoutSize } from '../nn/params';
import { isDenseArchitecture } from '../nn/dense';
import { inputQ64 } from '../nn/dense64';
import { Rng } from '../rng/rng';
import { hostActivation } from './host-activations';
import { compileShallowKernel } from './host-codegen';
import type { HostNet, HostNetLayer, ShallowKernel } from './types';

/**
 * Compile a dense architecture (see `isDenseArchitecture`) for host evaluation on inputs `x` (row-major [P, d_in],
 * any numeric array). Throws a UsageError for other architectures or inputs of the wrong size.
 *
 * @example const net = compileHostNet(createArchitecture('tanh-net', { width: 100, dIn: 3 }), inputs.points);
 */
export function compileHostNet(arch: Architecture, x: ArrayLike<number>): HostNet {
  if (!isDenseArchitecture(arch)) throw new UsageError(`architecture "${arch.id}" is not a built-in dense net: the host ensemble path cannot evaluate it (use the tfjs path)`, 'arch');
  const spec = arch.spec;
  if (x.length % spec.dIn !== 0) throw new UsageError(`inputs have ${x.length} values, not a multiple of d_in = ${spec.dIn}`, 'inputs');
  const layout = arch.layout();
  const index = new Map(layout.map((L, i) => [L.name, i]));
  const layers: HostNetLayer[] = [];
  for (let l = 0; l <= spec.depth; l++) {
    const w = index.get(`W${l}`) as number;
    const b = spec.bias ? (index.get(`b${l}`) as number) : -1;
    const W = layout[w];
    layers.push({ w, b, fanIn: W.shape[1], fanOut: W.shape[0], wScale: W.forwardScale, bScale: b >= 0 ? layout[b].forwardScale : 0 });
  }
  const P = x.length / spec.dIn;
  const xs = Float64Array.from(x);
  const q = new Float64Array(P);
  for (let p = 0; p < P; p++) q[p] = inputQ64(xs, p * spec.dIn, spec.dIn, spec.sigmaW, spec.sigmaB, spec.bias);
  const hidden = P * (spec.depth > 0 ? spec.width : 0); // every hidden layer is [P, N]
  const net: HostNet = {
    arch,
    layout,
    sizes: layout.map(layoutSize),
    layers,
    activation: hostActivation(arch.activation),
    x: xs,
    P,
    dIn: spec.dIn,
    dOut: spec.dOut,
    q,
    bufA: new Float64Array(hidden),
    bufB: new Float64Array(hidden),
  };
  const shallow = compileShallowKernel(net);
  return shallow && selfCheck(net, shallow) ? { ...net, shallow } : net;
}

/**
 * The generated kernel must reproduce the loops on a random network (relative 1e-9: both are float64 from the same
 * float32 parameters, only the readout summation order differs); otherwise it is not used.
 */
function selfCheck(net: HostNet, kernel: ShallowKernel): boolean {
  const rng = new Rng('host-net-self-check');
  const params = net.layout.map((L, k) => rng.normalArray(net.sizes[k], 0, 0.5));
  const offsets = params.map(() => 0);
  const a = new Float32Array(net.P * net.dOut);
  const b = new Float32Array(net.P * net.dOut);
  hostForwardLoops(net, params, offsets, a, 0);
  const [L0, L1] = net.layers;
  kernel(params[L0.w], 0, L0.b >= 0 ? params[L0.b] : null, 0, params[L1.w], 0, L1.b >= 0 ? params[L1.b] : null, 0, b, 0);
  return a.every((v, i) => Math.abs(v - b[i]) <= 1e-6 * Math.max(1, Math.abs(v)) || (Number.isNaN(v) && Number.isNaN(b[i])));
}

/** Dot product of W[wo .. wo+n) and a[ao .. ao+n) with four independent accumulators (latency, not throughput, bound otherwise). */
function dot(W: Float32Array, wo: number, a: Float64Array, ao: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += W[wo + k] * a[ao + k];
    s1 += W[wo + k + 1] * a[ao + k + 1];
    s2 += W[wo + k + 2] * a[ao + k + 2];
    s3 += W[wo + k + 3] * a[ao + k + 3];
  }
  for (; k < n; k++) s0 += W[wo + k] * a[ao + k];
  return s0 + s1 + s2 + s3;
}

/**
 * First layer into z [P, N]: z[p, j] = s_w Σ_i W0[j, i] x[p, i] + s_b b0[j], inputs-outer so the unit loop has no
 * carried dependency; d_in ≤ 3 unrolled.
 */
function firstLayer(net: HostNet, L: HostNetLayer, W: Float32Array, wo: number, B: Float32Array | undefined, bo: number, z: Float64Array): void {
  const { x, P } = net;
  const dIn = L.fanIn;
  const N = L.fanOut;
  const ws = L.wScale;
  const bs = L.bScale;
  for (let p = 0; p < P; p++) {
    const zo = p * N;
    const xo = p * dIn;
    if (dIn === 1) {
      const x0 = ws * x[xo];
      for (let j = 0; j < N; j++) z[zo + j] = W[wo + j] * x0;
    } else if (dIn === 2) {
      const x0 = ws * x[xo];
      const x1 = ws * x[xo + 1];
      for (let j = 0; j < N; j++) z[zo + j] = W[wo + 2 * j] * x0 + W[wo + 2 * j + 1] * x1;
    } else if (dIn === 3) {
      const x0 = ws * x[xo];
      const x1 = ws * x[xo + 1];
      const x2 = ws * x[xo + 2];
      for (let j = 0; j < N; j++) {
        const r = wo + 3 * j;
        z[zo + j] = W[r] * x0 + W[r + 1] * x1 + W[r + 2] * x2;
      }
    } else {
      for (let j = 0; j < N; j++) z[zo + j] = 0;
      for (let i = 0; i < dIn; i++) {
        const xi = ws * x[xo + i];
        for (let j = 0; j < N; j++) z[zo + j] += W[wo + j * dIn + i] * xi;
      }
    }
    if (B) for (let j = 0; j < N; j++) z[zo + j] += bs * B[bo + j];
  }
}

/**
 * Forward pass of one network on the host: its parameters are `params[k]` from offset `offsets[k]` (layout order,
 * float32 values, computed in float64); writes f(x_p)_d to `out[outOffset + p * d_out + d]`.
 *
 * One hidden layer: the generated kernel of `compileShallowKernel` (inputs as literals, φ inline, readout in
 * registers) when the net has one; otherwise {@link hostForwardLoops}: layer 0 as {@link firstLayer}, hidden and
 * readout layers as dot products over contiguous rows (weights [fan_out, fan_in], activations [P, fan_in]).
 */
export function hostForward(net: HostNet, params: readonly Float32Array[], offsets: readonly number[], out: Float32Array, outOffset: number): void {
  const k = net.shallow;
  if (k) {
    const [L0, L1] = net.layers;
    k(params[L0.w], offsets[L0.w], L0.b >= 0 ? params[L0.b] : null, L0.b >= 0 ? offsets[L0.b] : 0, params[L1.w], offsets[L1.w], L1.b >= 0 ? params[L1.b] : null, L1.b >= 0 ? offsets[L1.b] : 0, out, outOffset);
    return;
  }
  hostForwardLoops(net, params, offsets, out, outOffset);
}

/** {@link hostForward} by the generic loops (any depth), without the generated one-hidden-layer kernel. */
export function hostForwardLoops(net: HostNet, params: readonly Float32Array[], offsets: readonly number[], out: Float32Array, outOffset: number): void {
  const { layers, P, q } = net;
  const act = net.activation.kernel;
  const last = layers.length - 1;
  if (last === 0) {
    // depth 0 (linear model): f = s_w W x + s_b b
    const L = layers[0];
    for (let p = 0; p < P; p++) {
      for (let d = 0; d < L.fanOut; d++) {
        let v = L.wScale * dot(params[L.w], offsets[L.w] + d * L.fanIn, net.x, p * L.fanIn, L.fanIn);
        if (L.b >= 0) v += L.bScale * params[L.b][offsets[L.b] + d];
        out[outOffset + p * L.fanOut + d] = v;
      }
    }
    return;
  }
  const L0 = layers[0];
  let a = net.bufA;
  firstLayer(net, L0, params[L0.w], offsets[L0.w], L0.b >= 0 ? params[L0.b] : undefined, L0.b >= 0 ? offsets[L0.b] : 0, a);
  act(a, P, L0.fanOut, q);
  for (let l = 1; l <= last; l++) {
    const L = layers[l];
    const W = params[L.w];
    const wo = offsets[L.w];
    const fanIn = L.fanIn;
    const fanOut = L.fanOut;
    const B = L.b >= 0 ? params[L.b] : undefined;
    const bo = L.b >= 0 ? offsets[L.b] : 0;
    const z = l === last ? undefined : a === net.bufA ? net.bufB : net.bufA;
    for (let p = 0; p < P; p++) {
      for (let j = 0; j < fanOut; j++) {
        let v = L.wScale * dot(W, wo + j * fanIn, a, p * fanIn, fanIn);
        if (B) v += L.bScale * B[bo + j];
        if (z) z[p * fanOut + j] = v;
        else out[outOffset + p * fanOut + j] = v;
      }
    }
    if (z) {
      act(z, P, fanOut, q);
      a = z;
    }
  }
}

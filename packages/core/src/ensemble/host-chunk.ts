import { UsageError } from '../errors';
import type { SeedKey } from '../rng/hash';
import type { Rng } from '../rng/rng';
import { gaussianSampler, sampleHostParams } from '../nn/params';
import type { HostParamSet, ParamSampler } from '../nn/types';
import { chunkCount, chunkRng } from './plan';
import { hostForward } from './host-net';
import type { EnsembleChunk, EnsemblePlan, HostNet } from './types';

/**
 * Sample and evaluate chunk `c` of an ensemble entirely on the host (the `host` ensemble path): no tensors. The
 * networks are exactly those of the tfjs path (`evaluateChunk` with `path: 'tfjs'`): parameter `name` of chunk c
 * draws from `Rng.derive(seed, 'ensemble', c, name)` in the same order, so the float32 parameters are
 * bit-identical and the outputs agree to float32 rounding (the host computes in float64 from the float32
 * parameters and rounds the outputs to float32; tanh/erf use float32-accurate rational kernels, see
 * `hostActivation`).
 *
 * Fused: with the default Gaussian init ({@link gaussianSampler}) each network's parameters are drawn from the
 * per-parameter streams straight into small per-network buffers (about 2 kB for width 100, d_in 3) and evaluated
 * at once, so nothing of chunk size is written except the outputs; drawing network by network from each stream
 * gives the same numbers as drawing the whole chunk, since each stream is read sequentially either way. Any other
 * sampler fills the chunk's parameter arrays first (as on the tfjs path), then the loop evaluates them in place.
 *
 * `out`: optional output buffer reused across chunks (at least count · P · d_out floats); the chunk's `outputs` is
 * then a view of it, overwritten by the next call — consume it (e.g. `CorrelatorAccumulator.push`) before that.
 *
 * Shapes: outputs row-major Float32Array [count, P, d_out].
 *
 * @example
 * const net = compileHostNet(arch, inputs.points);
 * const ch = evaluateChunkHost(net, seed, { ensemble: 1e6, chunkSize: 4096 }, 7);
 */
export function evaluateChunkHost(net: HostNet, seed: SeedKey, plan: Pick<EnsemblePlan, 'ensemble' | 'chunkSize'>, c: number, sampler: ParamSampler = gaussianSampler, keepParams = false, out?: Float32Array): EnsembleChunk {
  const count = chunkCount(plan.ensemble, plan.chunkSize, c);
  if (count < 1) throw new UsageError(`chunk ${c} is outside an ensemble of ${plan.ensemble} in chunks of ${plan.chunkSize}`, 'chunk');
  const per = net.P * net.dOut;
  let outputs: Float32Array;
  if (out) {
    if (out.length < count * per) throw new RangeError(`evaluateChunkHost: out has ${out.length} floats, chunk ${c} needs ${count * per}`);
    outputs = out.length === count * per ? out : out.subarray(0, count * per);
  } else outputs = new Float32Array(count * per);
  const { layout, sizes } = net;
  const K = layout.length;
  const base = chunkRng(seed, c);
  let host: HostParamSet | undefined;
  if (sampler === gaussianSampler) {
    const rngs: Rng[] = layout.map((L) => base.fork(L.name));
    const stds = layout.map((L) => L.std);
    if (keepParams) host = Object.fromEntries(layout.map((L, k) => [L.name, new Float32Array(count * sizes[k])]));
    const arrays: Float32Array[] = host ? layout.map((L) => (host as HostParamSet)[L.name]) : sizes.map((s) => new Float32Array(s));
    const offsets = new Array<number>(K).fill(0);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < K; k++) {
        if (host) {
          offsets[k] = i * sizes[k];
          rngs[k].fillNormal(arrays[k].subarray(offsets[k], offsets[k] + sizes[k]), 0, stds[k]);
        } else rngs[k].fillNormal(arrays[k], 0, stds[k]);
      }
      hostForward(net, arrays, offsets, outputs, i * per);
    }
  } else {
    host = sampleHostParams(layout, base, count, sampler);
    const arrays = layout.map((L) => (host as HostParamSet)[L.name]);
    const offsets = new Array<number>(K).fill(0);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < K; k++) offsets[k] = i * sizes[k];
      hostForward(net, arrays, offsets, outputs, i * per);
    }
    if (!keepParams) host = undefined;
  }
  return { chunk: c, start: c * plan.chunkSize, count, inputs: net.P, dOut: net.dOut, outputs, path: 'host', ...(host ? { params: host } : {}) };
}

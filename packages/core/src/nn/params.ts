import { tf } from '../tf';
import { NnsymError } from '../errors';
import type { Rng } from '../rng/rng';
import type { HostParamSet, ParamLayout, ParamSampler, ParamSet } from './types';

/** Number of entries of one network's parameter: the product of its shape. */
export function layoutSize(layout: ParamLayout): number {
  return layout.shape.reduce((a, b) => a * b, 1);
}

/**
 * The default NN-QFT Gaussian initialisation (docs/conventions.md): every entry N(0, layout.std²), i.e.
 * W_l ~ N(0, σ_w²/fan_in), b_l ~ N(0, σ_b²) in the standard parameterisation and N(0, 1) in the NTK one.
 * Drawn on the host with the ziggurat (~4x faster than `tf.randomNormal` on wasm).
 *
 * @example gaussianSampler(arch.layout()[0], Rng.derive(0, 'ensemble', 0, 'W0'), 10) // Float32Array [10·N·d_in]
 */
export const gaussianSampler: ParamSampler = (layout, rng, m) => rng.normalArray(m * layoutSize(layout), 0, layout.std);

/**
 * Sample `m` networks on the host: parameter `name` draws from `rng.fork(name)`, so each parameter's stream is
 * independent of the others (changing W1's distribution leaves W0's samples unchanged).
 * Returns row-major Float32Array [m, ...shape] per name.
 */
export function sampleHostParams(layout: readonly ParamLayout[], rng: Rng, m: number, sampler: ParamSampler = gaussianSampler): HostParamSet {
  const out: HostParamSet = {};
  for (const L of layout) {
    const data = sampler(L, rng.fork(L.name), m);
    const want = m * layoutSize(L);
    if (!(data instanceof Float32Array) || data.length !== want) {
      throw new NnsymError(`parameter sampler returned ${data?.length} values for ${L.name}, expected ${want} (m = ${m}, shape [${L.shape.join(', ')}])`);
    }
    out[L.name] = data;
  }
  return out;
}

/** Upload host parameters as tensors [m, ...shape]. The caller disposes them ({@link disposeParams}). */
export function uploadParams(layout: readonly ParamLayout[], host: HostParamSet, m: number): ParamSet {
  const out: ParamSet = {};
  for (const L of layout) out[L.name] = tf.tensor(host[L.name], [m, ...L.shape], 'float32');
  return out;
}

/** Dispose every tensor of a parameter set. */
export function disposeParams(params: ParamSet): void {
  for (const t of Object.values(params)) t.dispose();
}

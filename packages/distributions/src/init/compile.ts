import type { ParamLayout, ParamSampler, Rng } from '@nnsym/core';
import { resolveInit, resolveParamInit, type InitOptions } from './resolve';
import type { InitSpec, ResolvedParamInit } from './types';

function size(L: ParamLayout): number {
  return L.shape.reduce((a, b) => a * b, 1);
}

/**
 * Draw `m` networks' values of one resolved parameter: row-major Float32Array [m, ...shape]. The base law fills
 * everything from `rng`; a block whose law is the base family with other mean/std is an affine map of those same
 * draws (x -> mean_b + (x − mean) std_b/std, so a symmetry-breaking ensemble differs from the symmetric one with the
 * same seed only by the shift); other blocks are redrawn from `rng.fork('block', i)`.
 */
export function sampleResolved(r: ResolvedParamInit, rng: Rng, m: number): Float32Array {
  const L = r.layout;
  const n = size(L);
  const out = r.base.fill(new Float32Array(m * n), rng);
  const C = L.shape.length > 1 ? L.shape[1] : 1;
  const baseStd = Math.sqrt(r.base.variance);
  r.blocks.forEach((b, i) => {
    const bStd = Math.sqrt(b.dist.variance);
    const affine =
      baseStd > 0 &&
      Number.isFinite(baseStd) &&
      Number.isFinite(bStd) &&
      r.base.withMoments(b.dist.mean, bStd).describe() === b.dist.describe();
    const [r0, r1] = b.rows;
    const [c0, c1] = b.cols;
    const w = c1 - c0;
    let tmp: Float32Array | undefined;
    if (!affine) tmp = b.dist.fill(new Float32Array(m * (r1 - r0) * w), rng.fork('block', i));
    let k = 0;
    for (let net = 0; net < m; net++) {
      for (let row = r0; row < r1; row++) {
        const o = net * n + row * C;
        for (let col = c0; col < c1; col++) {
          out[o + col] = affine ? b.dist.mean + (out[o + col] - r.base.mean) * (bStd / baseStd) : (tmp as Float32Array)[k++];
        }
      }
    }
  });
  return out;
}

/**
 * Compile an {@link InitSpec} to core's `ParamSampler`, for `ensembleChunks({ sampler })` and `arch.init`.
 * With `layouts` the spec is validated eagerly (every rule must select a parameter; blocks in range; known
 * distributions), so errors surface before any sampling; without, each parameter is resolved on first use.
 *
 * @example
 * const sampler = compileInitSpec(parseInitSpec('mean-rows(k=2,mu=0.5)'), arch.layout());
 * for (const ch of ensembleChunks({ arch, inputs, ensemble: 1e4, seed: 0, sampler })) ...
 */
export function compileInitSpec(spec: InitSpec, layouts?: readonly ParamLayout[], opts: InitOptions = {}): ParamSampler {
  const cache = new Map<string, ResolvedParamInit>();
  if (layouts) for (const r of resolveInit(spec, layouts, opts)) cache.set(key(r.layout), r);
  return (L, rng, m) => {
    const k = key(L);
    let r = cache.get(k);
    if (!r) {
      r = resolveParamInit(spec, L, opts);
      cache.set(k, r);
    }
    return sampleResolved(r, rng, m);
  };
}

function key(L: ParamLayout): string {
  return `${L.name}|${L.shape.join('x')}|${L.std}|${L.role}|${L.output}`;
}

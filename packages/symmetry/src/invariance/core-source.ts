import { createArchitecture, ensembleChunks, type Architecture, type ParamLayout } from '@nnsym/core';
import { compileInitSpec, resolveInit, type Distribution, type InitRule, type InitSpec, type ResolvedParamInit } from '@nnsym/distributions';
import type { DeclaredInvariance, EnsembleSource, LayerLaw, ParameterSide, StudyEnsemble } from './types';

/** The init spec of a study: its `init` rules plus the breaking flags (`Wout.rows[0:k].mean=μ`, `W0.mean=μ0`). */
export function studyInitSpec(e: StudyEnsemble): InitSpec {
  const rules: InitRule[] = [...(e.init?.rules ?? [])];
  if (e.inputMean) rules.push({ target: 'W0', mean: e.inputMean });
  if (e.breakMean) rules.push({ target: 'Wout', rows: [0, e.breakRows ?? 1], mean: e.breakMean });
  return { rules, source: e.init?.source };
}

/** The architecture of a study (core's registry; width, dims and σ's from the study). */
export function studyArchitecture(e: StudyEnsemble): Architecture {
  return createArchitecture(e.arch, { width: e.width, dIn: e.dIn, dOut: e.dOut, sigmaW: e.sw ?? 1, sigmaB: e.sb ?? 1 }, undefined, '--arch');
}

/**
 * Core's tfjs ensemble runner (`ensembleChunks`, float32) with the study's init compiled by @nnsym/distributions, as
 * an {@link EnsembleSource}. Call `initBackend()` first.
 */
export const coreEnsembleSource: EnsembleSource = Object.assign(
  function* (e: StudyEnsemble, points: readonly Float64Array[], seed: string | number) {
    const arch = studyArchitecture(e);
    const spec = studyInitSpec(e);
    const sampler = spec.rules.length ? compileInitSpec(spec, arch.layout()) : undefined;
    for (const ch of ensembleChunks({ arch, inputs: points.map((p) => Array.from(p)), ensemble: e.networks, seed, sampler })) {
      yield { count: ch.count, points: ch.inputs, dOut: ch.dOut, outputs: ch.outputs };
    }
  },
  { precision: 'float32 (tfjs ensemble runner)' },
);

/** The centred law's declared invariance (a normal N(μ, σ²) is O(n)-invariant once its mean is taken out). */
function centredInvariance(d: Distribution): DeclaredInvariance {
  const std = Math.sqrt(d.variance);
  const inv = (Number.isFinite(std) ? d.withMoments(0, std) : d).invariance;
  return inv.orthogonal ? 'orthogonal' : inv.signFlip ? 'signed-permutation' : inv.permutation ? 'permutation' : 'none';
}

const RANK: DeclaredInvariance[] = ['none', 'permutation', 'signed-permutation', 'orthogonal'];
const weakest = (xs: DeclaredInvariance[]) => xs.reduce((a, b) => (RANK.indexOf(a) <= RANK.indexOf(b) ? a : b), 'orthogonal' as DeclaredInvariance);

/** Mean matrix [R, C] of one parameter (base mean, overridden block by block). */
function meanMatrix(r: ResolvedParamInit): { R: number; C: number; m: Float64Array } {
  const L: ParamLayout = r.layout;
  const R = L.shape[0];
  const C = L.shape.length > 1 ? L.shape[1] : 1;
  const m = new Float64Array(R * C).fill(r.base.mean);
  for (const b of r.blocks) for (let i = b.rows[0]; i < b.rows[1]; i++) for (let j = b.cols[0]; j < b.cols[1]; j++) m[i * C + j] = b.dist.mean;
  return { R, C, m };
}

const distinct = (vs: number[][]) => [...new Map(vs.map((v) => [v.join(','), v])).values()];

/**
 * Read the parameter side off a resolved init: the invariance each distribution declares (of its centred law, via
 * @nnsym/distributions' `invariance`), weakest over the layer's base law and blocks; and the mean vectors the group
 * must fix — the distinct rows of E[W0] for inputs, the distinct columns of E[W_out] and E[b_out] for outputs. A
 * block whose std differs from the base makes the layer non-iid along the acted index: invariance `none`.
 */
export function parameterSideFromInit(arch: Architecture, spec: InitSpec): ParameterSide {
  const resolved = resolveInit(spec, arch.layout());
  const get = (pred: (L: ParamLayout) => boolean) => resolved.filter((r) => pred(r.layout));
  const law = (rs: ResolvedParamInit[], actsOnRows: boolean): DeclaredInvariance =>
    weakest(
      rs.flatMap((r) => {
        const baseStd = Math.sqrt(r.base.variance);
        const dims = r.layout.shape;
        return [
          centredInvariance(r.base),
          ...r.blocks.map((b) => {
            const full = actsOnRows ? b.rows[0] === 0 && b.rows[1] === dims[0] : b.cols[0] === 0 && b.cols[1] === (dims[1] ?? 1);
            return Math.abs(Math.sqrt(b.dist.variance) - baseStd) > 1e-12 * baseStd && !full ? 'none' : centredInvariance(b.dist);
          }),
        ];
      }),
    );
  const first = get((L) => L.layer === 0 && L.role === 'weight');
  const last = get((L) => L.output);
  const firstMeans = first.flatMap((r) => {
    const { R, C, m } = meanMatrix(r);
    return Array.from({ length: R }, (_, i) => Array.from(m.subarray(i * C, (i + 1) * C)));
  });
  const lastMeans = last.flatMap((r) => {
    const { R, C, m } = meanMatrix(r);
    return Array.from({ length: C }, (_, j) => Array.from({ length: R }, (_, i) => m[i * C + j]));
  });
  const firstLaw: LayerLaw = { invariance: law(first, false), means: distinct(firstMeans) };
  const lastLaw: LayerLaw = { invariance: law(last, true), means: distinct(lastMeans) };
  return { arch: arch.id, first: firstLaw, last: lastLaw, finiteWidth: true };
}

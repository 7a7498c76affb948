import { z } from 'zod';
import { UsageError } from '../errors';
import { OutputMoments, type OutputMomentsState } from './moments';
import { decodeFloat32, encodeFloat32, type EstimatorPlugin, type Mergeable } from './mergeable';
import type { EnsembleChunk } from './types';

/** The networks' outputs of one chunk, kept by `moments` with `keepOutputs` (float32 in base64, bit-exact). */
export interface KeptOutputs {
  /** Index of the chunk's first network in the ensemble. */
  start: number;
  count: number;
  /** Row-major [count, P, d_out] float32 ({@link encodeFloat32}). */
  data: string;
}

/**
 * State of the `moments` estimator: {@link OutputMomentsState} (plain float64 numbers, exact through JSON) and,
 * with `keepOutputs`, every network's outputs by chunk, ascending in `start`.
 */
export type MomentsState = OutputMomentsState & { outputs?: KeptOutputs[] };

/** Config of the `moments` estimator. */
export interface MomentsConfig {
  /** Also keep every network's outputs (small ensembles: `nnsym sample` prints them); merged in network order. */
  keepOutputs?: boolean;
}

class MomentsAccumulator implements Mergeable<MomentsState> {
  constructor(
    readonly m: OutputMoments,
    readonly outputs?: KeptOutputs[],
  ) {}
  get count(): number {
    return this.m['n'];
  }
  push(chunk: EnsembleChunk): void {
    this.m.add(chunk);
    this.outputs?.push({ start: chunk.start, count: chunk.count, data: encodeFloat32(chunk.outputs) });
  }
  merge(other: Mergeable<MomentsState>): void {
    const o = other as MomentsAccumulator;
    if (!this.outputs !== !o.outputs) throw new UsageError('merge: one moments partial keeps the outputs and the other does not ("estimator.config.keepOutputs" differs)', 'merge');
    this.m.merge(o.m);
    if (this.outputs && o.outputs) {
      this.outputs.push(...o.outputs);
      this.outputs.sort((a, b) => a.start - b.start);
    }
  }
  toState(): MomentsState {
    return { ...this.m.state(), ...(this.outputs ? { outputs: this.outputs.map((k) => ({ ...k })) } : {}) };
  }
}

/** Every kept network's outputs as [network][input][output] (networks in ensemble order). */
function outputRows(kept: readonly KeptOutputs[], P: number, dOut: number): number[][][] {
  return kept.flatMap((k) => {
    const a = decodeFloat32(k.data, k.count * P * dOut, `outputs of networks ${k.start}..${k.start + k.count - 1}`);
    return Array.from({ length: k.count }, (_, i) => Array.from({ length: P }, (_, p) => Array.from(a.subarray((i * P + p) * dOut, (i * P + p + 1) * dOut))));
  });
}

/**
 * Estimator `moments`: per-coordinate mean and variance of the outputs f(x_p)_d with standard errors
 * ({@link OutputMoments}), the order ≤ 2 ensemble statistic behind `nnsym sample`; with `keepOutputs` it also keeps
 * every network's outputs (merged in network order, so shards of a small ensemble print the same networks as one
 * run). Finalise a partial with `OutputMoments.fromState(partial.state).result()` or the estimator's `finalize`.
 *
 * @example
 * ensembleStatistic$({ spec, estimator: { id: 'moments', config: {} }, threads: 2 })
 */
export const momentsEstimator: EstimatorPlugin<MomentsConfig, MomentsState> = {
  meta: { id: 'moments', kind: 'estimator', description: 'output mean and variance per input and output coordinate, with standard errors (and, with keepOutputs, every output)', version: '1.1.0', package: '@nnsym/core' },
  configSchema: z.object({ keepOutputs: z.boolean().optional() }).strict(),
  create: ({ keepOutputs }) => (ctx) => ({
    create: () => new MomentsAccumulator(new OutputMoments(ctx.spec.points.length, ctx.arch.spec.dOut), keepOutputs ? [] : undefined),
    fromState: (s) => {
      if (!keepOutputs !== !s.outputs) throw new UsageError(`partial result: moments state ${s.outputs ? 'keeps' : 'lacks'} the outputs, but "estimator.config.keepOutputs" is ${keepOutputs === true}`, 'partial');
      return new MomentsAccumulator(OutputMoments.fromState(s), s.outputs ? s.outputs.map((k) => ({ ...k })) : undefined);
    },
    finalize: (acc) => {
      const a = acc as MomentsAccumulator;
      const r = a.m.result();
      return {
        result: {
          count: r.count,
          inputs: r.inputs,
          dOut: r.dOut,
          mean: Array.from(r.mean),
          meanSE: Array.from(r.meanSE),
          variance: Array.from(r.variance),
          varianceSE: Array.from(r.varianceSE),
          ...(a.outputs ? { outputs: outputRows(a.outputs, r.inputs, r.dOut) } : {}),
        },
        precision: 'float32 sampling and evaluation; moments accumulated in float64',
      };
    },
  }),
};

import { z } from 'zod';
import { OutputMoments, type OutputMomentsState } from './moments';
import type { EstimatorPlugin, Mergeable } from './mergeable';
import type { EnsembleChunk } from './types';

/** State of the `moments` estimator: {@link OutputMomentsState} (plain float64 numbers, exact through JSON). */
export type MomentsState = OutputMomentsState;

class MomentsAccumulator implements Mergeable<MomentsState> {
  constructor(readonly m: OutputMoments) {}
  get count(): number {
    return this.m['n'];
  }
  push(chunk: EnsembleChunk): void {
    this.m.add(chunk);
  }
  merge(other: Mergeable<MomentsState>): void {
    this.m.merge((other as MomentsAccumulator).m);
  }
  toState(): MomentsState {
    return this.m.state();
  }
}

/**
 * Estimator `moments`: per-coordinate mean and variance of the outputs f(x_p)_d with standard errors
 * ({@link OutputMoments}), the order ≤ 2 ensemble statistic behind `nnsym sample --moments`. Finalise a partial
 * with `OutputMoments.fromState(partial.state).result()`.
 *
 * @example
 * ensembleStatistic$({ spec, estimator: { id: 'moments', config: {} }, threads: 2 })
 */
export const momentsEstimator: EstimatorPlugin<Record<string, never>, MomentsState> = {
  meta: { id: 'moments', kind: 'estimator', description: 'output mean and variance per input and output coordinate, with standard errors', version: '1.0.0', package: '@nnsym/core' },
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  create: () => (ctx) => ({
    create: () => new MomentsAccumulator(new OutputMoments(ctx.spec.points.length, ctx.arch.spec.dOut)),
    fromState: (s) => new MomentsAccumulator(OutputMoments.fromState(s)),
    finalize: (acc) => {
      const r = (acc as MomentsAccumulator).m.result();
      return { result: { count: r.count, inputs: r.inputs, dOut: r.dOut, mean: Array.from(r.mean), meanSE: Array.from(r.meanSE), variance: Array.from(r.variance), varianceSE: Array.from(r.varianceSE) }, precision: 'float32 sampling and evaluation; moments accumulated in float64' };
    },
  }),
};

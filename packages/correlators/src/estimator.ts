import { z } from 'zod';
import { type EnsembleChunk, type EnsemblePartial, type EnsembleSpec, type EstimatorPlugin, type EstimatorRef, type Mergeable } from '@nnsym/core';
import { CorrelatorAccumulator, mergeGroups } from './accumulator';
import { kernelFor } from './kernel';
import { correlatorLayout } from './layout';
import { accumulatorState, CORRELATOR_PARTIAL_VERSION, restoreAccumulator, tupleMeansFor, type CorrelatorPartial, type CorrelatorRunSpec, type CorrelatorState } from './partial';

/**
 * Config of the `correlators` estimator: the even orders, the jackknife groups B, and the analytic NNGP kernel of
 * the run's inputs (P×P row-major, when the architecture has one), from which the per-network tuple means are built.
 */
export interface CorrelatorEstimatorConfig {
  orders: number[];
  groups: number;
  kernel?: number[];
}

export type { CorrelatorState } from './partial';

class CorrelatorMergeable implements Mergeable<CorrelatorState> {
  constructor(readonly acc: CorrelatorAccumulator) {}
  get count(): number {
    return this.acc.count;
  }
  push(chunk: EnsembleChunk): void {
    this.acc.push(chunk.outputs, chunk.count, chunk.start);
  }
  merge(other: Mergeable<CorrelatorState>): void {
    mergeGroups(this.acc, (other as CorrelatorMergeable).acc);
  }
  toState(): CorrelatorState {
    return accumulatorState(this.acc);
  }
}

/**
 * Estimator `correlators`: Monte-Carlo n-point correlators G^(n) of the outputs, per tuple of (input, output) slots,
 * in B interleaved jackknife groups (network i in group i mod B), Chan-mergeable and bit-exact through checkpoints
 * (Halverson, Maiti, Stoner, arXiv 2008.08601). `correlators$` runs it and `finalizeCorrelators` decides.
 *
 * @example
 * ensembleStatistic$({ spec, estimator: { id: 'correlators', config: { orders: [2, 4], groups: 16 } }, threads: 2 })
 */
export const correlatorsEstimator: EstimatorPlugin<CorrelatorEstimatorConfig, CorrelatorState> = {
  meta: { id: 'correlators', kind: 'estimator', description: 'n-point correlators of the outputs with jackknife groups (nnsym correlators)', version: '2.0.0', package: '@nnsym/correlators', reference: 'arXiv 2008.08601' },
  configSchema: z.object({ orders: z.array(z.number().int().positive()).min(1), groups: z.number().int().min(2), kernel: z.array(z.number()).optional() }) as unknown as z.ZodType<CorrelatorEstimatorConfig>,
  create: (config) => (ctx) => {
    const layout = correlatorLayout(ctx.spec.points.length, ctx.arch.spec.dOut, config.orders);
    const tupleMeans = tupleMeansFor(layout, config.kernel);
    return {
      create: () => new CorrelatorMergeable(new CorrelatorAccumulator(layout, { groups: config.groups, tupleMeans })),
      fromState: (s) => new CorrelatorMergeable(restoreAccumulator(layout, config.groups, s, tupleMeans)),
    };
  },
};

/**
 * The ensemble run of a correlator spec: core's {@link EnsembleSpec} (architecture id + config, the points as the
 * float32 values the networks always saw) and the `correlators` estimator.
 */
export function correlatorRun(spec: CorrelatorRunSpec): { spec: EnsembleSpec; estimator: EstimatorRef<CorrelatorEstimatorConfig> } {
  const config: Record<string, unknown> = { width: spec.width, dIn: spec.dIn, dOut: spec.dOut, sigmaW: spec.sigmaW, sigmaB: spec.sigmaB, parameterization: spec.parameterization };
  if (spec.depth !== undefined) config.depth = spec.depth;
  if (spec.activation !== undefined) config.activation = spec.activation;
  if (spec.bias === false) config.bias = false;
  const kernel = kernelFor(spec).kernel;
  return {
    // Math.fround: the inputs the networks see are float32 (as when they were uploaded to a tensor), on both paths.
    spec: { arch: { id: spec.arch, config }, points: spec.inputs.map((r) => r.map(Math.fround)), ensemble: spec.ensemble, chunkSize: spec.chunkSize, seed: spec.seed },
    estimator: { id: 'correlators', config: { orders: [...spec.orders], groups: spec.groups, ...(kernel ? { kernel: Array.from(kernel) } : {}) } },
  };
}

/** A correlator partial from the runner's generic partial (same state, chunks and flags). */
export function toCorrelatorPartial(spec: CorrelatorRunSpec, p: EnsemblePartial<CorrelatorState>): CorrelatorPartial {
  return { format: 'nnsym-correlators-partial', version: CORRELATOR_PARTIAL_VERSION, spec, chunks: p.chunks, done: p.done, networks: p.networks, complete: p.complete, ...(p.interrupted ? { interrupted: true } : {}), state: p.state };
}

/** The runner's generic partial of a correlator partial (to resume from it). */
export function fromCorrelatorPartial(p: CorrelatorPartial): EnsemblePartial<CorrelatorState> {
  const run = correlatorRun(p.spec);
  return { format: 'nnsym-ensemble-partial', version: 1, spec: run.spec, estimator: run.estimator, chunks: p.chunks, done: p.done, networks: p.networks, complete: p.complete, ...(p.interrupted ? { interrupted: true } : {}), state: p.state };
}

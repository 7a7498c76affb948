import { z } from 'zod';
import { decodeFloat64, encodeFloat64, type EnsembleChunk, type EnsemblePartial, type EnsembleSpec, type EstimatorPlugin, type EstimatorRef, type Mergeable } from '@nnsym/core';
import { CorrelatorAccumulator, mergeGroups } from './accumulator';
import { correlatorLayout } from './layout';
import type { CorrelatorPartial, CorrelatorRunSpec } from './partial';

/** Config of the `correlators` estimator: the even orders and the jackknife groups B. */
export interface CorrelatorEstimatorConfig {
  orders: number[];
  groups: number;
}

/** State: per group the count, means and M2 of every tuple product (float64, base64) — `CorrelatorPartial.state`. */
export type CorrelatorState = CorrelatorPartial['state'];

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
    const a = this.acc;
    return { groups: a.groups, statCount: a.statCount, n: Array.from(a.n), mean: encodeFloat64(a.mean), m2: encodeFloat64(a.m2), encoding: 'f64le-base64' };
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
  meta: { id: 'correlators', kind: 'estimator', description: 'n-point correlators of the outputs with jackknife groups (nnsym correlators)', version: '1.0.0', package: '@nnsym/correlators', reference: 'arXiv 2008.08601' },
  configSchema: z.object({ orders: z.array(z.number().int().positive()).min(1), groups: z.number().int().min(2) }) as unknown as z.ZodType<CorrelatorEstimatorConfig>,
  create: (config) => (ctx) => {
    const layout = () => correlatorLayout(ctx.spec.points.length, ctx.arch.spec.dOut, config.orders);
    return {
      create: () => new CorrelatorMergeable(new CorrelatorAccumulator(layout(), { groups: config.groups })),
      fromState: (s) => {
        const acc = new CorrelatorAccumulator(layout(), { groups: config.groups });
        if (s.statCount !== acc.statCount || s.n.length !== acc.groups) throw new RangeError('partial result: state does not match its spec (corrupt file?)');
        acc.n.set(s.n);
        acc.mean.set(decodeFloat64(s.mean, acc.mean.length, 'mean'));
        acc.m2.set(decodeFloat64(s.m2, acc.m2.length, 'm2'));
        return new CorrelatorMergeable(acc);
      },
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
  return {
    // Math.fround: the inputs the networks see are float32 (as when they were uploaded to a tensor), on both paths.
    spec: { arch: { id: spec.arch, config }, points: spec.inputs.map((r) => r.map(Math.fround)), ensemble: spec.ensemble, chunkSize: spec.chunkSize, seed: spec.seed },
    estimator: { id: 'correlators', config: { orders: [...spec.orders], groups: spec.groups } },
  };
}

/** A correlator partial from the runner's generic partial (same state, chunks and flags). */
export function toCorrelatorPartial(spec: CorrelatorRunSpec, p: EnsemblePartial<CorrelatorState>): CorrelatorPartial {
  return { format: 'nnsym-correlators-partial', version: 1, spec, chunks: p.chunks, done: p.done, networks: p.networks, complete: p.complete, ...(p.interrupted ? { interrupted: true } : {}), state: p.state };
}

/** The runner's generic partial of a correlator partial (to resume from it). */
export function fromCorrelatorPartial(p: CorrelatorPartial): EnsemblePartial<CorrelatorState> {
  const run = correlatorRun(p.spec);
  return { format: 'nnsym-ensemble-partial', version: 1, spec: run.spec, estimator: run.estimator, chunks: p.chunks, done: p.done, networks: p.networks, complete: p.complete, ...(p.interrupted ? { interrupted: true } : {}), state: p.state };
}

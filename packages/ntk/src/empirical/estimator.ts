import { z } from 'zod';
import { currentBackend, tf, uploadParams, type Architecture, type EnsembleChunk, type EnsemblePartial, type EstimatorPlugin, type Mergeable } from '@nnsym/core';
import { ntkChunk } from './architecture-ntk';
import { KernelAccumulator, type KernelAccumulatorState } from './kernel-accumulator';
import type { EmpiricalNtkResult, NtkOutputMode } from './types';

/** Config of the `empirical-ntk` estimator (the options of `architectureNtk` that shape the result). */
export interface EmpiricalNtkEstimatorConfig {
  mode: NtkOutputMode;
  method: 'auto' | 'structured' | 'vjp';
  batchSize?: number;
  maxBytes?: number;
}

/** State: the NTK and NNGP accumulators and what the last chunk reported about the computation. */
export interface EmpiricalNtkState {
  ntk: KernelAccumulatorState | null;
  nngp: KernelAccumulatorState;
  info: { method: 'structured' | 'vjp'; paramCount: number; batchSize: number; dOut: number; size: number } | null;
}

/** The finalised empirical NTK, as `architectureNtk` returns it. */
export type EmpiricalNtkRunResult = Omit<EmpiricalNtkResult, never> & { method: 'structured' | 'vjp'; nngp: { mean: Float64Array; stderr: Float64Array } };

class NtkMergeable implements Mergeable<EmpiricalNtkState> {
  constructor(
    readonly arch: Architecture,
    readonly points: readonly (readonly number[])[],
    readonly config: EmpiricalNtkEstimatorConfig,
    public acc: KernelAccumulator | undefined,
    readonly nngp: KernelAccumulator,
    public info: EmpiricalNtkState['info'],
  ) {}
  get count(): number {
    return this.nngp.count;
  }
  push(chunk: EnsembleChunk): void {
    if (!chunk.params) throw new Error('empirical-ntk: the runner sent a chunk without parameters (keepParams)');
    const params = uploadParams(this.arch.layout(), chunk.params, chunk.count);
    const P = this.points.length;
    const xT = tf.tensor2d(this.points.map((r) => [...r]), [P, this.points[0].length]);
    try {
      const { last, method } = ntkChunk(this.arch, params, this.points, xT, { mode: this.config.mode, method: this.config.method, batchSize: this.config.batchSize, maxBytes: this.config.maxBytes }, this.acc, this.nngp);
      this.acc = last.acc;
      this.info = { method, paramCount: last.paramCount, batchSize: last.batchSize, dOut: last.dOut, size: last.size };
    } finally {
      xT.dispose();
      Object.values(params).forEach((t) => t.dispose());
    }
  }
  merge(other: Mergeable<EmpiricalNtkState>): void {
    const o = other as NtkMergeable;
    if (o.acc) {
      if (this.acc) this.acc.merge(o.acc);
      else this.acc = KernelAccumulator.fromState(o.acc.toState());
    }
    this.nngp.merge(o.nngp);
    this.info = this.info ?? o.info;
  }
  toState(): EmpiricalNtkState {
    return { ntk: this.acc ? this.acc.toState() : null, nngp: this.nngp.toState(), info: this.info };
  }
  result(): EmpiricalNtkRunResult {
    if (!this.acc || !this.info) throw new Error('empirical-ntk: no networks accumulated');
    const i = this.info;
    return {
      mode: this.config.mode,
      P: this.points.length,
      dOut: i.dOut,
      size: i.size,
      mean: this.acc.mean(),
      stderr: this.acc.stderr(),
      M: this.acc.count,
      paramCount: i.paramCount,
      batchSize: i.batchSize,
      precision: `float32 Jacobians and Gram products (tfjs ${currentBackend()?.name ?? tf.getBackend()}), float64 ensemble accumulation`,
      method: i.method,
      nngp: { mean: this.nngp.mean(), stderr: this.nngp.stderr() },
    };
  }
}

/**
 * Estimator `empirical-ntk`: the ensemble mean and standard error of the empirical NTK Θ(x, x') (and the Monte-Carlo
 * NNGP from the same networks) over the runner's chunks, exactly `architectureNtk`'s per-chunk computation
 * ({@link ntkChunk}) on the chunk's sampled parameters; mergeable over threads and shards, bit-exact through
 * checkpoints. Jacot et al. 2018; neural-tangents' `empirical_ntk_fn` + `monte_carlo_kernel_fn`.
 *
 * @example
 * ensembleStatistic$({ spec, estimator: { id: 'empirical-ntk', config: { mode: 'trace', method: 'auto' } }, threads: 2 })
 */
export const empiricalNtkEstimator: EstimatorPlugin<EmpiricalNtkEstimatorConfig, EmpiricalNtkState> = {
  meta: { id: 'empirical-ntk', kind: 'estimator', description: 'empirical NTK and Monte-Carlo NNGP of an ensemble, mean ± standard error', version: '1.0.0', package: '@nnsym/ntk', reference: 'Jacot et al. 2018, arXiv 1806.07572' },
  configSchema: z.object({
    mode: z.enum(['full', 'trace', 'diagonal']),
    method: z.enum(['auto', 'structured', 'vjp']),
    batchSize: z.number().int().positive().optional(),
    maxBytes: z.number().positive().optional(),
  }) as unknown as z.ZodType<EmpiricalNtkEstimatorConfig>,
  create: (config) => (ctx) => {
    const P = ctx.spec.points.length;
    return {
      keepParams: true,
      create: () => new NtkMergeable(ctx.arch, ctx.spec.points, config, undefined, new KernelAccumulator(P * P), null),
      fromState: (s) => new NtkMergeable(ctx.arch, ctx.spec.points, config, s.ntk ? KernelAccumulator.fromState(s.ntk) : undefined, KernelAccumulator.fromState(s.nngp), s.info),
      finalize: (acc) => {
        const r = (acc as NtkMergeable).result();
        return { result: { ...r, mean: Array.from(r.mean), stderr: Array.from(r.stderr), nngp: { mean: Array.from(r.nngp.mean), stderr: Array.from(r.nngp.stderr) } }, precision: r.precision };
      },
    };
  },
};

/** The empirical NTK of a complete `empirical-ntk` partial (as `architectureNtk` returns it). */
export function empiricalNtkFromPartial(p: EnsemblePartial<EmpiricalNtkState>, arch: Architecture): EmpiricalNtkRunResult {
  const config = p.estimator.config as EmpiricalNtkEstimatorConfig;
  const s = p.state;
  return new NtkMergeable(arch, p.spec.points, config, s.ntk ? KernelAccumulator.fromState(s.ntk) : undefined, KernelAccumulator.fromState(s.nngp), s.info).result();
}

import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { UsageError } from '../errors';
import type { SeedKey } from '../rng/hash';
import { gaussianSampler, sampleHostParams, uploadParams, disposeParams } from '../nn/params';
import type { Architecture, ParamSampler } from '../nn/types';
import type { InputSet } from '../inputs/types';
import { chunkCount, chunkRng, defaultChunkSize, planEnsemble } from './plan';
import type { EnsembleChunk, EnsembleOptions, EnsemblePlan } from './types';

function isTensor(x: unknown): x is Tensor2D {
  return x instanceof tf.Tensor;
}

/** Number of input points of an `inputs` option. */
export function inputCount(inputs: EnsembleOptions['inputs']): number {
  if (isTensor(inputs)) return inputs.shape[0];
  if (Array.isArray(inputs)) return inputs.length;
  return (inputs as InputSet).count;
}

/** Upload the `inputs` option as a Tensor2D [P, d_in] after checking d_in; `owned` says whether to dispose it. */
export function inputTensor(inputs: EnsembleOptions['inputs'], dIn: number): { x: Tensor2D; owned: boolean } {
  let d: number;
  if (isTensor(inputs)) d = inputs.rank === 2 ? inputs.shape[1] : -1;
  else if (Array.isArray(inputs)) d = inputs.length > 0 && inputs.every((r) => r.length === inputs[0].length) ? inputs[0].length : -1;
  else d = (inputs as InputSet).dIn;
  if (d !== dIn) throw new UsageError(`inputs have dimension ${d < 0 ? 'mixed/unknown' : d} but the architecture has d_in = ${dIn}`, 'inputs');
  if (isTensor(inputs)) return { x: inputs, owned: false };
  if (Array.isArray(inputs)) {
    const rows = inputs as readonly (readonly number[])[];
    const flat = new Float32Array(rows.length * dIn);
    rows.forEach((r, p) => flat.set(r, p * dIn));
    return { x: tf.tensor2d(flat, [rows.length, dIn]), owned: true };
  }
  const set = inputs as InputSet;
  return { x: tf.tensor2d(Float32Array.from(set.points), [set.count, dIn]), owned: true };
}

/**
 * Sample and evaluate chunk `c` alone: its parameters come from `Rng.derive(seed, 'ensemble', c, name)`, so the
 * result equals chunk c of any run with the same seed, ensemble size and chunk size. Tensors are disposed before
 * it returns. `x` is [P, d_in] (not disposed).
 */
export function evaluateChunk(arch: Architecture, x: Tensor2D, seed: SeedKey, plan: Pick<EnsemblePlan, 'ensemble' | 'chunkSize'>, c: number, sampler: ParamSampler = gaussianSampler, keepParams = false): EnsembleChunk {
  const count = chunkCount(plan.ensemble, plan.chunkSize, c);
  if (count < 1) throw new UsageError(`chunk ${c} is outside an ensemble of ${plan.ensemble} in chunks of ${plan.chunkSize}`, 'chunk');
  const layout = arch.layout();
  const host = sampleHostParams(layout, chunkRng(seed, c), count, sampler);
  const params = uploadParams(layout, host, count);
  let outputs: Float32Array;
  try {
    const f = arch.apply(params, x);
    try {
      outputs = f.dataSync() as Float32Array;
    } finally {
      f.dispose();
    }
  } finally {
    disposeParams(params);
  }
  return { chunk: c, start: c * plan.chunkSize, count, inputs: x.shape[0], dOut: arch.spec.dOut, outputs, ...(keepParams ? { params: host } : {}) };
}

/** Resolve the plan of an ensemble run (default chunk size from the memory budget). */
export function ensemblePlan(opts: Pick<EnsembleOptions, 'arch' | 'inputs' | 'ensemble' | 'chunkSize' | 'shard'>): EnsemblePlan {
  const chunkSize = opts.chunkSize ?? Math.min(opts.ensemble, defaultChunkSize(opts.arch, inputCount(opts.inputs)));
  return planEnsemble(opts.ensemble, chunkSize, opts.shard);
}

/**
 * Sample and evaluate an ensemble of M networks chunk by chunk, in bounded memory: a lazy generator of
 * {@link EnsembleChunk}s (this shard's chunks, in order). Each chunk is sampled on the host from
 * `Rng.derive(seed, 'ensemble', c, paramName)`, uploaded, evaluated and disposed before it is yielded, so the
 * number of live tensors is flat however many chunks run; breaking out of the loop early disposes everything.
 *
 * When to use: any Monte-Carlo over networks (correlators, invariance tests, `nnsym sample`). For events and
 * progress use {@link ensemble$}. Reproducibility: same seed + ensemble size + chunk size give bit-identical
 * outputs on one backend; chunk c can be regenerated alone with {@link evaluateChunk}; shards (i of n take
 * c = i, i+n, ...) together give exactly the unsharded run.
 *
 * Shapes: inputs [P, d_in]; each chunk's `outputs` is row-major Float32Array [count, P, d_out] (float32 compute).
 *
 * @example
 * const arch = createArchitecture('gauss-net', { width: 100, dIn: 3 });
 * for (const ch of ensembleChunks({ arch, inputs: parseInputs('normal:8', { dIn: 3 }), ensemble: 1e5, seed: 1 })) {
 *   accumulate(ch.outputs, ch.count); // e.g. OutputMoments.add(ch)
 * }
 */
export function* ensembleChunks(opts: EnsembleOptions): Generator<EnsembleChunk, void, undefined> {
  const plan = ensemblePlan(opts);
  const { x, owned } = inputTensor(opts.inputs, opts.arch.spec.dIn);
  try {
    for (const c of plan.mine) yield evaluateChunk(opts.arch, x, opts.seed, plan, c, opts.sampler ?? gaussianSampler, opts.keepParams ?? false);
  } finally {
    if (owned) x.dispose();
  }
}

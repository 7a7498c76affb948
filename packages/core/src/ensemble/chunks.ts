import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { UsageError } from '../errors';
import type { SeedKey } from '../rng/hash';
import { gaussianSampler, sampleHostParams, uploadParams, disposeParams } from '../nn/params';
import type { Architecture, ParamSampler } from '../nn/types';
import type { InputSet } from '../inputs/types';
import { checkInputDim } from '../inputs/parse';
import { chunkCount, chunkRng, defaultChunkSize, planEnsemble } from './plan';
import { chooseEnsemblePath } from './path';
import { compileHostNet } from './host-net';
import { evaluateChunkHost } from './host-chunk';
import type { EnsembleChunk, EnsembleOptions, EnsemblePath, EnsemblePathRequest, EnsemblePlan, HostNet } from './types';

function isTensor(x: unknown): x is Tensor2D {
  return x instanceof tf.Tensor;
}

/** Number of input points of an `inputs` option. */
export function inputCount(inputs: EnsembleOptions['inputs']): number {
  if (isTensor(inputs)) return inputs.shape[0];
  if (Array.isArray(inputs)) return inputs.length;
  return (inputs as InputSet).count;
}

/** The `inputs` option on the host as row-major Float64Array [P, d_in] after checking d_in (a tensor is read back). */
export function inputPoints(inputs: EnsembleOptions['inputs'], dIn: number): Float64Array {
  checkInputDim(inputs, dIn, 'inputs');
  if (isTensor(inputs)) return Float64Array.from(inputs.dataSync());
  if (Array.isArray(inputs)) {
    const rows = inputs as readonly (readonly number[])[];
    const flat = new Float64Array(rows.length * dIn);
    rows.forEach((r, p) => flat.set(r, p * dIn));
    return flat;
  }
  return (inputs as InputSet).points;
}

/** Upload the `inputs` option as a Tensor2D [P, d_in] after checking d_in; `owned` says whether to dispose it. */
export function inputTensor(inputs: EnsembleOptions['inputs'], dIn: number): { x: Tensor2D; owned: boolean } {
  checkInputDim(inputs, dIn, 'inputs');
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

/** Host nets compiled per (inputs tensor, architecture), so repeated `evaluateChunk` calls compile once. */
const HOST_NETS = new WeakMap<Tensor2D, WeakMap<Architecture, HostNet>>();

function hostNetFor(arch: Architecture, x: Tensor2D): HostNet {
  let byArch = HOST_NETS.get(x);
  if (!byArch) HOST_NETS.set(x, (byArch = new WeakMap()));
  let net = byArch.get(arch);
  if (!net) byArch.set(arch, (net = compileHostNet(arch, x.dataSync())));
  return net;
}

/** Extra options of {@link evaluateChunk}. */
export interface EvaluateChunkOptions {
  /** `host`, `tfjs` or `auto` (default; env `NNSYM_ENSEMBLE_PATH` overrides auto). See `chooseEnsemblePath`. */
  path?: EnsemblePathRequest;
  /**
   * Host path only: reuse this output buffer (>= count · P · d_out floats); the chunk's `outputs` is a view of it
   * and is overwritten by the next call. Ignored on the tfjs path (its outputs are read back into a new array).
   */
  out?: Float32Array;
}

/**
 * Sample and evaluate chunk `c` alone: its parameters come from `Rng.derive(seed, 'ensemble', c, name)`, so the
 * result equals chunk c of any run with the same seed, ensemble size and chunk size. Tensors are disposed before
 * it returns. `x` is [P, d_in] (not disposed).
 *
 * Path: `options.path` (default `auto`: the measured rule of `chooseEnsemblePath`, or env
 * `NNSYM_ENSEMBLE_PATH`). On the host path the chunk is sampled and evaluated in fused JS loops with no tensors
 * (`x` is read back once per (x, arch) and cached); the same networks as the tfjs path, outputs equal to float32
 * rounding. `chunk.path` records which path ran.
 */
export function evaluateChunk(arch: Architecture, x: Tensor2D, seed: SeedKey, plan: Pick<EnsemblePlan, 'ensemble' | 'chunkSize'>, c: number, sampler: ParamSampler = gaussianSampler, keepParams = false, options: EvaluateChunkOptions = {}): EnsembleChunk {
  const path = chooseEnsemblePath(arch, x.shape[0], options.path).path;
  if (path === 'host') return evaluateChunkHost(hostNetFor(arch, x), seed, plan, c, sampler, keepParams, options.out);
  return evaluateChunkTfjs(arch, x, seed, plan, c, sampler, keepParams);
}

/** The tfjs path of {@link evaluateChunk}: sample on the host, upload, `arch.apply`, read back. */
export function evaluateChunkTfjs(arch: Architecture, x: Tensor2D, seed: SeedKey, plan: Pick<EnsemblePlan, 'ensemble' | 'chunkSize'>, c: number, sampler: ParamSampler = gaussianSampler, keepParams = false): EnsembleChunk {
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
  return { chunk: c, start: c * plan.chunkSize, count, inputs: x.shape[0], dOut: arch.spec.dOut, outputs, path: 'tfjs', ...(keepParams ? { params: host } : {}) };
}

/**
 * A prepared ensemble run: its plan, the chosen path, and `chunk(c)` evaluating one chunk; `dispose()` frees the
 * inputs tensor (tfjs path only; the host path holds no tensors). Shared by {@link ensembleChunks} and `ensemble$`.
 */
export interface EnsembleRun {
  plan: EnsemblePlan;
  path: EnsemblePath;
  reason: string;
  chunk(c: number): EnsembleChunk;
  dispose(): void;
}

/** Prepare an ensemble run (path choice, inputs on the host or uploaded once). */
export function prepareEnsembleRun(opts: EnsembleOptions): EnsembleRun {
  const plan = ensemblePlan(opts);
  const { path, reason } = chooseEnsemblePath(opts.arch, inputCount(opts.inputs), opts.path);
  const sampler = opts.sampler ?? gaussianSampler;
  const keep = opts.keepParams ?? false;
  if (path === 'host') {
    const net = compileHostNet(opts.arch, inputPoints(opts.inputs, opts.arch.spec.dIn));
    return { plan, path, reason, chunk: (c) => evaluateChunkHost(net, opts.seed, plan, c, sampler, keep), dispose: () => undefined };
  }
  const { x, owned } = inputTensor(opts.inputs, opts.arch.spec.dIn);
  let live = owned;
  return {
    plan,
    path,
    reason,
    chunk: (c) => evaluateChunkTfjs(opts.arch, x, opts.seed, plan, c, sampler, keep),
    dispose: () => {
      if (live) x.dispose();
      live = false;
    },
  };
}

/** Resolve the plan of an ensemble run (default chunk size from the memory budget). */
export function ensemblePlan(opts: Pick<EnsembleOptions, 'arch' | 'inputs' | 'ensemble' | 'chunkSize' | 'shard'>): EnsemblePlan {
  const chunkSize = opts.chunkSize ?? Math.min(opts.ensemble, defaultChunkSize(opts.arch, inputCount(opts.inputs)));
  return planEnsemble(opts.ensemble, chunkSize, opts.shard);
}

/**
 * Sample and evaluate an ensemble of M networks chunk by chunk, in bounded memory: a lazy generator of
 * {@link EnsembleChunk}s (this shard's chunks, in order). Each chunk is sampled on the host from
 * `Rng.derive(seed, 'ensemble', c, paramName)` and evaluated either in fused host loops (no tensors; `path: 'host'`)
 * or uploaded, evaluated on tfjs and disposed (`path: 'tfjs'`) before it is yielded — `opts.path`, default the
 * measured rule of `chooseEnsemblePath` — so the number of live tensors is flat however many chunks run; breaking
 * out of the loop early disposes everything. Both paths give the same networks (outputs equal to float32 rounding).
 *
 * When to use: any Monte-Carlo over networks (correlators, invariance tests, `nnsym sample`). For events and
 * progress use {@link ensemble$}. Reproducibility: same seed + ensemble size + chunk size give bit-identical
 * outputs on one backend; chunk c can be regenerated alone with {@link evaluateChunk}; shards (i of n take
 * c = i, i+n, ...) together give exactly the unsharded run.
 *
 * Shapes: inputs [P, d_in]; each chunk's `outputs` is row-major Float32Array [count, P, d_out] (float32 compute on
 * tfjs; float64 compute from float32 parameters on the host).
 *
 * @example
 * const arch = createArchitecture('gauss-net', { width: 100, dIn: 3 });
 * for (const ch of ensembleChunks({ arch, inputs: parseInputs('normal:8', { dIn: 3 }), ensemble: 1e5, seed: 1 })) {
 *   accumulate(ch.outputs, ch.count); // e.g. OutputMoments.add(ch)
 * }
 */
export function* ensembleChunks(opts: EnsembleOptions): Generator<EnsembleChunk, void, undefined> {
  const run = prepareEnsembleRun(opts);
  try {
    for (const c of run.plan.mine) yield run.chunk(c);
  } finally {
    run.dispose();
  }
}

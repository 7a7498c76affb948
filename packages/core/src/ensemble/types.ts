import type { SeedKey } from '../rng/hash';
import type { Architecture, HostParamSet, ParamLayout, ParamSampler } from '../nn/types';
import type { InputSet } from '../inputs/types';
import type { Tensor2D } from '../tf';
import type { HostActivation } from './host-activations';

/** Which chunks a process computes: shard `index` of `count` takes chunks c = index, index + count, ... */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Options of {@link ensembleChunks} and {@link ensemble$}. */
export interface EnsembleOptions {
  /** The architecture (e.g. from `createArchitecture`). */
  arch: Architecture;
  /** Inputs: an {@link InputSet} (from `parseInputs`), rows `number[][]`, or a Tensor2D [P, d_in] (not disposed). */
  inputs: InputSet | readonly (readonly number[])[] | Tensor2D;
  /** Number of networks M in the whole ensemble (over all shards). */
  ensemble: number;
  /** Networks per chunk. Default: {@link defaultChunkSize}. Part of the ensemble's identity: same seed + same chunk size = same networks. */
  chunkSize?: number;
  /** Seed of the ensemble; chunk c draws from `Rng.derive(seed, 'ensemble', c, paramName)`. */
  seed: SeedKey;
  /** Parameter sampler (default: NN-QFT Gaussian init, {@link gaussianSampler}). */
  sampler?: ParamSampler;
  /** Compute only this shard's chunks. */
  shard?: ShardSpec;
  /** Also return each chunk's sampled parameters on the host (memory: the whole chunk's parameters). */
  keepParams?: boolean;
  /**
   * Where chunks are sampled and evaluated: `host` (fused JS loops, no tensors), `tfjs` (upload + tfjs forward) or
   * `auto` (default; the env `NNSYM_ENSEMBLE_PATH=host|tfjs|auto` overrides it). Same networks either way; outputs
   * agree to float32 rounding. See {@link chooseEnsemblePath}.
   */
  path?: EnsemblePathRequest;
}

/** The two ways of evaluating an ensemble chunk (see {@link chooseEnsemblePath}). */
export type EnsemblePath = 'host' | 'tfjs';

/** A path request: one of the paths, or `auto` (measured rule). */
export type EnsemblePathRequest = EnsemblePath | 'auto';

/**
 * One evaluated chunk of an ensemble. `outputs` is row-major [count, P, d_out] float32: network
 * (start + i)'s output d at input p is `outputs[(i * P + p) * dOut + d]`.
 */
export interface EnsembleChunk {
  /** Chunk index c (global, independent of sharding). */
  chunk: number;
  /** Index of the chunk's first network in the ensemble: c * chunkSize. */
  start: number;
  /** Networks in this chunk (chunkSize, or fewer in the last chunk). */
  count: number;
  /** Number of inputs P. */
  inputs: number;
  dOut: number;
  outputs: Float32Array;
  /** Sampled parameters, [count, ...shape] per name, when `keepParams` was set. */
  params?: HostParamSet;
  /** Which path computed the chunk (`host`: float64 compute from float32 parameters; `tfjs`: float32 compute). */
  path?: EnsemblePath;
}

/** Geometry of a chunked ensemble. */
export interface EnsemblePlan {
  ensemble: number;
  chunkSize: number;
  /** Total chunks over all shards. */
  chunks: number;
  /** Chunk indices this shard computes, in order. */
  mine: number[];
  /** Networks this shard computes. */
  networks: number;
}

/** Events of {@link ensemble$}: a discriminated union on `type`. */
export type EnsembleEvent =
  | { type: 'run-start'; plan: EnsemblePlan; arch: string; inputs: number; dOut: number; seed: SeedKey; path?: EnsemblePath }
  | { type: 'chunk'; chunk: EnsembleChunk }
  | { type: 'progress'; done: number; total: number; unit: 'networks'; label?: string; elapsed: number }
  | { type: 'run-end'; networks: number; elapsed: number; networksPerSecond: number };

/**
 * A one-hidden-layer forward pass specialised to fixed inputs: `(W0, o0, b0, ob0, W1, o1, b1, ob1, out, oo)`
 * evaluates one network whose parameters start at the given offsets and writes its [P, d_out] outputs at `oo`.
 */
export type ShallowKernel = (W0: Float32Array, o0: number, b0: Float32Array | null, ob0: number, W1: Float32Array, o1: number, b1: Float32Array | null, ob1: number, out: Float32Array, oo: number) => void;

/** One dense layer of a {@link HostNet}: indices into the layout, fan sizes and forward-pass scales. */
export interface HostNetLayer {
  w: number;
  /** Index of the bias in the layout, or −1 without biases. */
  b: number;
  fanIn: number;
  fanOut: number;
  /** Forward scale of the weights (1 standard, σ_w/√fan_in NTK) and of the bias (1 standard, σ_b NTK). */
  wScale: number;
  bScale: number;
}

/**
 * A dense architecture compiled for host evaluation on fixed inputs: the layer geometry, the activation's host
 * kernel, the inputs [P, d_in] and q(x_p) in float64, and two [P, N] scratch buffers (every hidden layer has width N). Not thread-safe (the
 * scratch buffers are reused network after network).
 */
export interface HostNet {
  readonly arch: Architecture;
  readonly layout: readonly ParamLayout[];
  /** Entries per network of each layout item. */
  readonly sizes: readonly number[];
  readonly layers: readonly HostNetLayer[];
  readonly activation: HostActivation;
  /** Inputs, row-major [P, d_in] float64. */
  readonly x: Float64Array;
  readonly P: number;
  readonly dIn: number;
  readonly dOut: number;
  /** q(x_p) = σ_b² [bias] + σ_w² |x_p|² / d_in, [P] (the Gauss-net normalisation). */
  readonly q: Float64Array;
  readonly bufA: Float64Array;
  readonly bufB: Float64Array;
  /** The generated one-hidden-layer kernel (`compileShallowKernel`), when it applies and passed its self-check. */
  readonly shallow?: ShallowKernel;
}

import { Rng, tf, UsageError, type SeedKey, type Tensor, type Tensor2D, type Tensor3D } from '@nnsym/core';
import { empiricalNtk } from './empirical-ntk';
import { KernelAccumulator } from './kernel-accumulator';
import { mlpStructuredNtk, type DenseMlp } from './structured-mlp';
import type { EmpiricalNtkResult, NtkOutputMode, NtkParamSet } from './types';

/** The parts of core's `ParamLayout` the adapter reads. */
interface LayoutLike {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: 'weight' | 'bias';
  readonly layer: number;
  readonly forwardScale: number;
}

/**
 * The parts of core's `Architecture` the empirical NTK reads (structural, so any plugin's architecture fits):
 * `apply` [M, P, d_out] from params [M, ...] and x [P, d_in], `init(rng, m)`, and optionally the dense layout
 * and activation that enable the structured MLP path.
 */
export interface ArchitectureLike {
  readonly id: string;
  readonly spec?: { dIn: number; dOut: number; width?: number; depth?: number };
  readonly activation?: { id: string; apply(z: Tensor, ctx?: unknown): Tensor; needsContext?: boolean };
  layout?(): LayoutLike[];
  init(rng: Rng, m: number): NtkParamSet;
  apply(params: NtkParamSet, x: Tensor2D): Tensor3D;
}

/** Options of {@link architectureNtk}. */
export interface ArchitectureNtkOptions {
  /** Networks averaged (M). */
  ensemble: number;
  seed: SeedKey;
  mode?: NtkOutputMode;
  /** Networks per chunk (default 16, fewer for networks over 4M parameters; bounds memory with `batchSize` / `maxBytes`). */
  chunkSize?: number;
  /** `auto` (structured for plain dense nets, else VJP), `structured` or `vjp`. */
  method?: 'auto' | 'structured' | 'vjp';
  batchSize?: number;
  maxBytes?: number;
  /** Called after each chunk with the networks done so far (progress bars). */
  onProgress?: (done: number, total: number) => void;
  onMember?: (kernel: Float64Array) => void;
}

/**
 * The dense-MLP view of an architecture's params, when its layout is the dense one (W_l [fanOut, fanIn], b_l,
 * forward scales) and its activation is elementwise; undefined otherwise (then the VJP path applies).
 */
export function denseView(arch: ArchitectureLike, params: NtkParamSet): DenseMlp | undefined {
  const layout = arch.layout?.();
  const act = arch.activation;
  if (!layout || !act || act.needsContext) return undefined;
  const weights = layout.filter((p) => p.role === 'weight').sort((a, b) => a.layer - b.layer);
  if (weights.some((w, l) => w.layer !== l || w.name !== `W${l}` || w.shape.length !== 2)) return undefined;
  const bias = (l: number) => layout.find((p) => p.role === 'bias' && p.layer === l);
  if (layout.length !== weights.length + weights.filter((_, l) => bias(l)).length) return undefined;
  return {
    // core stores W [M, fanOut, fanIn], which the structured path takes as it is (`out-in`: transpose flags with the
    // BLAS kernels); a reshape to the same shape is a new handle on the same data (no copy), which the caller disposes.
    weights: weights.map((w) => params[w.name].reshape(params[w.name].shape) as Tensor3D),
    weightLayout: 'out-in',
    biases: weights.map((_, l) => {
      const b = bias(l);
      return b ? params[b.name] : undefined;
    }),
    phi: (z) => act.apply(z),
    parameterization: 'ntk',
    sigmaW: 1,
    sigmaB: 1,
    weightScales: weights.map((w) => w.forwardScale),
    biasScales: weights.map((_, l) => bias(l)?.forwardScale ?? 0),
  };
}

/**
 * Networks per chunk of an empirical NTK run: 16, fewer when their parameters would exceed ~256 MB of float32
 * (wide deep nets), at most the ensemble.
 *
 * @example defaultNtkChunkSize(createArchitecture('mlp', { width: 512, depth: 2 }), 32) // 16
 */
export function defaultNtkChunkSize(arch: ArchitectureLike, ensemble: number): number {
  const perNet = arch.layout?.().reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
  const auto = perNet ? Math.max(1, Math.min(16, Math.floor(2 ** 26 / perNet))) : 16;
  return Math.max(1, Math.min(ensemble, auto));
}

/**
 * One chunk of an empirical NTK: the kernels of the chunk's networks `params` (structured path for dense MLPs,
 * else VJPs) added to `acc`, and their Monte-Carlo NNGP (1/d_out) Σ_a f_a(x) f_a(x') added to `nngpAcc`. Shared
 * by {@link architectureNtk} and the `empirical-ntk` estimator, so both compute the same numbers from the same
 * networks. `xT` is the inputs [P, d_in] as a tensor (not disposed); `params` are not disposed either.
 */
export function ntkChunk(
  arch: ArchitectureLike,
  params: NtkParamSet,
  inputs: readonly (readonly number[])[],
  xT: Tensor2D,
  o: { mode: NtkOutputMode; method?: 'auto' | 'structured' | 'vjp'; batchSize?: number; maxBytes?: number; onMember?: (kernel: Float64Array) => void },
  acc: KernelAccumulator | undefined,
  nngpAcc: KernelAccumulator,
): { last: EmpiricalNtkResult & { acc: KernelAccumulator }; method: 'structured' | 'vjp' } {
  const P = inputs.length;
  const m = Object.values(params)[0]?.shape[0] ?? 0;
  const dense = o.method === 'vjp' ? undefined : denseView(arch, params);
  if (o.method === 'structured' && !dense) throw new UsageError(`method: architecture "${arch.id}" is not a plain dense MLP; use the VJP method`, 'method');
  let last: EmpiricalNtkResult & { acc: KernelAccumulator };
  if (dense) {
    try {
      last = mlpStructuredNtk(dense, inputs, { mode: o.mode, acc, onMember: o.onMember }) as EmpiricalNtkResult & { acc: KernelAccumulator };
    } finally {
      dense.weights.forEach((w) => w.dispose());
    }
  } else {
    last = empiricalNtk(arch, params, inputs, { mode: o.mode, acc, batchSize: o.batchSize, maxBytes: o.maxBytes, onMember: o.onMember });
  }
  // Monte-Carlo NNGP from the same networks: (1/d_out) Σ_a f_a(x) f_a(x').
  const fT = arch.apply(params, xT);
  const f = fT.dataSync();
  fT.dispose();
  const dOut = f.length / (m * P);
  for (let k = 0; k < m; k++) {
    const g = new Float64Array(P * P);
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < P; j++) {
        let s = 0;
        for (let a = 0; a < dOut; a++) s += f[(k * P + i) * dOut + a] * f[(k * P + j) * dOut + a];
        g[i * P + j] = s / dOut;
      }
    }
    nngpAcc.add(g);
  }
  return { last, method: dense ? 'structured' : 'vjp' };
}

/**
 * Empirical NTK of any architecture plugin, averaged over an ensemble of M networks with standard errors (float64
 * accumulation): networks are drawn chunk by chunk with `arch.init(Rng.derive(seed, 'ensemble', chunk), m)`, the
 * chunks of core's ensemble runner (so a chunk can be regenerated alone, and the `empirical-ntk` estimator on
 * `ensembleStatistic$` gives the same numbers with threads, shards and checkpoints). Dense MLPs use closed-form layer Jacobians ({@link mlpStructuredNtk});
 * anything else per-example VJPs ({@link empiricalNtk}). The same networks also give a Monte-Carlo NNGP,
 * (1/d_out) Σ_a f_a(x) f_a(x') averaged with its standard error (`nngp`, P×P).
 *
 * Shapes: inputs [P, d_in] rows; result as {@link empiricalNtk}.
 *
 * @example
 * const arch = createArchitecture('mlp', { width: 512, depth: 2, dIn: 2, parameterization: 'ntk' });
 * const r = architectureNtk(arch, [[1, 0], [0.6, 0.8]], { ensemble: 32, seed: 0 });
 */
export function architectureNtk(
  arch: ArchitectureLike,
  inputs: readonly (readonly number[])[],
  o: ArchitectureNtkOptions,
): EmpiricalNtkResult & { method: 'structured' | 'vjp'; nngp: { mean: Float64Array; stderr: Float64Array } } {
  const mode = o.mode ?? 'trace';
  if (!(Number.isInteger(o.ensemble) && o.ensemble >= 1)) throw new UsageError(`ensemble must be a positive integer, got ${o.ensemble}`, 'ensemble');
  const dIn = arch.spec?.dIn;
  inputs.forEach((r, i) => {
    if (dIn !== undefined && r.length !== dIn) throw new UsageError(`inputs: input ${i} has dimension ${r.length} but architecture "${arch.id}" has d_in = ${dIn}`, 'inputs');
  });
  const chunk = Math.max(1, Math.min(o.ensemble, o.chunkSize ?? defaultNtkChunkSize(arch, o.ensemble)));
  let acc: KernelAccumulator | undefined;
  const P = inputs.length;
  const nngpAcc = new KernelAccumulator(P * P);
  const xT = tf.tensor2d(inputs.map((r) => [...r]), [P, inputs[0]?.length ?? 0]);
  let last: EmpiricalNtkResult | undefined;
  let method: 'structured' | 'vjp' = 'vjp';
  try {
    for (let c = 0, done = 0; done < o.ensemble; c++) {
      const m = Math.min(chunk, o.ensemble - done);
      // Chunk c of the ensemble stream, as core's ensemble runner draws it (the `empirical-ntk` estimator).
      const params = arch.init(Rng.derive(o.seed, 'ensemble', c), m);
      try {
        ({ last, method } = ntkChunk(arch, params, inputs, xT, { mode, method: o.method, batchSize: o.batchSize, maxBytes: o.maxBytes, onMember: o.onMember }, acc, nngpAcc));
        acc = (last as EmpiricalNtkResult & { acc: KernelAccumulator }).acc;
      } finally {
        Object.values(params).forEach((t) => t.dispose());
      }
      done += m;
      o.onProgress?.(done, o.ensemble);
    }
  } finally {
    xT.dispose();
  }
  const r = last as EmpiricalNtkResult & { acc?: KernelAccumulator };
  const { acc: _acc, ...rest } = r;
  return { ...rest, method, nngp: { mean: nngpAcc.mean(), stderr: nngpAcc.stderr() } };
}

import { UsageError } from '../errors';
import { plugins, type PluginHost } from '../registry/kinds';
import { createFromPlugin, type Plugin } from '../registry/plugin';
import { createArchitecture } from '../nn/create-architecture';
import type { Architecture, ParamLayout, ParamSampler } from '../nn/types';
import type { SeedKey } from '../rng/hash';
import { defaultChunkSize, planEnsemble } from './plan';
import type { EnsemblePlan, ShardSpec } from './types';

/**
 * A layer-wise initialisation, JSON-serialisable: the `--init` text (e.g. `'Wout=laplace'`) or a parsed InitSpec
 * object of @nnsym/distributions. Core does not read it; the registered `init-sampler` plugin compiles it.
 */
export type EnsembleInit = string | { readonly [key: string]: unknown };

/**
 * The whole identity of a network ensemble, as plain JSON: which architecture (registry id and config), the input
 * points it is evaluated on, how many networks, in which chunks, from which seed and init. Two runs with equal
 * specs see the same networks; shards, threads and resumed runs of one spec merge into exactly one run.
 *
 * When to use: every Monte-Carlo estimator (`ensembleStatistic$`) takes one; a worker thread or another process
 * rebuilds the run from it alone. Build it with {@link ensembleSpec} to fill in the default chunk size.
 *
 * @example
 * const spec: EnsembleSpec = { arch: { id: 'gauss-net', config: { width: 100, dOut: 2 } }, points: [[0.5], [1]],
 *   ensemble: 10000, chunkSize: 1000, seed: 0 };
 */
export interface EnsembleSpec {
  /** Architecture: a registry id and its config, exactly as given to `createArchitecture`. */
  readonly arch: { readonly id: string; readonly config: Readonly<Record<string, unknown>> };
  /** Input points x_1..x_P, rows of length d_in. */
  readonly points: readonly (readonly number[])[];
  /** Networks M in the whole ensemble (over all shards). */
  readonly ensemble: number;
  /** Networks per chunk; chunk c draws from `Rng.derive(seed, 'ensemble', c)` (part of the identity). */
  readonly chunkSize: number;
  readonly seed: SeedKey;
  /** Initialisation (default: the NN-QFT Gaussian init of the architecture's layout). */
  readonly init?: EnsembleInit;
}

/** The factory an `init-sampler` plugin creates: compile an {@link EnsembleInit} for a layout. */
export type InitSamplerCompiler = (init: EnsembleInit, layout: readonly ParamLayout[]) => ParamSampler;

/** Plugin kind `init-sampler`: @nnsym/distributions registers `init-spec`, so core never imports distributions. */
export type InitSamplerPlugin = Plugin<'init-sampler', Record<string, never>, InitSamplerCompiler> & { readonly meta: { readonly package: string } };

declare module '../registry/kinds' {
  interface PluginKinds {
    'init-sampler': InitSamplerPlugin;
  }
}

/** An ensemble validated once: the spec, its architecture, the sampler of its init, and its plan per shard. */
export interface Ensemble {
  readonly spec: EnsembleSpec;
  readonly arch: Architecture;
  /** Undefined: the default Gaussian init (the fused host path applies). */
  readonly sampler?: ParamSampler;
  /** Packages a worker must load to rebuild this ensemble (the init sampler's owner). */
  readonly packages: readonly string[];
  plan(shard?: ShardSpec): EnsemblePlan;
}

const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

/**
 * Validate a spec once and build its architecture and sampler; a bad field throws a one-line UsageError naming it
 * (`spec.ensemble`, `spec.points[3]`, or the architecture's `config.width`).
 *
 * @example
 * const { arch, plan } = createEnsemble(spec); plan({ index: 0, count: 2 }).mine; // [0, 2, 4, ...]
 */
export function createEnsemble(spec: EnsembleSpec, host: PluginHost = plugins): Ensemble {
  if (!spec || typeof spec !== 'object') throw new UsageError('ensemble spec must be an object', 'spec');
  if (!spec.arch || typeof spec.arch.id !== 'string') throw new UsageError('spec.arch.id must be an architecture id', 'spec.arch');
  if (!isInt(spec.ensemble, 1)) throw new UsageError(`spec.ensemble must be a positive integer, got ${spec.ensemble}`, 'spec.ensemble');
  if (!isInt(spec.chunkSize, 1)) throw new UsageError(`spec.chunkSize must be a positive integer, got ${spec.chunkSize}`, 'spec.chunkSize');
  if (typeof spec.seed !== 'number' && typeof spec.seed !== 'string') throw new UsageError('spec.seed must be a number or a string', 'spec.seed');
  if (!Array.isArray(spec.points) || spec.points.length === 0) throw new UsageError('spec.points must be a non-empty array of input rows', 'spec.points');
  const arch = createArchitecture(spec.arch.id, { ...spec.arch.config }, host, 'arch');
  const dIn = arch.spec.dIn;
  spec.points.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== dIn || !r.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new UsageError(`spec.points[${i}] must be ${dIn} finite numbers (d_in of "${arch.id}")`, 'spec.points');
    }
  });
  let sampler: ParamSampler | undefined;
  const packages: string[] = [];
  if (spec.init !== undefined) {
    const reg = host.kind('init-sampler');
    const p = reg.list()[0];
    if (!p) throw new UsageError('spec.init: no init-sampler plugin is registered (register @nnsym/distributions)', 'spec.init');
    sampler = createFromPlugin(p, {})(spec.init, arch.layout());
    packages.push(p.meta.package);
  }
  return { spec, arch, sampler, packages, plan: (shard) => planEnsemble(spec.ensemble, spec.chunkSize, shard) };
}

/**
 * A spec with the default chunk size filled in: min(M, `defaultChunkSize(arch, P)`), the chunking every runner used
 * before specs existed (so the networks of a seed are unchanged).
 *
 * @example ensembleSpec({ arch: { id: 'gauss-net', config: {} }, points: [[1]], ensemble: 1e5, seed: 3 }).chunkSize
 */
export function ensembleSpec(spec: Omit<EnsembleSpec, 'chunkSize'> & { chunkSize?: number }, host: PluginHost = plugins): EnsembleSpec {
  if (spec.chunkSize !== undefined) return { ...spec, chunkSize: spec.chunkSize };
  const arch = createArchitecture(spec.arch.id, { ...spec.arch.config }, host, 'arch');
  return { ...spec, chunkSize: Math.min(spec.ensemble, defaultChunkSize(arch, spec.points.length)) };
}

/** First field (dotted path) on which two JSON values differ, or undefined when equal. */
export function jsonDifference(a: unknown, b: unknown, path: string): { field: string; a: unknown; b: unknown } | undefined {
  if (a === b) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    if (!Array.isArray(a)) keys.sort();
    for (const k of keys) {
      const d = jsonDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { field: path, a, b };
}

/** The first differing field of two specs (`spec.arch.config.width`, `spec.seed`, ...), or undefined when equal. */
export function specDifference(a: EnsembleSpec, b: EnsembleSpec): { field: string; a: unknown; b: unknown } | undefined {
  for (const k of ['arch', 'points', 'ensemble', 'chunkSize', 'seed', 'init'] as const) {
    const d = jsonDifference(a[k], b[k], `spec.${k}`);
    if (d) return d;
  }
  return undefined;
}

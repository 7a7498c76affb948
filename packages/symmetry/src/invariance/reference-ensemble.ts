import { architecturePlugin, architecturesWith, erf, Rng, UsageError, type SeedKey } from '@nnsym/core';
import type { OutputChunk } from './accumulator';

/**
 * φ in float64 of the activations the reference evaluator implements, by activation id (`gauss` is exp with the
 * Gauss-net normalisation applied per input, see {@link referenceEnsembleChunks}).
 */
const REFERENCE_PHI: Readonly<Record<string, (z: number) => number>> = {
  relu: (z) => (z > 0 ? z : 0),
  tanh: Math.tanh,
  erf,
  exp: Math.exp,
  gauss: Math.exp,
};

/**
 * Ids of the single-hidden-layer families the reference evaluator applies to: the architectures whose plugin
 * declares `capabilities.engines.reference` (built-ins and those registered in core's `plugins`), in listing order.
 *
 * @example referenceArchitectures(); // ['gauss-net', 'exp-net', 'erf-net', 'relu-net', 'tanh-net']
 */
export function referenceArchitectures(): string[] {
  return architecturesWith((c) => c.engines?.reference === true);
}

/**
 * The families of {@link referenceArchitectures} among the built-ins, when this module loaded.
 * @deprecated Call {@link referenceArchitectures} (it also sees plugins registered later).
 */
export const REFERENCE_ARCHS: readonly string[] = referenceArchitectures();

/** The activation of a reference family (its plugin's declared dense activation), or a one-line error naming `--arch`. */
function referenceActivation(arch: string): string {
  const caps = architecturePlugin(arch)?.capabilities;
  const activation = caps?.dense?.activation;
  if (!caps?.engines?.reference || activation === undefined || !(activation in REFERENCE_PHI)) {
    throw new UsageError(`--arch: the reference evaluator knows ${referenceArchitectures().join(', ')}, got "${arch}"`, '--arch');
  }
  return activation;
}

/** Spec of {@link referenceEnsembleChunks}. */
export interface ReferenceEnsembleSpec {
  /** A family of {@link referenceArchitectures}. */
  arch: string;
  dIn: number;
  dOut: number;
  width: number;
  /** σ_w, σ_b (default 1, 1). */
  sw?: number;
  sb?: number;
  /** Mean of every W0 entry (default 0): breaks input rotations. */
  mu0?: number;
  /** Mean of each row of W1 (length d_out, default zeros): μ on rows 0..k−1 is the breaking init of 2106.00694. */
  rowMeans?: readonly number[];
}

/**
 * Float64 host evaluation of an ensemble of single-hidden-layer networks f(x) = W1 φ(W0 x + b0) + b1 with
 * W0 ~ N(mu0, sw²/d_in), b0 ~ N(0, sb²), W1 ~ N(rowMeans[a], sw²/N), b1 ~ N(0, sb²) (CONVENTIONS.md), gauss-net's
 * φ(z) = exp(z)/exp(sb² + sw²|x|²/d_in). Yields chunks [count, P, d_out] seeded per chunk (`Rng.derive(seed,
 * 'reference-ensemble', chunk)`), so the same ensemble regenerates chunk by chunk.
 *
 * When to use: an independent reference for core's tfjs ensemble runner, and a fast evaluator for the symmetry
 * experiments on small inputs (about 60 µs per network at N = 1000, one 1-D input, d_out = 5). Memory O(chunk).
 *
 * @example
 * for (const chunk of referenceEnsembleChunks({ arch: 'gauss-net', dIn: 1, dOut: 5, width: 100 }, [Float64Array.of(0.5)], 10000, 0)) acc.push(chunk);
 */
export function* referenceEnsembleChunks(
  spec: ReferenceEnsembleSpec,
  inputs: readonly Float64Array[],
  networks: number,
  seed: SeedKey,
  chunkSize = 1000,
): Generator<OutputChunk> {
  const { dIn, dOut, width: N } = spec;
  const activation = referenceActivation(spec.arch);
  for (const x of inputs) if (x.length !== dIn) throw new UsageError(`--inputs: a point has dimension ${x.length}, --d-in is ${dIn}`, '--inputs');
  if (spec.rowMeans && spec.rowMeans.length !== dOut) throw new UsageError(`rowMeans has length ${spec.rowMeans.length}, d_out is ${dOut}`, 'rowMeans');
  const sw = spec.sw ?? 1;
  const sb = spec.sb ?? 1;
  const mu0 = spec.mu0 ?? 0;
  const P = inputs.length;
  const phi = REFERENCE_PHI[activation];
  const scale = inputs.map((x) => (activation === 'gauss' ? Math.exp(-(sb * sb + (sw * sw * x.reduce((s, v) => s + v * v, 0)) / dIn)) : 1));
  const w0 = new Float64Array(N * dIn);
  const b0 = new Float64Array(N);
  const w1 = new Float64Array(dOut * N);
  const b1 = new Float64Array(dOut);
  const h = new Float64Array(N);
  const std0 = sw / Math.sqrt(dIn);
  const std1 = sw / Math.sqrt(N);
  for (let start = 0, chunk = 0; start < networks; start += chunkSize, chunk++) {
    const count = Math.min(chunkSize, networks - start);
    const rng = Rng.derive(seed, 'reference-ensemble', chunk);
    const out = new Float64Array(count * P * dOut);
    for (let m = 0; m < count; m++) {
      rng.fillNormal(w0, mu0, std0);
      rng.fillNormal(b0, 0, sb);
      for (let a = 0; a < dOut; a++) rng.fillNormal(w1.subarray(a * N, (a + 1) * N), spec.rowMeans?.[a] ?? 0, std1);
      rng.fillNormal(b1, 0, sb);
      for (let p = 0; p < P; p++) {
        const x = inputs[p];
        const s = scale[p];
        for (let j = 0; j < N; j++) {
          let z = b0[j];
          for (let i = 0; i < dIn; i++) z += w0[j * dIn + i] * x[i];
          h[j] = phi(z) * s;
        }
        const o = (m * P + p) * dOut;
        for (let a = 0; a < dOut; a++) {
          let f = b1[a];
          const row = a * N;
          for (let j = 0; j < N; j++) f += w1[row + j] * h[j];
          out[o + a] = f;
        }
      }
    }
    yield { count, points: P, dOut, outputs: out };
  }
}

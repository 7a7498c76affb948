import { erf, Rng, UsageError, type SeedKey } from '@nnsym/core';
import type { OutputChunk } from './accumulator';

/** Single-hidden-layer families the reference evaluator knows (NN-QFT conventions, arXiv 2008.08601). */
export const REFERENCE_ARCHS = ['gauss-net', 'exp-net', 'relu-net', 'tanh-net', 'erf-net'] as const;
export type ReferenceArch = (typeof REFERENCE_ARCHS)[number];

/** Spec of {@link referenceEnsembleChunks}. */
export interface ReferenceEnsembleSpec {
  arch: ReferenceArch;
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
  if (!(REFERENCE_ARCHS as readonly string[]).includes(spec.arch)) {
    throw new UsageError(`--arch: the reference evaluator knows ${REFERENCE_ARCHS.join(', ')}, got "${spec.arch}"`, '--arch');
  }
  for (const x of inputs) if (x.length !== dIn) throw new UsageError(`--inputs: a point has dimension ${x.length}, --d-in is ${dIn}`, '--inputs');
  if (spec.rowMeans && spec.rowMeans.length !== dOut) throw new UsageError(`rowMeans has length ${spec.rowMeans.length}, d_out is ${dOut}`, 'rowMeans');
  const sw = spec.sw ?? 1;
  const sb = spec.sb ?? 1;
  const mu0 = spec.mu0 ?? 0;
  const P = inputs.length;
  const phi: (z: number) => number =
    spec.arch === 'relu-net' ? (z) => (z > 0 ? z : 0) : spec.arch === 'tanh-net' ? Math.tanh : spec.arch === 'erf-net' ? erf : Math.exp;
  const scale = inputs.map((x) => (spec.arch === 'gauss-net' ? Math.exp(-(sb * sb + (sw * sw * x.reduce((s, v) => s + v * v, 0)) / dIn)) : 1));
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

import { currentBackend, tf, UsageError, type Tensor3D } from '@nnsym/core';
import { KernelAccumulator } from './kernel-accumulator';
import { ensembleSize, jacobianBlock, paramCount } from './jacobian';
import type { EmpiricalNtkOptions, EmpiricalNtkResult, NtkArchitecture, NtkOutputMode, NtkParamSet } from './types';

/** Row-major inputs [P, d_in] from rows. */
function toRows(inputs: readonly (readonly number[])[] | { data: ArrayLike<number>; rows: number; cols: number }): { data: Float32Array; rows: number; cols: number } {
  if (Array.isArray(inputs)) {
    const rows = inputs as readonly (readonly number[])[];
    const cols = rows[0]?.length ?? 0;
    const data = new Float32Array(rows.length * cols);
    rows.forEach((r, i) => data.set(r, i * cols));
    return { data, rows: rows.length, cols };
  }
  const m = inputs as { data: ArrayLike<number>; rows: number; cols: number };
  return { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}

/** Per-member kernel of one (row-block, column-block) pair, folded into the mode's layout. */
function foldBlock(g: Float32Array, M: number, Ri: number, Rj: number, i0: number, j0: number, dOut: number, mode: NtkOutputMode, P: number, out: Float64Array[]): void {
  const bi = Ri / dOut;
  const bj = Rj / dOut;
  for (let m = 0; m < M; m++) {
    const k = out[m];
    const base = m * Ri * Rj;
    for (let p = 0; p < bi; p++) {
      for (let q = 0; q < bj; q++) {
        if (mode === 'full') {
          for (let a = 0; a < dOut; a++) {
            for (let b = 0; b < dOut; b++) {
              const v = g[base + (p * dOut + a) * Rj + q * dOut + b];
              const r = (i0 + p) * dOut + a;
              const c = (j0 + q) * dOut + b;
              k[r * P * dOut + c] = v;
              k[c * P * dOut + r] = v;
            }
          }
        } else {
          let s = 0;
          for (let a = 0; a < dOut; a++) s += g[base + (p * dOut + a) * Rj + q * dOut + a];
          k[(i0 + p) * P + j0 + q] = s / dOut;
          k[(j0 + q) * P + i0 + p] = s / dOut;
        }
      }
    }
  }
}

/**
 * Empirical NTK of an ensemble, Θ(x, x') = Σ_θ ∂f(x)/∂θ · ∂f(x')/∂θ (Jacot et al. 2018; neural-tangents'
 * `empirical_ntk_fn` with the Jacobian-contraction implementation), for any architecture: per-example Jacobians
 * by vector-Jacobian products ({@link jacobianBlock}), contracted block by block so the device holds at most two
 * Jacobian blocks (`maxBytes`). Returns the ensemble mean and its standard error, accumulated in float64 on the
 * host; pass `acc` to continue an accumulation over further chunks of networks.
 *
 * Shapes: params [M, ...]; inputs [P, d_in]; result `full` [P·d_out]², `trace` [P]², `diagonal` [P].
 *
 * @example
 * const r = empiricalNtk(arch, params, [[1, 0], [0.6, 0.8]], { mode: 'trace' });
 * r.mean; r.stderr; // Float64Array(4) each
 */
export function empiricalNtk(
  arch: NtkArchitecture,
  params: NtkParamSet,
  inputs: readonly (readonly number[])[] | { data: ArrayLike<number>; rows: number; cols: number },
  options: EmpiricalNtkOptions & { acc?: KernelAccumulator; onMember?: (kernel: Float64Array, m: number) => void } = {},
): EmpiricalNtkResult & { acc: KernelAccumulator } {
  const mode = options.mode ?? 'trace';
  const x = toRows(inputs);
  const P = x.rows;
  if (P === 0) throw new UsageError('empirical NTK: need at least one input', 'inputs');
  const M = ensembleSize(params);
  const nP = paramCount(params);
  const dOut = tf.tidy(() => arch.apply(params, tf.tensor2d(x.data.subarray(0, x.cols), [1, x.cols])).shape[2]);
  const maxBytes = options.maxBytes ?? 256 * 2 ** 20;
  // Two Jacobian blocks plus the tiled parameters: ~3 · M · B · d_out · nParams float32 values.
  const B = Math.max(1, Math.min(P, options.batchSize ?? Math.min(32, Math.floor(maxBytes / (12 * M * dOut * nP)))));
  const size = mode === 'full' ? P * dOut : P;
  const len = mode === 'diagonal' ? P : size * size;
  const perMember = Array.from({ length: M }, () => new Float64Array(mode === 'diagonal' ? P : size * size));
  const block = (i0: number) => {
    const b = Math.min(B, P - i0);
    const xb = tf.tensor2d(x.data.subarray(i0 * x.cols, (i0 + b) * x.cols), [b, x.cols]);
    const J = jacobianBlock(arch, params, xb);
    xb.dispose();
    return J;
  };
  for (let i0 = 0; i0 < P; i0 += B) {
    const Ji = block(i0);
    if (mode === 'diagonal') {
      const sqT = tf.tidy(() => tf.square(Ji).sum(2)); // [M, B·d_out]
      const sq = sqT.dataSync() as Float32Array;
      sqT.dispose();
      const R = Ji.shape[1];
      for (let m = 0; m < M; m++) {
        for (let p = 0; p < R / dOut; p++) {
          let s = 0;
          for (let a = 0; a < dOut; a++) s += sq[m * R + p * dOut + a];
          perMember[m][i0 + p] = s / dOut;
        }
      }
      Ji.dispose();
      continue;
    }
    for (let j0 = i0; j0 < P; j0 += B) {
      const Jj: Tensor3D = j0 === i0 ? Ji : block(j0);
      const gT = tf.tidy(() => tf.matMul(Ji, tf.transpose(Jj, [0, 2, 1])));
      const g = gT.dataSync() as Float32Array;
      gT.dispose();
      foldBlock(g, M, Ji.shape[1], Jj.shape[1], i0, j0, dOut, mode, P, perMember);
      if (Jj !== Ji) Jj.dispose();
    }
    Ji.dispose();
  }
  const acc = options.acc ?? new KernelAccumulator(len);
  perMember.forEach((k, m) => {
    acc.add(k);
    options.onMember?.(k, m);
  });
  const backend = currentBackend()?.name ?? tf.getBackend();
  const snap = acc.snapshot(); // as mlpStructuredNtk: the mean copy-on-write, the standard error when first read
  return {
    mode,
    P,
    dOut,
    size,
    mean: snap.mean,
    get stderr() {
      return snap.stderr();
    },
    M: acc.count,
    paramCount: nP,
    batchSize: B,
    precision: `float32 Jacobians and Gram products (tfjs ${backend}), float64 ensemble accumulation`,
    acc,
  };
}

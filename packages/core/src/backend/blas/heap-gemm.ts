/**
 * Batched float32 GEMM on the wasm backend's heap: C[i] = op(A[ia(i)]) · op(B[ib(i)]) with tfjs's batch
 * broadcasting, one `cblas_sgemm` per output batch (or one for the whole batch when B is shared), on Float32Array
 * views of the wasm memory (no copies). Shared by the `BatchMatMul` and `_FusedMatMul` kernels.
 */
import type { BlasLibrary } from './library';
import { CBLAS } from './library';

/** The parts of tfjs-backend-wasm's BackendWasm used here (it is not typed for outside use). */
export interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { memoryOffset: number; shape: number[]; dtype: string } | undefined };
  makeOutput(shape: number[], dtype: string): TensorInfoLike;
  wasm: { HEAPU8: Uint8Array };
}

/** A tfjs TensorInfo (dataId, shape, dtype). */
export interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: string;
}

/** Shapes of one batched product, or undefined where tfjs would reject them (the caller lets the wasm kernel throw). */
export interface GemmPlan {
  m: number;
  n: number;
  k: number;
  outShape: number[];
  /** Number of output matrices. */
  batch: number;
  /** For output batch i, the batch index into A and into B (broadcast); undefined when A's (B's) batch is 1. */
  aIndex?: Int32Array;
  bIndex?: Int32Array;
  /** A's batch is the full output batch and B has one matrix: fold A's batches into the rows (one sgemm). */
  fold: boolean;
  /** The batch broadcast is one the wasm kernel computes right (equal batch shapes, or one side's batch is 1). */
  wasmBroadcastOk: boolean;
}

/**
 * Largest m·n·k per matrix for which a batch of many products stays on the wasm kernel: below it one sgemm call
 * per matrix (≈ 1-2 µs of FFI and BLAS set-up) costs more than the wasm kernel's whole batched loop (≈ 1.3 µs per
 * 8×8×8 or 1×100×6 product here; at 16×16×16 BLAS is 2x faster, at 32³ 10x). Measured with
 * tools/bench/small-matmul.js.
 */
export const SMALL_BATCHED_MNK = 1024;

/** Whether a planned product is a batch of tiny matrices that the wasm kernel does faster (and correctly). */
export function preferWasm(plan: GemmPlan): boolean {
  return plan.batch > 1 && !plan.fold && plan.k > 0 && plan.m * plan.n > 0 && plan.wasmBroadcastOk && plan.m * plan.n * plan.k <= SMALL_BATCHED_MNK;
}

/** Float32 index of a tensor's data on the wasm heap. */
export function heapIndex(backend: WasmBackendLike, t: TensorInfoLike): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d) throw new Error('BLAS kernel: tensor data is not on the wasm backend');
  return d.memoryOffset >>> 2;
}

/** Broadcast two batch shapes (numpy / tfjs rules), or undefined where incompatible. */
export function broadcastShapes(a: number[], b: number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = new Array(r);
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out[i] = x === 1 ? y : x;
  }
  return out;
}

function batchIndex(from: number[], to: number[]): Int32Array | undefined {
  const size = from.reduce((p, d) => p * d, 1);
  if (size === 1) return undefined;
  const total = to.reduce((p, d) => p * d, 1);
  const r = to.length;
  const pad = [...new Array(r - from.length).fill(1), ...from];
  // strides of `from` in batch units, 0 on broadcast dimensions
  const strides = new Array(r).fill(0);
  for (let i = r - 1, s = 1; i >= 0; i--) {
    strides[i] = pad[i] === 1 ? 0 : s;
    s *= pad[i];
  }
  const idx = new Int32Array(total);
  const coord = new Array(r).fill(0);
  for (let t = 0; t < total; t++) {
    let off = 0;
    for (let i = 0; i < r; i++) off += coord[i] * strides[i];
    idx[t] = off;
    for (let i = r - 1; i >= 0; i--) {
      if (++coord[i] < to[i]) break;
      coord[i] = 0;
    }
  }
  return idx;
}

/** Plan `matMul(a, b, transposeA, transposeB)` for shapes `aShape`, `bShape` (rank >= 2 each). */
export function planGemm(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean): GemmPlan | undefined {
  const ra = aShape.length;
  const rb = bShape.length;
  if (ra < 2 || rb < 2) return undefined;
  const k = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const kb = transposeB ? bShape[rb - 1] : bShape[rb - 2];
  if (k !== kb) return undefined;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const outBatch = broadcastShapes(aBatch, bBatch);
  if (!outBatch) return undefined;
  const batch = outBatch.reduce((p, d) => p * d, 1);
  const aIndex = batchIndex(aBatch, outBatch);
  const bIndex = batchIndex(bBatch, outBatch);
  const aSize = aBatch.reduce((p, d) => p * d, 1);
  const bSize = bBatch.reduce((p, d) => p * d, 1);
  const pad = (x: number[]) => [...new Array(outBatch.length - x.length).fill(1), ...x].join(',');
  const wasmBroadcastOk = aSize === 1 || bSize === 1 || pad(aBatch) === pad(bBatch);
  return { m, n, k, outShape: [...outBatch, m, n], batch, aIndex, bIndex, fold: !transposeA && bSize === 1 && aSize === batch && batch > 1, wasmBroadcastOk };
}

/**
 * Run a planned product into the output tensor `out` (already allocated: call after `makeOutput`, since an
 * allocation may grow the wasm memory and detach earlier views). `beta = 1` accumulates onto what `out` holds
 * (the fused kernel's bias rows). Returns the Float32Array view of C.
 */
export function runGemm(
  lib: BlasLibrary,
  backend: WasmBackendLike,
  plan: GemmPlan,
  a: TensorInfoLike,
  b: TensorInfoLike,
  out: TensorInfoLike,
  transposeA: boolean,
  transposeB: boolean,
  beta: 0 | 1,
): Float32Array {
  const heap = new Float32Array(backend.wasm.HEAPU8.buffer);
  const aOff = heapIndex(backend, a);
  const bOff = heapIndex(backend, b);
  const cOff = heapIndex(backend, out);
  const { m, n, k, batch } = plan;
  const c = heap.subarray(cOff, cOff + batch * m * n);
  if (batch * m * n === 0) return c;
  if (k === 0) {
    // An empty sum: C = beta·C. (BLAS would be asked for lda = 0, an illegal argument.)
    if (beta === 0) c.fill(0);
    return c;
  }
  const ta = transposeA ? CBLAS.Trans : CBLAS.NoTrans;
  const tb = transposeB ? CBLAS.Trans : CBLAS.NoTrans;
  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  const mk = m * k;
  const kn = k * n;
  const mn = m * n;
  if (plan.fold) {
    lib.sgemm(CBLAS.RowMajor, ta, tb, batch * m, n, k, 1, heap.subarray(aOff, aOff + batch * mk), lda, heap.subarray(bOff, bOff + kn), ldb, beta, c, n);
    return c;
  }
  for (let i = 0; i < batch; i++) {
    const ai = aOff + (plan.aIndex ? plan.aIndex[i] : 0) * mk;
    const bi = bOff + (plan.bIndex ? plan.bIndex[i] : 0) * kn;
    lib.sgemm(CBLAS.RowMajor, ta, tb, m, n, k, 1, heap.subarray(ai, ai + mk), lda, heap.subarray(bi, bi + kn), ldb, beta, c.subarray(i * mn, (i + 1) * mn), n);
  }
  return c;
}

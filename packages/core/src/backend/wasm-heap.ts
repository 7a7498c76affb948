/**
 * Float32Array views of tensors that live on tfjs-backend-wasm's heap, for host loops that read (or update in
 * place) tensor data without a copy: the fused optimiser steps. A view is only valid until the next tfjs call that
 * may allocate (the heap can grow and detach it), so take views right before the loop and drop them after.
 */
import { tf } from '../tf';
import type { Tensor } from '../tf';
import { section, str, uleb, vec, wasmApi } from './wasm-asm';

interface WasmTensorData {
  memoryOffset: number | null;
  refCount: number;
  dtype: string;
}

interface WasmBackendHeap {
  dataIdMap: { has(dataId: object): boolean; get(dataId: object): WasmTensorData | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/** The wasm backend when it is the active one, else undefined. */
function activeWasm(): WasmBackendHeap | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as Partial<WasmBackendHeap>;
  return b.dataIdMap && b.wasm ? (b as WasmBackendHeap) : undefined;
}

/**
 * A Float32Array view of a float32 tensor's data on the active wasm backend's heap, or undefined (another backend,
 * another dtype, data not resident on the heap). With `exclusive`, only when no other tensor shares the data
 * (backend refCount 1), so that writing through the view changes this tensor alone (e.g. a tf.Variable's value).
 */
export function wasmHeapView(t: Tensor, exclusive = false): Float32Array | undefined {
  const backend = activeWasm();
  if (!backend || t.dtype !== 'float32' || t.isDisposed) return undefined;
  const dataId = t.dataId as object;
  if (!backend.dataIdMap.has(dataId)) return undefined;
  const d = backend.dataIdMap.get(dataId);
  if (!d || d.memoryOffset == null || d.dtype !== 'float32') return undefined;
  if (exclusive && d.refCount !== 1) return undefined;
  return new Float32Array(backend.wasm.HEAPU8.buffer, d.memoryOffset, t.size);
}

/** Byte offset of a float32 tensor's data on the active wasm backend's heap (see {@link wasmHeapView}). */
export function wasmHeapOffset(t: Tensor, exclusive = false): number | undefined {
  const backend = activeWasm();
  if (!backend || t.dtype !== 'float32' || t.isDisposed) return undefined;
  const dataId = t.dataId as object;
  if (!backend.dataIdMap.has(dataId)) return undefined;
  const d = backend.dataIdMap.get(dataId);
  if (!d || d.memoryOffset == null || d.dtype !== 'float32') return undefined;
  if (exclusive && d.refCount !== 1) return undefined;
  return d.memoryOffset;
}

/** Kernels of {@link heapSimdKernels}; offsets are byte offsets on the heap, counts are bytes (a multiple of 16). */
export interface HeapSimdKernels {
  /**
   * Adam, in place, 4 lanes at a time, for the first `bytes / 4` elements (float32 IEEE operations in the order of
   * the tfjs-kernel path: m = m·b1 + g·omb1; v = v·b2 + (g·g)·omb2; p = p − (m·lrc1) / (sqrt(v·c2) + eps)).
   */
  adam(
    p: number,
    m: number,
    v: number,
    g: number,
    bytes: number,
    b1: number,
    omb1: number,
    b2: number,
    omb2: number,
    c2: number,
    lrc1: number,
    eps: number,
  ): void;
}

// A hand-assembled wasm module (128-bit SIMD) that imports the tfjs-backend-wasm memory, so its loops run on
// tensor data in place. Assembled here byte by byte (no toolchain at build time); see the opcode table of the
// WebAssembly SIMD proposal (v128.load 0xfd 0x00, v128.store 0xfd 0x0b, f32x4.splat 0xfd 0x13,
// f32x4.sqrt/add/sub/mul/div 0xfd 0xe3..0xe7 0x01).
const OP = { get: 0x20, set: 0x21, i32add: 0x6a, i32geu: 0x4f, i32const: 0x41, block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b };
const SIMD = {
  load: [0xfd, 0x00, 0x00, 0x00],
  store: [0xfd, 0x0b, 0x00, 0x00],
  splat: [0xfd, 0x13],
  sqrt: [0xfd, 0xe3, 0x01],
  add: [0xfd, 0xe4, 0x01],
  sub: [0xfd, 0xe5, 0x01],
  mul: [0xfd, 0xe6, 0x01],
  div: [0xfd, 0xe7, 0x01],
};

function adamBody(): number[] {
  // params: 0 p, 1 m, 2 v, 3 g, 4 bytes (i32); 5 b1, 6 omb1, 7 b2, 8 omb2, 9 c2, 10 lrc1, 11 eps (f32)
  // locals: 12 j (i32); 13..19 the splats of 5..11; 20 g_j, 21 m_j, 22 v_j (v128)
  const g = (i: number) => [OP.get, i];
  const s = (i: number) => [OP.set, i];
  const at = (base: number) => [...g(base), ...g(12), OP.i32add];
  const code: number[] = [];
  for (let i = 5; i <= 11; i++) code.push(...g(i), ...SIMD.splat, ...s(i + 8));
  code.push(OP.block, 0x40, OP.loop, 0x40);
  code.push(...g(12), ...g(4), OP.i32geu, OP.brIf, 1);
  code.push(...at(3), ...SIMD.load, ...s(20));
  code.push(...at(1), ...SIMD.load, ...g(13), ...SIMD.mul, ...g(20), ...g(14), ...SIMD.mul, ...SIMD.add, ...s(21));
  code.push(...at(1), ...g(21), ...SIMD.store);
  code.push(...at(2), ...SIMD.load, ...g(15), ...SIMD.mul, ...g(20), ...g(20), ...SIMD.mul, ...g(16), ...SIMD.mul, ...SIMD.add, ...s(22));
  code.push(...at(2), ...g(22), ...SIMD.store);
  code.push(
    ...at(0),
    ...at(0),
    ...SIMD.load,
    ...g(21),
    ...g(18),
    ...SIMD.mul,
    ...g(22),
    ...g(17),
    ...SIMD.mul,
    ...SIMD.sqrt,
    ...g(19),
    ...SIMD.add,
    ...SIMD.div,
    ...SIMD.sub,
    ...SIMD.store,
  );
  code.push(...g(12), OP.i32const, 16, OP.i32add, ...s(12), OP.br, 0, OP.end, OP.end, OP.end);
  const locals = vec([
    [1, 0x7f],
    [10, 0x7b],
  ]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const I32 = 0x7f;
  const F32 = 0x7d;
  const adamType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F32], [F32], [F32], [F32], [F32], [F32], [F32]]), 0x00];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([adamType])),
    ...section(2, vec([[...str('e'), ...str('m'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str('adam'), 0x00, 0]])),
    ...section(10, vec([adamBody()])),
  ]);
}

const kernelCache = new WeakMap<object, HeapSimdKernels | null>();

/**
 * SIMD kernels that work in place on the active wasm backend's heap (they import its WebAssembly.Memory), or
 * undefined: not the wasm backend, its memory not reachable, or no wasm SIMD. Instantiated once per backend.
 */
export function heapSimdKernels(): HeapSimdKernels | undefined {
  const backend = activeWasm() as (WasmBackendHeap & { wasm: { asm?: { memory?: unknown } } }) | undefined;
  if (!backend) return undefined;
  const cached = kernelCache.get(backend);
  if (cached !== undefined) return cached ?? undefined;
  let k: HeapSimdKernels | null = null;
  const memory = backend.wasm.asm?.memory;
  const W = wasmApi();
  if (W && memory instanceof W.Memory) {
    try {
      const bytes = moduleBytes();
      if (W.validate(bytes)) {
        const inst = new W.Instance(new W.Module(bytes), { e: { m: memory } });
        k = inst.exports as unknown as HeapSimdKernels;
      }
    } catch {
      k = null;
    }
  }
  kernelCache.set(backend, k);
  return k ?? undefined;
}

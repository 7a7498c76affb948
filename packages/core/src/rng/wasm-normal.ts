/**
 * The fast path of `Rng.fillNormal` (xoshiro128** + the ziggurat's 97 % branch) as a small scalar WebAssembly
 * function: the same integer and float64 operations in the same order, so the same numbers bit for bit, without
 * V8's bounds checks and int/double tagging in the loop. It stops at a tail draw (≈ 2.8 %), which JS finishes with
 * `normalTail`, and is resumed after it. Module memory (its own, 5 pages): [0, 16) the state s0..s3, [16, 20) the
 * draw that stopped it, [64, 576) kn, [576, 1600) wn, [2048, ...) the float32 output block.
 */
import { section, sleb, str, uleb, vec, wasmApi } from '../backend/wasm-asm';
import { kn, wn } from './ziggurat';

/** Output block in normals (the module fills at most this many per call). */
export const WASM_NORMAL_BLOCK = 65536;
const OUT = 2048;
const KN = 64;
const WN = 576;

export interface WasmNormal {
  /** Heap as int32 (state at [0, 4), the stopping draw at [4]). */
  i32: Int32Array;
  /** Heap as float32 (the output block at [OUT / 4, OUT / 4 + WASM_NORMAL_BLOCK)). */
  f32: Float32Array;
  /** Output block offset in f32 elements. */
  out: number;
  /** Fill up to n (≤ WASM_NORMAL_BLOCK) normals mean + std·z; returns how many before a tail draw stopped it (n if none). */
  fill(n: number, mean: number, std: number): number;
}

const I32 = 0x7f;
const F64 = 0x7c;
const op = {
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32load: 0x28,
  f64load: 0x2b,
  i32store: 0x36,
  f32store: 0x38,
  i32const: 0x41,
  i32ltS: 0x48,
  i32geU: 0x4f,
  i32add: 0x6a,
  i32sub: 0x6b,
  i32mul: 0x6c,
  i32and: 0x71,
  i32xor: 0x73,
  i32shl: 0x74,
  i32shrS: 0x75,
  i32rotl: 0x77,
  f64add: 0xa0,
  f64mul: 0xa2,
  f32demote: 0xb6,
  f64fromI32: 0xb7,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  ret: 0x0f,
};

function fillBody(): number[] {
  // params: 0 n (i32), 1 mean (f64), 2 std (f64); locals (i32): 3 i, 4 s0, 5 s1, 6 s2, 7 s3, 8 t0, 9 u, 10 t, 11 iz, 12 hz, 13 sgn
  const g = (i: number) => [op.get, i];
  const s = (i: number) => [op.set, i];
  const c = (n: number) => [op.i32const, ...sleb(n)];
  const mem = (align: number, offset: number) => [align, ...uleb(offset)];
  const code: number[] = [];
  [4, 5, 6, 7].forEach((l, k) => code.push(...c(0), op.i32load, ...mem(2, 4 * k), ...s(l)));
  code.push(op.block, 0x40, op.loop, 0x40);
  code.push(...g(3), ...g(0), op.i32geU, op.brIf, 1);
  // xoshiro128**: u = rotl(s1 * 5, 7) * 9; t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
  code.push(...g(5), ...c(5), op.i32mul, ...c(7), op.i32rotl, ...c(9), op.i32mul, ...s(9));
  code.push(...g(5), ...c(9), op.i32shl, ...s(10));
  code.push(...g(6), ...g(4), op.i32xor, ...s(6));
  code.push(...g(7), ...g(5), op.i32xor, ...s(7));
  code.push(...g(5), ...g(6), op.i32xor, ...s(5));
  code.push(...g(4), ...g(7), op.i32xor, ...s(4));
  code.push(...g(6), ...g(10), op.i32xor, ...s(6));
  code.push(...g(7), ...c(11), op.i32rotl, ...s(7));
  // iz = u & 127; hz = u >> 7; |hz| = (hz ^ sgn) - sgn with sgn = hz >> 31
  code.push(...g(9), ...c(127), op.i32and, ...s(11));
  code.push(...g(9), ...c(7), op.i32shrS, op.tee, 12, ...c(31), op.i32shrS, ...s(13));
  code.push(...g(12), ...g(13), op.i32xor, ...g(13), op.i32sub);
  code.push(...g(11), ...c(2), op.i32shl, op.i32load, ...mem(2, KN), op.i32ltS);
  code.push(op.if, 0x40);
  // out[i] = f32(mean + std * (hz * wn[iz]))
  code.push(...g(3), ...c(2), op.i32shl);
  code.push(
    ...g(1),
    ...g(2),
    ...g(12),
    op.f64fromI32,
    ...g(11),
    ...c(3),
    op.i32shl,
    op.f64load,
    ...mem(3, WN),
    op.f64mul,
    op.f64mul,
    op.f64add,
    op.f32demote,
  );
  code.push(op.f32store, ...mem(2, OUT));
  code.push(...g(3), ...c(1), op.i32add, ...s(3), op.br, 1, op.end);
  // a tail draw: keep it for JS and stop
  code.push(...c(16), ...g(9), op.i32store, ...mem(2, 0), op.br, 1);
  code.push(op.end, op.end);
  [4, 5, 6, 7].forEach((l, k) => code.push(...c(0), ...g(l), op.i32store, ...mem(2, 4 * k)));
  code.push(...g(3), op.end);
  const body = [...vec([[11, I32]]), ...code];
  return [...uleb(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const fillType = [0x60, ...vec([[I32], [F64], [F64]]), ...vec([[I32]])];
  const pages = Math.ceil((OUT + 4 * WASM_NORMAL_BLOCK) / 65536);
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([fillType])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([
        [...str('fill'), 0x00, 0],
        [...str('m'), 0x02, 0],
      ]),
    ),
    ...section(10, vec([fillBody()])),
  ]);
}

let cached: WasmNormal | null | undefined;

/** The module (instantiated once per JS realm), or undefined where WebAssembly is absent or refuses it. */
export function wasmNormal(): WasmNormal | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  const W = wasmApi();
  if (!W) return undefined;
  try {
    const bytes = moduleBytes();
    if (!W.validate(bytes)) return undefined;
    const inst = new W.Instance(new W.Module(bytes), {});
    const memory = inst.exports['m'] as { buffer: ArrayBuffer };
    const i32 = new Int32Array(memory.buffer);
    i32.set(kn, KN / 4);
    new Float64Array(memory.buffer, WN, 128).set(wn);
    cached = { i32, f32: new Float32Array(memory.buffer), out: OUT / 4, fill: inst.exports['fill'] as WasmNormal['fill'] };
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}

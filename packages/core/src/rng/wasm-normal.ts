/**
 * `Rng.fillNormal` into Float32Arrays (xoshiro128** + the ziggurat, its tail included) as a small scalar WebAssembly
 * function: the same integer and float64 operations in the same order, so the same numbers bit for bit, without
 * V8's bounds checks and int/double tagging in the loop. The tail draws (≈ 2.8 %) run in the module too, with
 * `Math.exp` and `Math.log` imported from JS (the very functions `Rng.normalTail` calls), so one call fills a whole
 * block (before, each tail draw returned to JS: ≈ 35 normals per call, and the JS glue cost twice the module's own
 * time). Module memory (its own, 5 pages): [0, 16) the state s0..s3, [16, 20) a draw that stopped it (unused now),
 * [64, 576) kn, [576, 1600) wn, [1600, 2624) fn, [4096, ...) the float32 output block.
 */
import { section, sleb, str, uleb, vec, wasmApi } from '../backend/wasm-asm';
import { fn, kn, wn, ZIG_R } from './ziggurat';

/** Output block in normals (the module fills at most this many per call). */
export const WASM_NORMAL_BLOCK = 65536;
const OUT = 4096;
const KN = 64;
const WN = 576;
const FN = 1600;

export interface WasmNormal {
  /** Heap as int32 (state at [0, 4), the stopping draw at [4]). */
  i32: Int32Array;
  /** Heap as float32 (the output block at [OUT / 4, OUT / 4 + WASM_NORMAL_BLOCK)). */
  f32: Float32Array;
  /** Output block offset in f32 elements. */
  out: number;
  /** Fill n (≤ WASM_NORMAL_BLOCK) normals mean + std·z; returns how many it wrote (n: tails are drawn in the module). */
  fill(n: number, mean: number, std: number): number;
}

const I32 = 0x7f;
const F64 = 0x7c;
const op = {
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  call: 0x10,
  select: 0x1b,
  i32load: 0x28,
  f64load: 0x2b,
  i32store: 0x36,
  f32store: 0x38,
  i32const: 0x41,
  f64const: 0x44,
  i32eqz: 0x45,
  i32ltS: 0x48,
  i32gtS: 0x4a,
  i32geU: 0x4f,
  f64lt: 0x63,
  i32add: 0x6a,
  i32sub: 0x6b,
  i32mul: 0x6c,
  i32and: 0x71,
  i32xor: 0x73,
  i32shl: 0x74,
  i32shrS: 0x75,
  i32rotl: 0x77,
  f64neg: 0x9a,
  f64add: 0xa0,
  f64sub: 0xa1,
  f64mul: 0xa2,
  f64div: 0xa3,
  f32demote: 0xb6,
  f64fromI32: 0xb7,
  f64fromU32: 0xb8,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  ret: 0x0f,
};

/** f64.const with its 8 little-endian bytes. */
function f64c(x: number): number[] {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [op.f64const, ...b];
}

// function indices: the imports first
const EXP = 0;
const LOG = 1;

function fillBody(): number[] {
  // params: 0 n (i32), 1 mean (f64), 2 std (f64); locals (i32): 3 i, 4 s0, 5 s1, 6 s2, 7 s3, 8 (unused), 9 u, 10 t,
  // 11 iz, 12 hz, 13 sgn; locals (f64): 14 x, 15 xt, 16 y, 17 v (the standard normal drawn)
  const g = (i: number) => [op.get, i];
  const s = (i: number) => [op.set, i];
  const c = (n: number) => [op.i32const, ...sleb(n)];
  const mem = (align: number, offset: number) => [align, ...uleb(offset)];
  // xoshiro128** (as Rng.nextInt32): u = rotl(s1 * 5, 7) * 9; t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
  // s2 ^= t; s3 = rotl(s3, 11)
  const next = () => [
    ...[...g(5), ...c(5), op.i32mul, ...c(7), op.i32rotl, ...c(9), op.i32mul, ...s(9)],
    ...[...g(5), ...c(9), op.i32shl, ...s(10)],
    ...[...g(6), ...g(4), op.i32xor, ...s(6)],
    ...[...g(7), ...g(5), op.i32xor, ...s(7)],
    ...[...g(5), ...g(6), op.i32xor, ...s(5)],
    ...[...g(4), ...g(7), op.i32xor, ...s(4)],
    ...[...g(6), ...g(10), op.i32xor, ...s(6)],
    ...[...g(7), ...c(11), op.i32rotl, ...s(7)],
  ];
  // iz = u & 127; hz = u >> 7; pushes |hz| < kn[iz], with |hz| = (hz ^ sgn) - sgn, sgn = hz >> 31
  const split = () => [
    ...[...g(9), ...c(127), op.i32and, ...s(11)],
    ...[...g(9), ...c(7), op.i32shrS, op.tee, 12, ...c(31), op.i32shrS, ...s(13)],
    ...[...g(12), ...g(13), op.i32xor, ...g(13), op.i32sub],
    ...[...g(11), ...c(2), op.i32shl, op.i32load, ...mem(2, KN), op.i32ltS],
  ];
  // pushes hz * wn[iz] (f64)
  const hzWn = () => [...g(12), op.f64fromI32, ...g(11), ...c(3), op.i32shl, op.f64load, ...mem(3, WN), op.f64mul];
  // pushes Rng.uniform() = (u >>> 0) · 2^-32 and Rng.uniformOpen() = ((u >>> 0) + 0.5) · 2^-32 after a draw
  const uniform = () => [...next(), ...g(9), op.f64fromU32, ...f64c(2.3283064365386963e-10), op.f64mul];
  const uniformOpen = () => [...next(), ...g(9), op.f64fromU32, ...f64c(0.5), op.f64add, ...f64c(2.3283064365386963e-10), op.f64mul];
  const fnAt = (offset: number) => [...g(11), ...c(3), op.i32shl, op.f64load, ...mem(3, offset)]; // fn[iz + (offset − FN) / 8]
  const code: number[] = [];
  [4, 5, 6, 7].forEach((l, k) => code.push(...c(0), op.i32load, ...mem(2, 4 * k), ...s(l)));
  code.push(op.block, 0x40, op.loop, 0x40);
  code.push(...g(3), ...g(0), op.i32geU, op.brIf, 1);
  code.push(...next(), ...split());
  code.push(op.if, 0x40, ...hzWn(), ...s(17), op.else);
  {
    // Rng.normalTail(hz, iz), operation for operation
    code.push(op.block, 0x40, op.loop, 0x40);
    code.push(...hzWn(), ...s(14)); // x = hz * wn[iz]
    code.push(...g(11), op.i32eqz, op.if, 0x40);
    {
      // do { xt = -log(uniformOpen()) / R; y = -log(uniformOpen()) } while (y + y < xt * xt)
      code.push(op.loop, 0x40);
      code.push(...uniformOpen(), op.call, LOG, op.f64neg, ...f64c(ZIG_R), op.f64div, ...s(15));
      code.push(...uniformOpen(), op.call, LOG, op.f64neg, ...s(16));
      code.push(...g(16), ...g(16), op.f64add, ...g(15), ...g(15), op.f64mul, op.f64lt, op.brIf, 0, op.end);
      // hz > 0 ? R + xt : -R - xt
      code.push(...f64c(ZIG_R), ...g(15), op.f64add, ...f64c(-ZIG_R), ...g(15), op.f64sub, ...g(12), ...c(0), op.i32gtS, op.select, ...s(17));
      code.push(op.br, 2, op.end);
    }
    // if (fn[iz] + uniform() * (fn[iz - 1] - fn[iz]) < exp(-0.5 * x * x)) return x
    code.push(...fnAt(FN), ...uniform(), ...fnAt(FN - 8), ...fnAt(FN), op.f64sub, op.f64mul, op.f64add);
    code.push(...f64c(-0.5), ...g(14), op.f64mul, ...g(14), op.f64mul, op.call, EXP, op.f64lt);
    code.push(op.if, 0x40, ...g(14), ...s(17), op.br, 2, op.end);
    // a new draw: the fast test again, else round the loop
    code.push(...next(), ...split(), op.if, 0x40, ...hzWn(), ...s(17), op.br, 2, op.end);
    code.push(op.br, 0, op.end, op.end);
  }
  code.push(op.end);
  // out[i] = f32(mean + std * v); i++
  code.push(...g(3), ...c(2), op.i32shl, ...g(1), ...g(2), ...g(17), op.f64mul, op.f64add, op.f32demote, op.f32store, ...mem(2, OUT));
  code.push(...g(3), ...c(1), op.i32add, ...s(3), op.br, 0);
  code.push(op.end, op.end);
  [4, 5, 6, 7].forEach((l, k) => code.push(...c(0), ...g(l), op.i32store, ...mem(2, 4 * k)));
  code.push(...g(3), op.end);
  const body = [...vec([[11, I32], [4, F64]]), ...code];
  return [...uleb(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const fillType = [0x60, ...vec([[I32], [F64], [F64]]), ...vec([[I32]])];
  const mathType = [0x60, ...vec([[F64]]), ...vec([[F64]])];
  const pages = Math.ceil((OUT + 4 * WASM_NORMAL_BLOCK) / 65536);
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([fillType, mathType])),
    ...section(
      2,
      vec([
        [...str('math'), ...str('exp'), 0x00, 1],
        [...str('math'), ...str('log'), 0x00, 1],
      ]),
    ),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([
        [...str('fill'), 0x00, 2],
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
    // the same Math.exp / Math.log that Rng.normalTail calls in JS, so tail draws agree bit for bit
    const inst = new W.Instance(new W.Module(bytes), { math: { exp: Math.exp, log: Math.log } });
    const memory = inst.exports['m'] as { buffer: ArrayBuffer };
    const i32 = new Int32Array(memory.buffer);
    i32.set(kn, KN / 4);
    new Float64Array(memory.buffer, WN, 128).set(wn);
    new Float64Array(memory.buffer, FN, 128).set(fn);
    cached = { i32, f32: new Float32Array(memory.buffer), out: OUT / 4, fill: inst.exports['fill'] as WasmNormal['fill'] };
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}

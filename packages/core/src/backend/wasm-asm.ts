/**
 * A few helpers to assemble small WebAssembly modules byte by byte (no toolchain at build time), and the parts of
 * the WebAssembly JS API they are instantiated with (the project's TypeScript libs do not declare it). Used by the
 * in-place heap kernels (wasm-heap.ts) and the normal sampler (rng/wasm-normal.ts).
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** The parts of the WebAssembly JS API used here. */
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** The global WebAssembly object, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * Seed derivation. A seed plus a path of keys (e.g. `[chunkIndex]`, `['W0']`) is hashed into four 32-bit words
 * that seed an independent stream, so chunk k of an ensemble can be regenerated without generating chunks
 * 0..k-1 (counter-style reproducibility, as in JAX's `fold_in`).
 */

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash a string to 32 bits (FNV-1a then fmix32). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A key in a seed path: integers (chunk indices) and strings (parameter names). */
export type SeedKey = number | string;

function keyWords(k: SeedKey): [number, number] {
  if (typeof k === 'string') return [hashString(k), 0x9e3779b9];
  if (!Number.isFinite(k)) throw new RangeError(`seed key must be finite, got ${k}`);
  // Integers up to 2^53 are split into two 32-bit words so 2^32 + 1 and 1 differ.
  const lo = k >>> 0;
  const hi = Math.floor(k / 4294967296) >>> 0;
  return [lo, hi ^ 0x7f4a7c15];
}

/** Derive a 128-bit state (four nonzero-overall 32-bit words) from a seed and a key path. */
export function deriveState(seed: SeedKey, path: readonly SeedKey[] = []): Uint32Array {
  const s = new Uint32Array(4);
  const [a, b] = keyWords(seed);
  let h0 = fmix32(a ^ 0x243f6a88);
  let h1 = fmix32(b ^ 0x85a308d3);
  for (const k of path) {
    const [x, y] = keyWords(k);
    h0 = fmix32((h0 ^ x) + Math.imul(h1, 0x9e3779b1));
    h1 = fmix32((h1 ^ y) + Math.imul(h0, 0x632be5ab));
  }
  // Expand to 128 bits with a splitmix-like counter.
  let c = h0 ^ Math.imul(h1, 0x27d4eb2f);
  for (let i = 0; i < 4; i++) {
    c = (c + 0x9e3779b9) | 0;
    s[i] = fmix32(c ^ (i & 1 ? h1 : h0));
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

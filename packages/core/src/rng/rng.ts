import { deriveState, type SeedKey } from './hash';
import { fn, kn, wn, ZIG_R } from './ziggurat';
import { WASM_NORMAL_BLOCK, wasmNormal, type WasmNormal } from './wasm-normal';

/** Shortest Float32Array that `fillNormal` hands to the wasm fast path (below it the call overhead dominates). */
const WASM_FILL_MIN = 64;
let useWasmNormal = true;

/**
 * Whether `Rng.fillNormal` may use its WebAssembly fast path (default true; the numbers are the same either way,
 * tested). Returns the previous setting. For tests and benchmarks.
 */
export function setWasmNormal(on: boolean): boolean {
  const was = useWasmNormal;
  useWasmNormal = on;
  return was;
}

/** Float arrays the samplers fill. */
export type FloatArray = Float32Array | Float64Array;

/**
 * nnsym's seeded random number generator: xoshiro128** (Blackman & Vigna) on 32-bit integer arithmetic, with a
 * ziggurat normal sampler. Same seed, same numbers, on every platform and backend (it runs on the host, not in a
 * tfjs kernel). Independent streams come from {@link Rng.derive}: `Rng.derive(seed, chunk)` regenerates chunk
 * `chunk` of an ensemble without drawing the chunks before it.
 *
 * Throughput on the host: about 5-8 ns per normal in V8 with `fillNormal` (measured on a shared 2-vCPU Zen 3 at
 * load 3; vs ~56 ns for `tf.randomNormal` on wasm).
 *
 * @example
 * const rng = new Rng(42);
 * const w = rng.normalArray(1000, 0, 1);          // Float32Array of N(0, 1)
 * const chunkRng = Rng.derive(42, 'ensemble', 7); // stream for chunk 7
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The seed and path this stream was derived from (recorded in results). */
  readonly seed: SeedKey;
  readonly path: readonly SeedKey[];

  constructor(seed: SeedKey, path: readonly SeedKey[] = []) {
    const s = deriveState(seed, path);
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
    this.seed = seed;
    this.path = path;
  }

  /** An independent stream for `(seed, ...path)`. */
  static derive(seed: SeedKey, ...path: SeedKey[]): Rng {
    return new Rng(seed, path);
  }

  /** A child stream of this one's seed and path, extended by `keys`. Does not advance this stream. */
  fork(...keys: SeedKey[]): Rng {
    return new Rng(this.seed, [...this.path, ...keys]);
  }

  /** Next 32 random bits as a signed int32. */
  nextInt32(): number {
    const s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const t0 = Math.imul(s1, 5);
    const result = Math.imul((t0 << 7) | (t0 >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    this.s0 = s0 ^ s3;
    this.s1 = s1;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return (this.nextInt32() >>> 0) * 2.3283064365386963e-10;
  }

  /** Uniform in (0, 1): never exactly 0, safe for `Math.log`. */
  uniformOpen(): number {
    return ((this.nextInt32() >>> 0) + 0.5) * 2.3283064365386963e-10;
  }

  /** Uniform integer in [0, n). Unbiased (rejection). */
  int(n: number): number {
    if (!(n > 0 && n <= 4294967296 && Number.isInteger(n))) throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const u = this.nextInt32() >>> 0;
      if (u < limit) return u % n;
    }
  }

  /** One standard normal (ziggurat). */
  normal(): number {
    const u = this.nextInt32();
    const iz = u & 127;
    const hz = u >> 7; // signed 25-bit
    if (((hz ^ (hz >> 31)) - (hz >> 31)) < kn[iz]) return hz * wn[iz];
    return this.normalTail(hz, iz);
  }

  private normalTail(hz: number, iz: number): number {
    for (;;) {
      const x = hz * wn[iz];
      if (iz === 0) {
        let xt: number;
        let y: number;
        do {
          xt = -Math.log(this.uniformOpen()) / ZIG_R;
          y = -Math.log(this.uniformOpen());
        } while (y + y < xt * xt);
        return hz > 0 ? ZIG_R + xt : -ZIG_R - xt;
      }
      if (fn[iz] + this.uniform() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
      const u = this.nextInt32();
      iz = u & 127;
      hz = u >> 7;
      if (((hz ^ (hz >> 31)) - (hz >> 31)) < kn[iz]) return hz * wn[iz];
    }
  }

  /**
   * Fill `out` with N(mean, std²). Returns `out`. The same numbers as `mean + std * normal()` in a loop: the
   * generator and ziggurat fast path are inlined with the state in locals (written back before the rare tail
   * draws, ~2.8% of them), which the ensemble host path relies on for speed. |hz| is taken branch-free
   * ((hz ^ s) − s with s = hz >> 31): V8 compiles `hz < 0 ? −hz : hz` to a branch that mispredicts half the time,
   * which made sampling ~3x slower (measured 12.8 vs 4.6 ns per normal).
   */
  fillNormal<T extends FloatArray>(out: T, mean = 0, std = 1): T {
    if (out instanceof Float32Array && out.length >= WASM_FILL_MIN && useWasmNormal) {
      const w = wasmNormal();
      if (w) return this.fillNormalWasm(w, out, mean, std) as T;
    }
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      // xoshiro128** step (as nextInt32)
      const t0 = Math.imul(s1, 5);
      const u = Math.imul((t0 << 7) | (t0 >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      // ziggurat (as normal)
      const iz = u & 127;
      const hz = u >> 7;
      if (((hz ^ (hz >> 31)) - (hz >> 31)) < kn[iz]) {
        out[i] = mean + std * (hz * wn[iz]);
      } else {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
        out[i] = mean + std * this.normalTail(hz, iz);
        s0 = this.s0;
        s1 = this.s1;
        s2 = this.s2;
        s3 = this.s3;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /**
   * {@link fillNormal} through the wasm sampler (same numbers, same state after), a block per call (tails are drawn in
   * the module; the resume path below is kept for a module that stops at a tail draw).
   */
  private fillNormalWasm(w: WasmNormal, out: Float32Array, mean: number, std: number): Float32Array {
    const st = w.i32;
    st[0] = this.s0;
    st[1] = this.s1;
    st[2] = this.s2;
    st[3] = this.s3;
    const n = out.length;
    let i = 0;
    while (i < n) {
      const want = Math.min(n - i, WASM_NORMAL_BLOCK);
      const got = w.fill(want, mean, std);
      out.set(w.f32.subarray(w.out, w.out + got), i);
      i += got;
      if (got < want) {
        // the draw at st[4] needs the ziggurat's tail: finish it here with the stream's state, then resume
        this.s0 = st[0];
        this.s1 = st[1];
        this.s2 = st[2];
        this.s3 = st[3];
        const u = st[4];
        out[i++] = mean + std * this.normalTail(u >> 7, u & 127);
        st[0] = this.s0;
        st[1] = this.s1;
        st[2] = this.s2;
        st[3] = this.s3;
      }
    }
    this.s0 = st[0];
    this.s1 = st[1];
    this.s2 = st[2];
    this.s3 = st[3];
    return out;
  }

  /** Fill `out` with U[lo, hi). */
  fillUniform<T extends FloatArray>(out: T, lo = 0, hi = 1): T {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * this.uniform();
    return out;
  }

  /** A new Float32Array of `n` draws from N(mean, std²). */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    return this.fillNormal(new Float32Array(n), mean, std);
  }

  /** A new Float32Array of `n` draws from U[lo, hi). */
  uniformArray(n: number, lo = 0, hi = 1): Float32Array {
    return this.fillUniform(new Float32Array(n), lo, hi);
  }

  /** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape > 0. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniformOpen(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniformOpen();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** Parse a `--seed` value: a non-negative integer, or any string (hashed). */
export function normaliseSeed(seed: unknown): SeedKey {
  if (typeof seed === 'number' && Number.isFinite(seed)) return seed;
  if (typeof seed === 'string' && seed.trim() !== '') {
    const n = Number(seed);
    return Number.isSafeInteger(n) && n >= 0 ? n : seed;
  }
  return 0;
}

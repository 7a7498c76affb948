import { Rng, normaliseSeed, setWasmNormal } from './rng';
import { WASM_NORMAL_BLOCK, wasmNormal } from './wasm-normal';
import { deriveState } from './hash';

/**
 * Standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2, independent of the ziggurat tables under test. erf from the
 * positive-term series erf(a) = (2/√π) e^{−a²} Σ_{k≥0} 2^k a^{2k+1} / (1·3·5···(2k+1)) (Abramowitz & Stegun 7.1.6):
 * no cancellation, so about 1e-15 absolute accuracy for every a, far below the KS statistic's resolution (~1e-3).
 */
function erf(a: number): number {
  const x = Math.abs(a);
  if (x > 8) return Math.sign(a);
  let term = x;
  let sum = x;
  for (let k = 1; k < 1000 && term > 1e-17 * sum; k++) {
    term *= (2 * x * x) / (2 * k + 1);
    sum += term;
  }
  return Math.sign(a) * Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum);
}
const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

describe('Phi (test helper)', () => {
  it('matches tabulated values of the standard normal CDF', () => {
    // Abramowitz & Stegun Table 26.1.
    expect(Phi(0)).toBeCloseTo(0.5, 14);
    expect(Phi(1)).toBeCloseTo(0.841344746068543, 12);
    expect(Phi(-1.96)).toBeCloseTo(0.024997895148220, 12);
    expect(Phi(3)).toBeCloseTo(0.998650101968370, 12);
    expect(1 - Phi(5)).toBeCloseTo(2.866515718791939e-7, 13);
    expect(Phi(-4)).toBeCloseTo(3.167124183311992e-5, 13);
  });
});

describe('Rng reproducibility', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const draw = (r: Rng) => Array.from({ length: 1000 }, () => r.nextUint32());
    expect(draw(new Rng(7))).toEqual(draw(new Rng(7)));
    expect(draw(new Rng('run-a'))).toEqual(draw(new Rng('run-a')));
    expect(draw(new Rng(7))).not.toEqual(draw(new Rng(8)));
    expect(draw(new Rng('7'))).not.toEqual(draw(new Rng(7)));
  });

  it('reproduces golden values (the stream is part of the results format)', () => {
    // Produced with: node -e "const {Rng}=require('./packages/core/dist/rng/rng'); const r=new Rng(42);
    //   console.log(Array.from({length:4},()=>r.nextUint32())); const s=Rng.derive('exp','W0',3);
    //   console.log(Array.from({length:3},()=>s.normal()))"   (commit 6bceb35)
    const r = new Rng(42);
    expect(Array.from({ length: 4 }, () => r.nextUint32())).toEqual([3175249543, 941840407, 4192554538, 1227015371]);
    const s = Rng.derive('exp', 'W0', 3);
    const v = Array.from({ length: 3 }, () => s.normal());
    expect(v).toEqual([-0.5936865003654666, 0.8222090545245602, 0.3677780421497389]);
  });

  it('derive(seed, ...path) equals new Rng(seed, path); fork extends the path without advancing the parent', () => {
    const a = Rng.derive(3, 'ensemble', 5);
    const b = new Rng(3, ['ensemble', 5]);
    expect(a.normalArray(50)).toEqual(b.normalArray(50));
    const parent = new Rng(3, ['ensemble']);
    const before = new Rng(3, ['ensemble']);
    const child = parent.fork(5);
    expect(child.normalArray(50)).toEqual(Rng.derive(3, 'ensemble', 5).normalArray(50));
    expect(parent.nextUint32()).toBe(before.nextUint32());
    expect(child.path).toEqual(['ensemble', 5]);
  });

  it('keeps keys apart that a naive 32-bit mix would merge (2^32 + 1 vs 1, "1" vs 1, key order)', () => {
    const s = (seed: number | string, ...p: (number | string)[]) => Array.from(deriveState(seed, p)).join(',');
    expect(s(0, 2 ** 32 + 1)).not.toBe(s(0, 1));
    expect(s(0, '1')).not.toBe(s(0, 1));
    expect(s(0, 'a', 'b')).not.toBe(s(0, 'b', 'a'));
    expect(s(0, 1)).not.toBe(s(1));
  });

  it('derived streams are uncorrelated (sample correlation within 4.5 standard errors of 0)', () => {
    const n = 20000;
    // Under independence the sample correlation of N(0,1) pairs has standard error 1/sqrt(n).
    const pairs: [Rng, Rng][] = [
      [Rng.derive(0, 0), Rng.derive(0, 1)],
      [Rng.derive(0, 'W0'), Rng.derive(0, 'W1')],
      [new Rng(0), new Rng(1)],
      [new Rng(0), Rng.derive(0, 0)],
    ];
    for (const [x, y] of pairs) {
      let sxy = 0;
      for (let i = 0; i < n; i++) sxy += x.normal() * y.normal();
      expect(Math.abs(sxy / n) * Math.sqrt(n)).toBeLessThan(4.5);
    }
  });
});

describe('Rng.normal (ziggurat)', () => {
  const n = 100_000;
  const xs = new Rng(2024).fillNormal(new Float64Array(n));

  it('has the moments of N(0,1) up to the 4th, within 4.5 standard errors', () => {
    // Sample mean of x^k has standard error sqrt((E[x^2k] - E[x^k]^2) / n); Gaussian moments E[x^k] = (k-1)!! for even k:
    // k=1: E=0, Var=1; k=2: E=1, Var=3-1=2; k=3: E=0, Var=15; k=4: E=3, Var=105-9=96.
    const m = [0, 0, 0, 0];
    for (const x of xs) {
      m[0] += x;
      m[1] += x * x;
      m[2] += x * x * x;
      m[3] += x * x * x * x;
    }
    const expected = [0, 1, 0, 3];
    const variance = [1, 2, 15, 96];
    for (let k = 0; k < 4; k++) {
      const z = (m[k] / n - expected[k]) / Math.sqrt(variance[k] / n);
      expect(Math.abs(z)).toBeLessThan(4.5);
    }
  });

  it('passes a Kolmogorov-Smirnov test against Phi (n = 1e5, alpha = 0.001)', () => {
    const sorted = Float64Array.from(xs).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = Phi(sorted[i]);
      d = Math.max(d, (i + 1) / n - f, f - i / n);
    }
    // Asymptotic critical value of sqrt(n) D_n at alpha = 0.001 is 1.949 (Kolmogorov distribution).
    expect(Math.sqrt(n) * d).toBeLessThan(1.949);
    // And the test has power: a 4% scale error (sup |Phi(1.04x) - Phi(x)| ~ 0.04 phi(1) = 0.0097, i.e. sqrt(n) D ~ 3) is rejected.
    let dBad = 0;
    for (let i = 0; i < n; i++) {
      const f = Phi(sorted[i] * 1.04);
      dBad = Math.max(dBad, (i + 1) / n - f, f - i / n);
    }
    expect(Math.sqrt(n) * dBad).toBeGreaterThan(1.949);
  });

  it('draws the tail beyond the ziggurat base strip (|x| > R = 3.4426) at the Gaussian rate', () => {
    // P(|x| > R) = 2 (1 - Phi(R)) = 5.76e-4; the count is Binomial(n, p), sd sqrt(n p (1-p)).
    const R = 3.442619855899;
    const p = 2 * (1 - Phi(R));
    const count = xs.reduce((c, x) => c + (Math.abs(x) > R ? 1 : 0), 0);
    expect(Math.abs(count - n * p) / Math.sqrt(n * p * (1 - p))).toBeLessThan(4.5);
    // Beyond 4.5 sigma: p = 6.8e-6, expected 0.68 in 1e5 draws; more than 6 would be a broken tail.
    expect(xs.filter((x) => Math.abs(x) > 4.5).length).toBeLessThanOrEqual(6);
    expect(Math.max(...xs.map(Math.abs))).toBeGreaterThan(R);
  });

  it('fillNormal scales by mean and std', () => {
    const a = new Rng(5).fillNormal(new Float64Array(10), 2, 3);
    const b = new Rng(5).fillNormal(new Float64Array(10));
    a.forEach((v, i) => expect(v).toBeCloseTo(2 + 3 * b[i], 12));
  });
});

describe('Rng uniform and int', () => {
  it('uniform is in [0, 1) with mean 1/2 and variance 1/12 (within 4.5 standard errors)', () => {
    const n = 100_000;
    const r = new Rng(11);
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      s += u;
      s2 += (u - 0.5) ** 2;
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // Var(U) = 1/12; Var((U-1/2)^2) = E[(U-1/2)^4] - 1/144 = 1/80 - 1/144 = 1/180.
    expect(Math.abs(s / n - 0.5) / Math.sqrt(1 / 12 / n)).toBeLessThan(4.5);
    expect(Math.abs(s2 / n - 1 / 12) / Math.sqrt(1 / 180 / n)).toBeLessThan(4.5);
  });

  it('uniformOpen never returns 0 or 1', () => {
    const r = new Rng(1);
    let bad = 0;
    for (let i = 0; i < 10000; i++) {
      const u = r.uniformOpen();
      if (!(u > 0 && u < 1)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('int(7) is uniform on 0..6 (chi-square, 6 dof, p > 0.001)', () => {
    const n = 70_000;
    const counts = new Array(7).fill(0);
    const r = new Rng(3);
    for (let i = 0; i < n; i++) counts[r.int(7)]++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 7) ** 2 / (n / 7), 0);
    expect(chi2).toBeLessThan(22.46); // chi-square(6) quantile at 0.999
  });

  it('int(n) is unbiased where a plain modulo is not (n = 3 * 2^30)', () => {
    // u mod n for u uniform on [0, 2^32) maps [0, 2^30) twice (from u and u + n), so P(result < 2^30) would be 1/2;
    // the rejection sampler gives the true 1/3. Standard error of the fraction: sqrt(p (1 - p) / n).
    const n = 3 * 2 ** 30;
    const draws = 30_000;
    const r = new Rng(9);
    let low = 0;
    let bad = 0;
    for (let i = 0; i < draws; i++) {
      const k = r.int(n);
      if (!(k >= 0 && k < n && Number.isInteger(k))) bad++;
      if (k < 2 ** 30) low++;
    }
    expect(bad).toBe(0);
    expect(Math.abs(low / draws - 1 / 3) / Math.sqrt((1 / 3) * (2 / 3) / draws)).toBeLessThan(4.5);
  });

  it('int rejects n outside [1, 2^32] and non-integers', () => {
    const r = new Rng(0);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow(RangeError);
    expect(() => r.int(2 ** 32 + 1)).toThrow(RangeError);
    expect(r.int(1)).toBe(0);
  });

  it('permutation returns each of 0..n-1 once, and all 6 orders of 3 items about equally often', () => {
    const p = new Rng(4).permutation(100);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const r = new Rng(4);
    const counts = new Map<string, number>();
    const n = 6000;
    for (let i = 0; i < n; i++) {
      const k = Array.from(r.permutation(3)).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.52); // chi-square(5) at 0.999
  });
});

describe('Rng.fillNormal wasm fast path', () => {
  afterEach(() => setWasmNormal(true));

  it('gives the JS path\'s numbers and leaves the stream in the same state (many seeds, lengths, scales; tails included)', () => {
    expect(wasmNormal()).toBeDefined(); // Node has WebAssembly: the fast path must instantiate
    let tails = 0;
    let compared = 0;
    for (let seed = 0; seed < 6; seed++) {
      // lengths around the threshold and the output block, so that calls resume across blocks and tails
      for (const len of seed === 0 ? [64, 65, 4099, 2 * WASM_NORMAL_BLOCK + 77] : [64, 1000, 4099, 40_000]) {
        const [mean, std] = seed % 3 === 0 ? [0, 1] : seed % 3 === 1 ? [0.25, 1 / Math.sqrt(3)] : [-2, 1e-3];
        const a = new Rng(seed, ['fast', len]);
        const b = new Rng(seed, ['fast', len]);
        setWasmNormal(true);
        const x = a.fillNormal(new Float32Array(len), mean, std);
        setWasmNormal(false);
        const y = b.fillNormal(new Float32Array(len), mean, std);
        expect(x).toEqual(y);
        // the state after: the next draws agree too
        expect(a.nextInt32()).toBe(b.nextInt32());
        expect(a.normal()).toBe(b.normal());
        compared += len;
        // tail draws (|z| beyond a layer's rectangle, drawn in the module) did occur: count |z| > the base layer's edge
        for (let i = 0; i < len; i++) if (Math.abs((y[i] - mean) / std) > 3.44) tails++;
      }
    }
    expect(compared).toBeGreaterThan(300_000);
    expect(tails).toBeGreaterThan(50); // the base strip's tail (|z| > r ≈ 3.44): the module's exp/log branch
  });

  it('draws tails inside the module: one call fills a whole block, with the numbers of normal() in a loop', () => {
    const w = wasmNormal();
    if (!w) throw new Error('no wasm sampler');
    const st = new Rng(77, ['block']);
    // load the stream's state into the module as fillNormal does (s0..s3 are the first four int32 of its memory)
    const probe = new Rng(77, ['block']) as unknown as { s0: number; s1: number; s2: number; s3: number };
    w.i32.set([probe.s0, probe.s1, probe.s2, probe.s3], 0);
    const n = WASM_NORMAL_BLOCK;
    expect(w.fill(n, 0, 1)).toBe(n); // ≈ 1800 tail draws in a block, none returned to JS
    const got = w.f32.slice(w.out, w.out + n);
    const want = Float32Array.from({ length: n }, () => st.normal());
    expect(got).toEqual(want);
  });

  it('Float64Array and short arrays keep the JS path (same numbers as normal() in a loop)', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    const x = a.fillNormal(new Float64Array(300), 1, 2);
    const y = Array.from({ length: 300 }, () => 1 + 2 * b.normal());
    expect(Array.from(x)).toEqual(y);
    const c = new Rng(10).fillNormal(new Float32Array(10));
    const d = new Rng(10);
    expect(Array.from(c)).toEqual(Array.from({ length: 10 }, () => Math.fround(d.normal())));
  });
});

describe('normaliseSeed', () => {
  it('keeps non-negative integers as numbers and other strings as strings', () => {
    expect(normaliseSeed('42')).toBe(42);
    expect(normaliseSeed(7)).toBe(7);
    expect(normaliseSeed('run-1')).toBe('run-1');
    expect(normaliseSeed('-3')).toBe('-3');
    expect(normaliseSeed(undefined)).toBe(0);
  });
});

/**
 * The BLAS kernels against (1) the wasm backend's own kernels and (2) a float64 reference, within the float32
 * rounding bound of __fixtures__/reference.ts: |BLAS − wasm| ≤ L · 2 γ_{K+1} Σ|a||b| (+|bias|) + 8 u |y| and
 * |BLAS − exact| ≤ L · γ_{K+1} Σ|a||b| + 8 u |y| elementwise. Skipped, with the reason logged, where no BLAS library
 * can be loaded (the BLAS-off path is tested in blas.spec.ts on every machine).
 */
import { tf } from '../../tf';
import { Rng } from '../../rng/rng';
import { initBackend } from '../backend';
import { findBlas } from './library';
import { blasState } from './state';
import { FUSED_ACTIVATIONS } from './_FusedMatMul';
import { planGemm, preferWasm, SMALL_BATCHED_MNK } from './heap-gemm';
import { act64, gamma, lipschitz, refMatMul, U32, violations } from './__fixtures__/reference';

const probe = findBlas(process.env['NNSYM_BLAS'] && !/^(off|0|false|none|auto|on)$/i.test(process.env['NNSYM_BLAS']) ? process.env['NNSYM_BLAS'] : undefined);
const blasOff = /^(off|0|false|none)$/i.test(process.env['NNSYM_BLAS'] ?? '');
const skipReason = blasOff ? 'NNSYM_BLAS=off' : probe.ok ? undefined : probe.reason;
if (skipReason) console.warn(`BLAS kernel tests SKIPPED: ${skipReason} (install libopenblas0-pthread to run them)`);
const d = skipReason ? describe.skip : describe;

const rng = new Rng(17, ['blas-kernels']);
const rand = (shape: number[]) => rng.normalArray(shape.reduce((p, x) => p * x, 1));

/** Run `f` with the BLAS kernels on (true) or with the wasm kernels (false). */
function withBlas<T>(on: boolean, f: () => T): T {
  const before = blasState.kernels;
  blasState.kernels = on;
  try {
    return f();
  } finally {
    blasState.kernels = before;
  }
}

const fdata = (t: tf.Tensor) => t.dataSync() as Float32Array;

beforeAll(async () => {
  if (skipReason) return;
  const info = await initBackend({ backend: 'wasm', env: {} });
  expect(info.blas).toMatchObject({ enabled: true, kernels: ['BatchMatMul', '_FusedMatMul'] });
});

d('BatchMatMul through BLAS', () => {
  // [aShape, bShape, transposeA, transposeB, wasmComparable]: the wasm kernel mishandles K = 0 (uninitialised
  // output) and batch broadcasts where neither batch is 1 ([2,1]·[1,3]: tfjs backends return 6 of the 18 batches'
  // worth of values); those are checked against the float64 reference only.
  const cases: [number[], number[], boolean, boolean, boolean][] = [
    [[1, 1], [1, 1], false, false, true],
    [[3, 5], [5, 4], false, false, true],
    [[17, 33], [33, 9], false, false, true],
    [[33, 17], [33, 9], true, false, true],
    [[17, 33], [9, 33], false, true, true],
    [[33, 17], [9, 33], true, true, true],
    [[64, 300], [300, 70], false, false, true],
    // batches of matrices above SMALL_BATCHED_MNK (one sgemm per matrix) ...
    [[4, 20, 17], [4, 17, 9], false, false, true],
    [[4, 17, 20], [4, 9, 17], true, true, true],
    [[4, 6, 7], [7, 5], false, false, true], // B shared: one folded sgemm (any size)
    [[4, 17, 20], [17, 9], true, false, true], // B shared, A transposed: per-batch calls
    [[20, 17], [4, 17, 9], false, false, true], // A shared
    [[2, 3, 6, 7], [3, 7, 5], false, false, true], // batch shapes [2,3] and [3]: not the wasm kernel's case
    // ... and below it, where the wasm kernel serves them (preferWasm)
    [[4, 6, 7], [4, 7, 5], false, false, true],
    [[4, 7, 6], [4, 5, 7], true, true, true],
    [[2, 1, 3, 4], [1, 3, 4, 2], false, false, false], // two-sided broadcast
    [[1, 5], [5, 1], false, false, true],
    [[5, 1], [1, 5], false, false, true],
    [[0, 3], [3, 2], false, false, true],
    [[2, 3], [3, 0], false, false, true],
    [[0, 2, 3], [0, 3, 4], false, false, true],
    [[2, 0], [0, 2], false, false, false], // K = 0: zeros
    [[3, 2, 0], [0, 4], false, false, false],
  ];

  it.each(cases)('%j · %j (transposeA %s, transposeB %s) matches wasm and the float64 reference', (aShape, bShape, tA, tB, wasmOk) => {
    const av = rand(aShape);
    const bv = rand(bShape);
    const ref = refMatMul(av, aShape, bv, bShape, tA, tB);
    const before = tf.memory().numTensors;
    const [blas, wasm] = tf.tidy(() => {
      const a = tf.tensor(av, aShape);
      const b = tf.tensor(bv, bShape);
      const y = withBlas(true, () => tf.matMul(a, b, tA, tB));
      expect(y.shape).toEqual(ref.shape);
      return [fdata(y), wasmOk ? fdata(withBlas(false, () => tf.matMul(a, b, tA, tB))) : undefined];
    });
    expect(tf.memory().numTensors).toBe(before);
    const g = gamma(ref.k + 1);
    expect(violations(blas, ref.c, (i) => g * ref.s[i])).toEqual([]);
    if (wasm) expect(violations(blas, wasm, (i) => 2 * g * ref.s[i])).toEqual([]);
    if (ref.k === 0) expect(Array.from(blas).every((x) => x === 0)).toBe(true);
  });

  it('the bound is not vacuous: it rejects a 1e-3 relative error', () => {
    // Sanity of the tolerance scale: at K = 300 the bound is ~1.8e-5 relative to Σ|a||b|; an error of 1e-3 relative
    // (a wrong input element) must fail it.
    const av = rand([8, 300]);
    const bv = rand([300, 8]);
    const ref = refMatMul(av, [8, 300], bv, [300, 8], false, false);
    const wrong = Float32Array.from(ref.c, (x, i) => x + 1e-3 * ref.s[i]);
    expect(violations(wrong, ref.c, (i) => 2 * gamma(301) * ref.s[i]).length).toBeGreaterThan(0);
  });

  it('leaves batches of tiny matrices to the wasm kernel, where it is faster, and only where it is right', () => {
    const plan = (a: number[], b: number[], tA = false) => planGemm(a, b, tA, false)!;
    expect(SMALL_BATCHED_MNK).toBe(1024);
    expect(preferWasm(plan([5000, 1, 100], [5000, 100, 6]))).toBe(true); // an ensemble's readout
    expect(preferWasm(plan([5000, 16, 16], [5000, 16, 16]))).toBe(false); // 4096 > 1024
    expect(preferWasm(plan([1, 8], [8, 8]))).toBe(false); // one product: BLAS
    expect(preferWasm(plan([4, 6, 7], [7, 5]))).toBe(false); // folded into one sgemm
    expect(preferWasm(plan([4, 7, 6], [7, 5], true))).toBe(true);
    expect(preferWasm(plan([2, 1, 3, 4], [1, 3, 4, 2]))).toBe(false); // the wasm kernel gets this broadcast wrong
    expect(preferWasm(plan([3, 0, 4], [3, 4, 0]))).toBe(false);
    expect(preferWasm(plan([3, 2, 0], [3, 0, 2]))).toBe(false); // K = 0: the wasm kernel leaves garbage
  });

  it('rejects mismatched inner dimensions with the wasm kernel\'s own error', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([4, 2]);
    expect(() => withBlas(true, () => tf.matMul(a, b))).toThrow(/inner shapes \(3\) and \(4\)/);
    tf.dispose([a, b]);
  });

  it('keeps tf.memory() flat over a long loop of products and gradients', () => {
    const a = tf.tensor(rand([16, 24]), [16, 24]);
    const b = tf.tensor(rand([24, 8]), [24, 8]);
    const step = () => tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y).square().sum())([a, b]).map((t) => t.sum()));
    tf.dispose(step());
    const m0 = tf.memory();
    for (let i = 0; i < 50; i++) tf.dispose(step());
    const m1 = tf.memory();
    expect(m1.numTensors).toBe(m0.numTensors);
    expect(m1.numDataBuffers).toBe(m0.numDataBuffers);
    expect(m1.numBytes).toBe(m0.numBytes);
    tf.dispose([a, b]);
  });
});

d('_FusedMatMul through BLAS', () => {
  const shapes: [number[], number[], boolean, boolean][] = [
    [[1, 9, 13], [1, 13, 5], false, false],
    [[3, 13, 9], [3, 5, 13], true, true],
    [[2, 9, 13], [1, 13, 7], false, false],
    [[1, 1, 1], [1, 1, 1], false, false],
    [[1, 40, 200], [1, 200, 33], false, false],
  ];
  const variants: { activation: (typeof FUSED_ACTIVATIONS)[number]; bias: 'n' | '1' | 'none'; prelu?: 'n' | '1'; alpha?: number }[] = [
    ...FUSED_ACTIVATIONS.filter((a) => a !== 'prelu').map((activation) => ({ activation, bias: 'n' as const, alpha: activation === 'leakyrelu' ? 0.3 : undefined })),
    { activation: 'relu', bias: 'none' },
    { activation: 'linear', bias: '1' },
    { activation: 'prelu', bias: 'n', prelu: 'n' },
    { activation: 'prelu', bias: 'none', prelu: '1' },
  ];
  const cases = shapes.flatMap((s) => variants.map((v) => [...s, v] as const));

  it.each(cases)('%j · %j (tA %s, tB %s) %j matches wasm and the reference', (aShape, bShape, tA, tB, v) => {
    const av = rand(aShape);
    const bv = rand(bShape);
    const ref = refMatMul(av, aShape, bv, bShape, tA, tB);
    const { n } = ref;
    const biasV = v.bias === 'none' ? undefined : rand([v.bias === 'n' ? n : 1]);
    const preluV = v.prelu ? Float32Array.from(rand([v.prelu === 'n' ? n : 1]), (x) => 0.5 * x) : undefined;
    const before = tf.memory().numTensors;
    const [blas, wasm] = tf.tidy(() => {
      const a = tf.tensor(av, aShape);
      const b = tf.tensor(bv, bShape);
      const bias = biasV ? tf.tensor1d(biasV) : undefined;
      const preluActivationWeights = preluV ? tf.tensor1d(preluV) : undefined;
      const run = () => tf.fused.matMul({ a, b, transposeA: tA, transposeB: tB, bias, activation: v.activation, preluActivationWeights, leakyreluAlpha: v.alpha });
      return [fdata(withBlas(true, run)), fdata(withBlas(false, run))];
    });
    expect(tf.memory().numTensors).toBe(before);
    const g = gamma(ref.k + 1);
    const y = new Float64Array(ref.c.length);
    const s = new Float64Array(ref.c.length);
    let maxAlpha = v.alpha ?? 0;
    for (let i = 0; i < y.length; i++) {
      const j = i % n;
      const pre = ref.c[i] + (biasV ? biasV[biasV.length === 1 ? 0 : j] : 0);
      const alpha = v.activation === 'prelu' ? preluV![preluV!.length === 1 ? 0 : j] : v.alpha ?? 0;
      maxAlpha = Math.max(maxAlpha, Math.abs(alpha));
      y[i] = act64(v.activation, pre, alpha);
      s[i] = ref.s[i] + (biasV ? Math.abs(biasV[biasV.length === 1 ? 0 : j]) : 0);
    }
    const L = lipschitz(v.activation, maxAlpha);
    expect(violations(blas, y, (i) => L * g * s[i] + 8 * U32 * Math.abs(y[i]))).toEqual([]);
    // The wasm kernel itself is wrong with a bias when the batch is > 1 (zeros·zeros + [1, 2] over batch 3 of 2 × 2
    // gives rows [1, 2], [2, 2] in every batch) and with a length-1 bias (it reads past the bias: garbage in
    // columns 1..n-1): compare with it where it is right.
    const wasmOk = ref.c.length === ref.m * n && (!biasV || biasV.length === n);
    if (wasmOk) expect(violations(blas, wasm, (i) => 2 * L * g * s[i] + 8 * U32 * Math.abs(y[i]))).toEqual([]);
  });

  it('falls back to the wasm kernel for what it does not serve (rank-2 bias: the wasm kernel\'s own error)', () => {
    const a = tf.ones([1, 2, 3]);
    const b = tf.ones([1, 3, 2]);
    const bias = tf.ones([2, 2]);
    expect(() => withBlas(true, () => tf.fused.matMul({ a, b, bias }))).toThrow(/rank-1 bias/);
    tf.dispose([a, b, bias]);
  });
});

d('gradients through the BLAS kernels (tf.grad)', () => {
  // L = Σ C ⊙ W, so dL/dC = W exactly on both paths and the gradients are single matmuls (plus tfjs's sum over
  // broadcast batch dims): each entry of dA (dB) is a float32 sum of at most n = max(M, N)·batch products. Bound:
  // |BLAS − wasm| ≤ 2 γ_n S with S the same gradient of Σ |C|-like products, i.e. computed from |A|, |B|, |W|
  // (no cancellation there, so its float32 value S̃ ≥ S / (1 + γ_n)).
  const cases: [number[], number[], boolean, boolean][] = [
    [[9, 13], [13, 7], false, false],
    [[13, 9], [13, 7], true, false],
    [[9, 13], [7, 13], false, true],
    [[13, 9], [7, 13], true, true],
    [[4, 9, 13], [4, 13, 7], false, false],
    [[4, 13, 9], [4, 7, 13], true, true],
    // (tfjs 4.22's BatchMatMul gradient does not reduce broadcast batch dims on any backend: not tested here)
  ];

  const grads = (av: Float32Array, aShape: number[], bv: Float32Array, bShape: number[], w: Float32Array, tA: boolean, tB: boolean, abs: boolean) =>
    tf.tidy(() => {
      const f = (x: Float32Array) => (abs ? x.map(Math.abs) : x);
      const a = tf.tensor(f(av), aShape);
      const b = tf.tensor(f(bv), bShape);
      const W = tf.tensor(f(w));
      const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, tA, tB).reshape([-1]).mul(W).sum())([a, b]);
      return [fdata(ga), fdata(gb)];
    });

  it.each(cases)('d/dA, d/dB of Σ matMul(%j, %j, %s, %s) ⊙ W', (aShape, bShape, tA, tB) => {
    const av = rand(aShape);
    const bv = rand(bShape);
    const ref = refMatMul(av, aShape, bv, bShape, tA, tB);
    const w = rand([ref.c.length]);
    const before = tf.memory().numTensors;
    const [ga1, gb1] = withBlas(true, () => grads(av, aShape, bv, bShape, w, tA, tB, false));
    const [ga0, gb0] = withBlas(false, () => grads(av, aShape, bv, bShape, w, tA, tB, false));
    const [sa, sb] = withBlas(true, () => grads(av, aShape, bv, bShape, w, tA, tB, true));
    expect(tf.memory().numTensors).toBe(before);
    const batch = ref.c.length / (ref.m * ref.n);
    const g = gamma(Math.max(ref.m, ref.n, ref.k) * batch);
    expect(violations(ga1, ga0, (i) => 2 * g * (1 + g) * sa[i])).toEqual([]);
    expect(violations(gb1, gb0, (i) => 2 * g * (1 + g) * sb[i])).toEqual([]);
    // and against the float64 gradient of dA for the plain case: dA = W Bᵀ
    if (!tA && !tB && aShape.length === 2 && bShape.length === 2) {
      const dA = refMatMul(w, [ref.m, ref.n], bv, bShape, false, true);
      expect(violations(ga1, dA.c, (i) => gamma(ref.n) * dA.s[i])).toEqual([]);
    }
  });

  it('fused matmul + bias (linear) gradients match the wasm path, bias gradient included', () => {
    const av = rand([1, 9, 13]);
    const bv = rand([1, 13, 7]);
    const cv = rand([7]);
    const w = rand([63]);
    const run = (abs: boolean) =>
      tf.tidy(() => {
        const f = (x: Float32Array) => (abs ? x.map(Math.abs) : x);
        const W = tf.tensor(f(w), [1, 9, 7]);
        const gs = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.fused.matMul({ a: a as tf.Tensor3D, b: b as tf.Tensor3D, bias: c, activation: 'linear' }).mul(W).sum())([tf.tensor(f(av), [1, 9, 13]), tf.tensor(f(bv), [1, 13, 7]), tf.tensor(f(cv))]);
        return gs.map(fdata);
      });
    const one = withBlas(true, () => run(false));
    const zero = withBlas(false, () => run(false));
    const s = withBlas(true, () => run(true));
    const g = gamma(13);
    for (let j = 0; j < 3; j++) expect(violations(one[j], zero[j], (i) => 2 * g * (1 + g) * s[j][i])).toEqual([]);
  });
});

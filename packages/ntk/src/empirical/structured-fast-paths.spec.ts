import { blasKernelsActive, initBackend, Rng, tf, type Tensor3D } from '@nnsym/core';
import { KernelAccumulator } from './kernel-accumulator';
import { assembleFull, mlpStructuredNtk, type DenseMlp } from './structured-mlp';

// Run on both kernel paths: `npx jest …` (BLAS kernels where a library loads) and `NNSYM_BLAS=off npx jest …`.
beforeAll(async () => {
  await initBackend();
});

/** Float32 array of `n` standard normals. */
const f32 = (rng: Rng, n: number) => Float32Array.from(rng.normalArray(n));

/**
 * The full kernel from the definition, entry by entry for both triangles, reading the upper triangle (i ≤ j) of
 * each layer term: ((s0 d0 + s1 d1) + δ_ab last) + s2 d2 + … in that order (the order assembleFull documents).
 */
function reference(P: number, dOut: number, last: Float32Array, terms: { delta: Float32Array; scal: Float32Array }[]): Float64Array {
  const S = P * dOut;
  const out = new Float64Array(S * S);
  for (let r = 0; r < S; r++) {
    for (let c = 0; c < S; c++) {
      const [i, j] = r <= c ? [r, c] : [c, r];
      const [p, a, q, b] = [Math.floor(i / dOut), i % dOut, Math.floor(j / dOut), j % dOut];
      const pq = p * P + q;
      let v = 0;
      if (terms.length === 0) v = a === b ? last[pq] : 0;
      else {
        v = terms[0].scal[pq] * terms[0].delta[i * S + j];
        if (terms.length > 1) v += terms[1].scal[pq] * terms[1].delta[i * S + j];
        if (a === b) v += last[pq];
        for (let t = 2; t < terms.length; t++) v += terms[t].scal[pq] * terms[t].delta[i * S + j];
      }
      out[r * S + c] = v;
    }
  }
  return out;
}

describe('assembleFull (host float64 assembly of the full empirical NTK)', () => {
  it.each([
    [0, 3, 2],
    [1, 5, 3],
    [2, 13, 10], // several 64-wide mirror blocks, a partial last block
    [2, 7, 1],
    [3, 6, 4],
  ])('%i layer terms, P = %i, d_out = %i: equals the entrywise definition exactly, reading only upper triangles', (nTerms, P, dOut) => {
    const rng = new Rng(11, ['assemble', nTerms, P, dOut]);
    const S = P * dOut;
    const upperOnly = (a: Float32Array, n: number) => {
      for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) a[r * n + c] = NaN; // lower triangle must not be read
      return a;
    };
    const last = upperOnly(f32(rng, P * P), P);
    const terms = Array.from({ length: nTerms }, () => ({ delta: upperOnly(f32(rng, S * S), S), scal: upperOnly(f32(rng, P * P), P) }));
    const out = new Float64Array(S * S).fill(7); // stale contents must be overwritten
    assembleFull(out, P, dOut, last, terms);
    expect(out).toEqual(reference(P, dOut, last, terms));
  });
});

describe('KernelAccumulator.snapshot (copy-on-write mean, lazy standard error)', () => {
  const samples = [Float64Array.of(1, 2, 3), Float64Array.of(3, 2, 0), Float64Array.of(-1, 5, 2)];

  it('a snapshot keeps the state it was taken at through later add / addFilled / merge; mean() and stderr() agree with it', () => {
    for (const update of ['add', 'addFilled', 'merge'] as const) {
      const acc = new KernelAccumulator(3);
      acc.add(samples[0]);
      const s1 = acc.snapshot();
      expect(s1.mean).toEqual(acc.mean());
      acc.add(samples[1]);
      const s2 = acc.snapshot();
      const [mean2, se2] = [acc.mean(), acc.stderr()];
      if (update === 'add') acc.add(samples[2]);
      else if (update === 'addFilled') acc.addFilled((k) => k.set(samples[2]));
      else {
        const other = new KernelAccumulator(3);
        other.add(samples[2]);
        acc.merge(other);
      }
      expect(Array.from(s1.mean)).toEqual([1, 2, 3]);
      expect(Array.from(s1.stderr()).every(Number.isNaN)).toBe(true);
      expect(s2.mean).toEqual(mean2);
      expect(s2.stderr()).toEqual(se2); // computed after the update, from the state at the snapshot
      // the accumulator itself moved on: mean of the three samples, as an accumulator without snapshots computes it
      const plain = new KernelAccumulator(3);
      samples.forEach((x) => plain.add(x));
      expect(acc.mean()).toEqual(plain.mean());
      expect(acc.stderr()).toEqual(plain.stderr());
    }
  });

  it('a snapshot at count 0 is zeros and NaN, and the first addFilled does not write into it', () => {
    const acc = new KernelAccumulator(2);
    const s = acc.snapshot();
    acc.addFilled((k) => k.set([4, 5]));
    expect(Array.from(s.mean)).toEqual([0, 0]);
    expect(Array.from(acc.mean())).toEqual([4, 5]);
  });
});

describe('mlpStructuredNtk with W stored [M, fan_out, fan_in] (weightLayout out-in, as denseView passes core weights)', () => {
  it.each(['full', 'trace', 'diagonal'] as const)('%s: equals the in-out layout to float32 rounding (bit for bit on the plain wasm kernels)', (mode) => {
    const rng = new Rng(5, ['layout', mode]);
    const dims = [7, 33, 29, 3];
    const M = 2;
    const P = 6;
    const x = Array.from({ length: P }, () => Array.from(rng.normalArray(dims[0])));
    const inOut: Tensor3D[] = [];
    const biases = dims.slice(1).map((n) => tf.tensor2d(f32(rng, M * n), [M, n]));
    for (let l = 0; l < 3; l++) inOut.push(tf.tensor3d(f32(rng, M * dims[l] * dims[l + 1]), [M, dims[l], dims[l + 1]]));
    const outIn = inOut.map((w) => tf.transpose(w, [0, 2, 1]) as Tensor3D);
    const base: Omit<DenseMlp, 'weights'> = { biases, phi: (z) => tf.tanh(z), parameterization: 'ntk', sigmaW: 1.4, sigmaB: 0.3 };
    const a = mlpStructuredNtk({ ...base, weights: inOut }, x, { mode });
    const b = mlpStructuredNtk({ ...base, weights: outIn, weightLayout: 'out-in' }, x, { mode });
    expect(b.paramCount).toBe(a.paramCount);
    expect(b.size).toBe(a.size);
    if (!blasKernelsActive()) {
      expect(b.mean).toEqual(a.mean);
      expect(b.stderr).toEqual(a.stderr);
    } else {
      // Only the sgemm transpose flags differ: the same float32 operands, products of k ≤ 33 terms, chained through
      // the forward pass, the back-propagation and the Gram (≤ 4 deep). Each float32 product is within γ_k Σ|a||b| of
      // exact (Higham 3.5); with max|K| standing in for the Σ|a||b| scale, 64·γ_33 is a wide float32 margin that a
      // layout mistake (an O(1) relative error) cannot meet. (On the OpenBLAS here the two agree bit for bit.)
      const scale = Math.max(...Array.from(a.mean, Math.abs));
      const tol = 64 * 33 * 2 ** -24 * scale;
      a.mean.forEach((v, i) => expect(Math.abs(b.mean[i] - v)).toBeLessThanOrEqual(tol));
      // M = 2: stderr = |K_1 − K_2| / 2, so its error is at most the mean's bound
      a.stderr.forEach((v, i) => expect(Math.abs(b.stderr[i] - v)).toBeLessThanOrEqual(tol));
    }
    tf.dispose([...inOut, ...outIn, ...biases]);
  });
});

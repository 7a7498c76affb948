import { blasKernelsActive, currentBackend, gramRows, mirrorUpper, tf, wasmHeapView, type Tensor, type Tensor2D, type Tensor3D } from '@nnsym/core';
import { KernelAccumulator } from './kernel-accumulator';
import type { EmpiricalNtkResult, NtkOutputMode } from './types';

/**
 * A dense ensemble MLP given by its layer tensors: W_l [M, fan_in, fan_out] (or [M, fan_out, fan_in] with
 * `weightLayout: 'out-in'`, core's storage), b_l [M, fan_out].
 */
export interface DenseMlp {
  weights: Tensor3D[];
  /**
   * Axis order of `weights`: `in-out` (default) [M, fan_in, fan_out], or `out-in` [M, fan_out, fan_in] (core's
   * architectures store W so; with the BLAS kernels the products then take it with transpose flags, no copies).
   */
  weightLayout?: 'in-out' | 'out-in';
  biases?: (Tensor | undefined)[];
  /** Elementwise activation on tensors (φ' is taken by autodiff of Σφ, so any elementwise φ works). */
  phi: (z: Tensor) => Tensor;
  parameterization: 'standard' | 'ntk';
  sigmaW: number;
  sigmaB: number;
  /** Forward-pass scales α_l of the weights, when given explicitly (else from the parameterisation). */
  weightScales?: number[];
  /** Forward-pass scales β_l of the biases, when given explicitly. */
  biasScales?: number[];
}

/**
 * Empirical NTK of a dense MLP ensemble from closed-form layer Jacobians, never forming the parameter Jacobian
 * (the "structured derivatives" idea of Novak et al. 2022, arXiv 2206.08720, for dense layers):
 *
 *   Θ_ab(x, x') = Σ_l (α_l² h_l(x)·h_l(x') + β_l²) · δ^a_{l+1}(x)·δ^b_{l+1}(x'),
 *
 * where z_{l+1} = α_l h_l W_l + β_l b_l (NTK parameterisation α_l = σ_w/√fan_in, β_l = σ_b; standard α = β = 1),
 * h_0 = x, h_l = φ(z_l), δ^a_l = ∂f_a/∂z_l by backpropagation of the unit vectors e_a (δ^a_{L+1} = e_a,
 * δ^a_l = φ'(z_l) ⊙ α_l W_l δ^a_{l+1}). Cost per layer ~ (P d_out)² n_l instead of (P d_out)² · nParams.
 * Computed in float32 on the device, accumulated in float64 over the ensemble on the host.
 *
 * Shapes: inputs [P, d_in]; result as {@link empiricalNtk} (`full` [P·d_out]², `trace` [P]², `diagonal` [P]).
 *
 * @example
 * const r = mlpStructuredNtk({ weights: [W0, W1], biases: [b0, b1], phi: tf.relu, parameterization: 'ntk', sigmaW: 1, sigmaB: 0 }, x);
 */
export function mlpStructuredNtk(
  net: DenseMlp,
  inputs: readonly (readonly number[])[],
  options: { mode?: NtkOutputMode; acc?: KernelAccumulator; onMember?: (kernel: Float64Array, m: number) => void } = {},
): EmpiricalNtkResult & { acc: KernelAccumulator } {
  const mode = options.mode ?? 'trace';
  const Ws = net.weights;
  const outIn = net.weightLayout === 'out-in';
  const fanIn = (l: number) => Ws[l].shape[outIn ? 2 : 1];
  const fanOut = (l: number) => Ws[l].shape[outIn ? 1 : 2];
  const L = Ws.length - 1;
  const M = Ws[0].shape[0];
  const P = inputs.length;
  const dIn = fanIn(0);
  const dOut = fanOut(L);
  const ntk = net.parameterization === 'ntk';
  const alpha = net.weightScales ?? Ws.map((_, l) => (ntk ? net.sigmaW / Math.sqrt(fanIn(l)) : 1));
  const betas = net.biasScales ?? Ws.map(() => (ntk ? net.sigmaB : 1));
  const hasBias = Ws.map((_, l) => net.biases?.[l] !== undefined);
  const dphi = tf.grad((z: Tensor) => net.phi(z).sum());
  // With the BLAS kernels, transposes are sgemm flags; on the plain wasm kernels they are explicit (its transposeB
  // path is slow). mode 'full' assembles the kernel on the host in float64 from the layer terms (below).
  const flags = blasKernelsActive();
  const full = mode === 'full';
  const tr = (w: Tensor3D) => tf.transpose(w, [0, 2, 1]) as Tensor3D;
  // A · W_l ([M, P, fan_in] or shared [P, fan_in] -> [M, P, fan_out]) and D · W_lᵀ ([M, r, fan_out] -> [M, r, fan_in]),
  // in either layout: a transpose flag with the BLAS kernels, an explicit transpose on the plain wasm kernels.
  const timesW = (A: Tensor2D | Tensor3D, l: number) => (!outIn ? matMulEach(A, Ws[l]) : flags ? matMulEachT(A, Ws[l]) : matMulEach(A, tr(Ws[l])));
  const timesWt = (D: Tensor3D, l: number) => (outIn ? matMulEach(D, Ws[l]) : flags ? matMulEachT(D, Ws[l]) : matMulEach(D, tr(Ws[l])));
  const parts = tf.tidy(() => {
    // The input layer is shared by the ensemble: x [P, d_in] stays 2-D (no [M, P, d_in] copy); its Gram is [1, P, P].
    const xs = new Float32Array(P * dIn); // flat copy: tensor2d on nested arrays costs ≈ 35 ms for 128 × 784
    inputs.forEach((r, p) => {
      if (r.length !== dIn) throw new RangeError(`mlpStructuredNtk: input ${p} has ${r.length} entries, the first layer takes ${dIn}`);
      xs.set(r, p * dIn);
    });
    const x = tf.tensor2d(xs, [P, dIn]);
    const xGram =
      mode === 'diagonal'
        ? tf.square(x).sum(1).expandDims(0)
        : (flags ? tf.matMul(x, x, false, true) : tf.matMul(x, tf.transpose(x))).expandDims(0);
    // Forward: h_l [M, P, n_l] and φ'(z_l).
    const hs: Tensor3D[] = [];
    const dphis: Tensor3D[] = [];
    let h: Tensor3D | undefined;
    for (let l = 0; l < L; l++) {
      let z = tf.mul(timesW(h ?? x, l), alpha[l]) as Tensor3D;
      const b = net.biases?.[l];
      if (b) z = tf.add(z, tf.mul(b.expandDims(1), betas[l])) as Tensor3D;
      dphis.push(dphi(z) as Tensor3D);
      h = net.phi(z) as Tensor3D;
      hs.push(h);
    }
    // h_l·h_l(x') per layer: [M or 1, P, P] (full, trace) or [M or 1, P] (diagonal).
    const hTerm = (l: number) => (l === 0 ? xGram : mode === 'diagonal' ? tf.square(hs[l - 1]).sum(2) : gramEach(hs[l - 1], flags));
    const hLast = L === 0 ? xGram : hTerm(L);
    let total: Tensor | undefined;
    // Last layer: δ_{L+1} = e_a, so its term is (α_L² H_L + β_L²) δ_ab.
    const lastScalar = tf.add(tf.mul(hLast, alpha[L] ** 2), hasBias[L] ? betas[L] ** 2 : 0);
    // full: the layer terms (δ Gram [M, P·d_out, P·d_out], scalar factor [M or 1, P, P]) go to the host
    const terms: { delta: Tensor; scal: Tensor }[] = [];
    if (!full) total = lastScalar; // trace and diagonal: (1/d_out) Σ_a δ_aa = 1
    // Backward: D_{l+1} [M, P, d_out, n_{l+1}] (rows p·d_out + a, the layout of the full kernel, so no transposes);
    // D_{L+1} = e_a is handled in closed form.
    let D: Tensor | undefined;
    for (let l = L - 1; l >= 0; l--) {
      // δ_{l+1} = φ'(z_{l+1}) ⊙ α_{l+1} (δ_{l+2} W_{l+1}ᵀ)
      const nl = fanIn(l + 1);
      const back =
        D === undefined
          ? tf.mul(outIn ? Ws[l + 1] : tr(Ws[l + 1]), alpha[l + 1]).expandDims(1) // [M, 1, d_out, n]: α W[:, a], broadcast over p below
          : tf.mul(timesWt(D.reshape([M, P * dOut, -1]) as Tensor3D, l + 1), alpha[l + 1]).reshape([M, P, dOut, nl]);
      D = tf.mul(back, dphis[l].expandDims(2)); // [M, P, d_out, n_{l+1}]
      const scal = tf.add(tf.mul(hTerm(l), alpha[l] ** 2), hasBias[l] ? betas[l] ** 2 : 0); // [M or 1, P, P] or [M or 1, P]
      if (full) {
        terms.push({ delta: gramEach(D.reshape([M, P * dOut, nl]) as Tensor3D, flags, true), scal }); // upper triangle read
      } else if (mode === 'trace') {
        // (1/d_out) Σ_a δ^a(x)·δ^a(x') is one Gram product over the flattened (a, n) axis.
        const delta = tf.div(gramEach(D.reshape([M, P, dOut * nl]) as Tensor3D, flags), dOut);
        total = tf.add(total as Tensor, tf.mul(delta, scal));
      } else {
        const delta = tf.square(D).sum([2, 3]).div(dOut); // [M, P]
        total = tf.add(total as Tensor, tf.mul(delta, scal));
      }
    }
    if (full) return { last: lastScalar, terms };
    // A network-independent kernel (no hidden layer) is still reported once per member.
    const t = total as Tensor;
    return { total: t.shape[0] === M ? t : tf.broadcastTo(t, [M, ...t.shape.slice(1)]) };
  });
  const size = full ? P * dOut : P;
  const len = mode === 'diagonal' ? P : size * size;
  const acc = options.acc ?? new KernelAccumulator(len);
  if (full) {
    // Θ[(p,a),(q,b)] = last[p,q] δ_ab + Σ_l scal_l[p,q] Δ_l[(p,a),(q,b)], summed in float64 straight from the float32
    // layer terms (views of the wasm heap where possible: no read-back copy, no [P, d_out, P, d_out] broadcasts).
    const { last, terms } = parts as { last: Tensor; terms: { delta: Tensor; scal: Tensor }[] };
    const read = (t: Tensor) => wasmHeapView(t) ?? (t.dataSync() as Float32Array);
    const lastData = read(last);
    const termData = terms.map((t) => ({ delta: read(t.delta), scal: read(t.scal), scalPerMember: t.scal.shape[0] === M && M > 1 }));
    const lastPerMember = last.shape[0] === M && M > 1;
    for (let m = 0; m < M; m++) {
      const fill = (k: Float64Array) =>
        assembleFull(
          k,
          P,
          dOut,
          lastData.subarray(lastPerMember ? m * P * P : 0),
          termData.map((t) => ({ delta: t.delta.subarray(m * len), scal: t.scal.subarray(t.scalPerMember ? m * P * P : 0) })),
        );
      if (options.onMember) {
        const k = new Float64Array(len);
        fill(k);
        acc.add(k);
        options.onMember(k, m);
      } else acc.addFilled(fill);
    }
    tf.dispose([last, ...terms.flatMap((t) => [t.delta, t.scal])]);
  } else {
    const kernelT = (parts as { total: Tensor }).total;
    const data = kernelT.dataSync() as Float32Array;
    kernelT.dispose();
    for (let m = 0; m < M; m++) {
      const k = new Float64Array(data.subarray(m * len, (m + 1) * len)); // not Float64Array.from: it iterates (≈ 25 ns/entry)
      acc.add(k);
      options.onMember?.(k, m);
    }
  }
  const nP = Ws.reduce((s, w, l) => s + w.shape[1] * w.shape[2] + (hasBias[l] ? fanOut(l) : 0), 0);
  // The mean is the accumulator's buffer (copy-on-write, no 13 MB copy for a 1280² kernel); the standard error is
  // computed when first read (NaN for a single network).
  const snap = acc.snapshot();
  return {
    mode,
    P,
    dOut,
    size,
    mean: snap.mean,
    get stderr() {
      return snap.stderr();
    },
    M: acc.count,
    paramCount: nP,
    batchSize: P,
    precision: `float32 layer Jacobians and Gram products (tfjs ${currentBackend()?.name ?? tf.getBackend()}), float64 ensemble accumulation`,
    acc,
  };
}

/**
 * A_m B_m for every member m as 2-D matMuls ([M, r, k] or a shared [r, k], times [M, k, c] -> [M, r, c]): the wasm
 * backend runs batched matMuls with batch > 1 on a scalar path (≈ 1 GFLOP/s, vs 16–21 for 2-D products here).
 */
function matMulEach(A: Tensor2D | Tensor3D, B: Tensor3D): Tensor3D {
  const Bs = members(B);
  const As = A.rank === 2 ? Bs.map(() => A as Tensor2D) : members(A as Tensor3D);
  return stackMembers(Bs.map((b, m) => tf.matMul(As[m], b)));
}

/** A_m B_mᵀ for every member ([M, r, k] or a shared [r, k], times [M, c, k] -> [M, r, c]) with the transposeB flag (BLAS kernels). */
function matMulEachT(A: Tensor2D | Tensor3D, B: Tensor3D): Tensor3D {
  const Bs = members(B);
  const As = A.rank === 2 ? Bs.map(() => A as Tensor2D) : members(A as Tensor3D);
  return stackMembers(Bs.map((b, m) => tf.matMul(As[m], b, false, true)));
}

/**
 * A_m A_mᵀ for every member ([M, r, k] -> [M, r, r]): with the BLAS kernels one ssyrk (half a GEMM's work, core's
 * gramRows), on the plain wasm kernels a matMul with an explicit transpose (its transposeB flag is slow there).
 * `upperOnly`: only the upper triangle is meaningful on the ssyrk path (for readers of that triangle).
 */
function gramEach(A: Tensor3D, flags: boolean, upperOnly = false): Tensor3D {
  return stackMembers(members(A).map((a) => (flags ? gramRows(a, { upperOnly }) : tf.matMul(a, tf.transpose(a)))));
}

/**
 * out[(p,a),(q,b)] = last[p,q] δ_ab + Σ_t scal_t[p,q] delta_t[(p,a),(q,b)] in float64, for one member; `out` is the
 * [P·d_out]² kernel (row-major), `last` and `scal_t` [P, P] (symmetric), `delta_t` [P·d_out, P·d_out] of which only
 * the upper triangle (column ≥ row) is read. The upper triangle of `out` is computed (one pass for up to two layer
 * terms, one more per further term) and mirrored onto the lower one.
 */
export function assembleFull(
  out: Float64Array,
  P: number,
  dOut: number,
  last: Float32Array,
  terms: { delta: Float32Array; scal: Float32Array }[],
): void {
  const S = P * dOut;
  const t0 = terms[0];
  const t1 = terms[1];
  if (!t0) upper0(out, P, dOut, last);
  else if (!t1) upper1(out, P, dOut, last, t0.delta, t0.scal);
  else upper2(out, P, dOut, last, t0.delta, t0.scal, t1.delta, t1.scal);
  for (let t = 2; t < terms.length; t++) {
    const { delta, scal } = terms[t];
    for (let p = 0; p < P; p++) {
      for (let a = 0; a < dOut; a++) {
        const row = (p * dOut + a) * S;
        for (let q = p; q < P; q++) {
          const c = scal[p * P + q];
          const o = row + q * dOut;
          for (let b = q === p ? a : 0; b < dOut; b++) out[o + b] += c * delta[o + b];
        }
      }
    }
  }
  mirrorUpper(out, S);
}

function upper0(out: Float64Array, P: number, dOut: number, last: Float32Array): void {
  const S = P * dOut;
  out.fill(0);
  for (let p = 0; p < P; p++)
    for (let a = 0; a < dOut; a++) for (let q = p; q < P; q++) out[(p * dOut + a) * S + q * dOut + a] = last[p * P + q];
}

function upper1(out: Float64Array, P: number, dOut: number, last: Float32Array, d0: Float32Array, s0: Float32Array): void {
  const S = P * dOut;
  for (let p = 0; p < P; p++) {
    for (let a = 0; a < dOut; a++) {
      const row = (p * dOut + a) * S;
      for (let q = p; q < P; q++) {
        const c0 = s0[p * P + q];
        const o = row + q * dOut;
        for (let b = q === p ? a : 0; b < dOut; b++) out[o + b] = c0 * d0[o + b];
        out[o + a] += last[p * P + q];
      }
    }
  }
}

function upper2(
  out: Float64Array,
  P: number,
  dOut: number,
  last: Float32Array,
  d0: Float32Array,
  s0: Float32Array,
  d1: Float32Array,
  s1: Float32Array,
): void {
  const S = P * dOut;
  for (let p = 0; p < P; p++) {
    for (let a = 0; a < dOut; a++) {
      const row = (p * dOut + a) * S;
      for (let q = p; q < P; q++) {
        const c0 = s0[p * P + q];
        const c1 = s1[p * P + q];
        const o = row + q * dOut;
        for (let b = q === p ? a : 0; b < dOut; b++) out[o + b] = c0 * d0[o + b] + c1 * d1[o + b];
        out[o + a] += last[p * P + q];
      }
    }
  }
}


/** The M matrices of [M, r, c] (a free reshape when M = 1). */
function members(A: Tensor3D): Tensor2D[] {
  const [M, r, c] = A.shape;
  return M === 1 ? [A.reshape([r, c])] : (tf.unstack(A) as Tensor2D[]);
}

function stackMembers(ms: Tensor2D[]): Tensor3D {
  return (ms.length === 1 ? ms[0].expandDims(0) : tf.stack(ms)) as Tensor3D;
}

import { UsageError } from '@nnsym/core';
import { dualFor } from './duals/lookup';
import { FALLBACK_ADVICE, NoAnalyticKernelError } from './errors';
import { toInputMatrix } from './inputs';
import type { AnalyticKernels, KernelInputs, MlpKernelSpec } from './types';

/**
 * Analytic NNGP and NTK of a fully connected network with L hidden layers, in float64 (Neal 1996; Lee et al.
 * 2018 "Deep neural networks as Gaussian processes"; Jacot et al. 2018 "Neural tangent kernel";
 * Lee et al. 2019 "Wide neural networks ... evolve as linear models"; standard parameterisation as in
 * Sohl-Dickstein et al. 2020 with s = 1 and neural-tangents' `Dense(parameterization='standard')`).
 *
 * Recursion, with E = E[φ(u)φ(v)], D = E[φ'(u)φ'(v)] over (u, v) ~ N(0, [[K_l(x,x), K_l(x,x')], [., K_l(x',x')]]),
 * β = 1 with biases and 0 without (σ_b is then 0):
 *
 *   K_1 = σ_b² + σ_w² x·x'/d_in,             K_{l+1} = σ_b² + σ_w² E                       (both parameterisations)
 *   NTK:      Θ_1 = K_1,                     Θ_{l+1} = K_{l+1} + σ_w² D Θ_l
 *   standard: Θ_1 = x·x' + β,                Θ_{l+1} = N_l E + β + σ_w² D Θ_l
 *
 * and the network's kernels are K_{L+1}, Θ_{L+1}. The standard-parameterisation NTK grows linearly with the
 * widths N_l (the last-layer weight gradients are φ itself); it needs `width`. For one hidden layer both
 * recursions are exact in expectation at every width (the first layer's pre-activations are exactly Gaussian),
 * which the tests use. Multi-output: K_ab = δ_ab K, Θ_ab = δ_ab Θ (zero-mean weights).
 *
 * Shapes: inputs [P, d_in]; `nngp`, `ntk` row-major [P, P]. `options.ntk = false` skips the NTK (NNGP only). Cost: P(P+1)/2 · L dual evaluations (closed forms:
 * microseconds; quadrature: ~0.5 ms each).
 *
 * @example
 * const k = mlpKernels({ activation: 'relu', depth: 2, sigmaW: Math.SQRT2, sigmaB: 0.1, parameterization: 'ntk' }, [[1, 0], [0.6, 0.8]]);
 * k.nngp; // Float64Array(4), k.ntk: Float64Array(4), k.precision === 'float64'
 */
export function mlpKernels(spec: MlpKernelSpec, inputs: KernelInputs, options: { dIn?: number; field?: string; ntk?: boolean } = {}): AnalyticKernels {
  const plan = planMlpKernels(spec, inputs, options);
  plan.run(plan.P);
  return plan.result();
}

/**
 * {@link mlpKernels} split into rows, for callers that must stay responsive (progress, Ctrl-C) on a big kernel:
 * `run(until)` computes rows up to `until` (row i: the entries (i, j ≥ i), and by symmetry (j, i)); `result()` gives
 * the kernels so far, with NaN in the entries of rows not computed yet. Every entry goes through the same float64
 * operations as in {@link mlpKernels} (the layer recursion of an entry needs only its own previous value and the
 * two diagonals, which are computed first), so a completed plan equals `mlpKernels` bit for bit.
 *
 * @example
 * const plan = planMlpKernels({ activation: 'relu', depth: 2 }, x);
 * while (plan.rowsDone < plan.P && !signal.aborted) plan.run(plan.rowsDone + 10);
 * plan.result().nngp; // rows < plan.rowsDone filled in
 */
export interface MlpKernelPlan {
  /** Number of points. */
  readonly P: number;
  /** Rows computed so far: rows (and columns) 0..rowsDone−1 of both kernels are final. */
  readonly rowsDone: number;
  /** Compute rows up to `until` (clamped to P). */
  run(until: number): void;
  /** The kernels so far; entries of rows not yet computed are NaN (null in JSON). */
  result(): AnalyticKernels;
}

/** Validate a kernel request and plan its computation row by row (see {@link MlpKernelPlan}). */
export function planMlpKernels(spec: MlpKernelSpec, inputs: KernelInputs, options: { dIn?: number; field?: string; ntk?: boolean } = {}): MlpKernelPlan {
  const L = spec.depth;
  if (!Number.isInteger(L) || L < 0) throw new UsageError(`depth must be a non-negative integer, got ${L}`, 'depth');
  const sw = spec.sigmaW ?? 1;
  const bias = spec.bias ?? true;
  const sb = bias ? (spec.sigmaB ?? 1) : 0;
  if (!(Number.isFinite(sw) && sw >= 0)) throw new UsageError(`sigmaW must be a finite number >= 0, got ${sw}`, 'sigmaW');
  if (!(Number.isFinite(sb) && sb >= 0)) throw new UsageError(`sigmaB must be a finite number >= 0, got ${sb}`, 'sigmaB');
  const param = spec.parameterization ?? 'standard';
  const dual = dualFor(spec.activation, { ...spec.quadrature });
  if (dual.maxDepth !== undefined && L > dual.maxDepth) {
    throw new NoAnalyticKernelError(`activation "${dual.id}" has an analytic kernel only up to depth ${dual.maxDepth}, got depth ${L}; ${FALLBACK_ADVICE}`, 'depth');
  }
  const x = toInputMatrix(inputs, { dIn: options.dIn, field: options.field });
  const P = x.rows;
  const d = x.cols;
  const notes: string[] = [];
  let widths: number[] | undefined;
  if (spec.width !== undefined) {
    widths = typeof spec.width === 'number' ? Array.from({ length: L }, () => spec.width as number) : [...spec.width];
    if (widths.length !== L || widths.some((n) => !(Number.isInteger(n) && n > 0))) {
      throw new UsageError(`width must be a positive integer or ${L} positive integers (one per hidden layer), got ${JSON.stringify(spec.width)}`, 'width');
    }
  }
  const wantNtk = options.ntk ?? true;
  const needWidth = param === 'standard' && L > 0 && widths === undefined;
  const skipNtk = !wantNtk || needWidth;
  if (needWidth && wantNtk) notes.push('NTK omitted: in the standard parameterisation the NTK grows with the hidden width; pass a width, or use the NTK parameterisation');
  if (dual.method === 'quadrature') notes.push(`E[phi phi] and E[phi' phi'] by ${dual.reference}; agreement with closed forms tested to 1e-8`);

  // Layer 1: K_1 and Θ_1 of one pair.
  const layer1 = (i: number, j: number): [number, number] => {
    let dot = 0;
    for (let k = 0; k < d; k++) dot += x.data[i * d + k] * x.data[j * d + k];
    const kij = sb * sb + (sw * sw * dot) / d;
    return [kij, param === 'ntk' ? kij : dot + (bias ? 1 : 0)];
  };
  // The diagonals K_l(x_i, x_i) of every layer l = 1..L+1 (what each entry's recursion needs besides itself).
  const diag: Float64Array[] = [Float64Array.from({ length: P }, (_, i) => layer1(i, i)[0])];
  for (let l = 0; l < L; l++) {
    const q = diag[l];
    diag.push(Float64Array.from(q, (qi) => sb * sb + sw * sw * dual.phiPhi(qi, qi, qi)));
  }
  const K = new Float64Array(P * P).fill(NaN);
  const T = new Float64Array(P * P).fill(NaN);
  let rowsDone = 0;
  const row = (i: number): void => {
    for (let j = i; j < P; j++) {
      let [kij, tij] = layer1(i, j);
      // Hidden layers: K_{l+1} = σ_b² + σ_w² E, Θ_{l+1} as in the recursion above.
      for (let l = 0; l < L; l++) {
        const qi = diag[l][i];
        const qj = diag[l][j];
        const c = kij;
        const E = dual.phiPhi(qi, qj, c);
        kij = sb * sb + sw * sw * E;
        if (!skipNtk) {
          const D = dual.dphiDphi(qi, qj, c);
          tij = param === 'ntk' ? kij + sw * sw * D * tij : (widths ? widths[l] : 0) * E + (bias ? 1 : 0) + sw * sw * D * tij;
        }
      }
      K[i * P + j] = K[j * P + i] = kij;
      if (!skipNtk) T[i * P + j] = T[j * P + i] = tij;
    }
  };
  return {
    P,
    get rowsDone() {
      return rowsDone;
    },
    run(until: number) {
      const end = Math.min(P, until);
      while (rowsDone < end) row(rowsDone++);
    },
    result: () => ({
      P,
      dIn: d,
      dOut: spec.dOut ?? 1,
      nngp: K,
      ntk: skipNtk ? undefined : T,
      method: dual.method,
      activation: dual.id,
      reference: dual.reference,
      depth: L,
      parameterization: param,
      sigmaW: sw,
      sigmaB: sb,
      bias,
      width: widths,
      precision: 'float64',
      notes,
    }),
  };
}

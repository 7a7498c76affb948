import { Rng, UsageError, type SeedKey, nextMacrotask } from '@nnsym/core';
import { disposeDenseMlp, mlpStructuredNtk, sampleDenseMlp, type DenseEnsembleSpec } from '@nnsym/ntk';
import type { GroupAction } from '@nnsym/groups';
import { InvarianceAccumulator, type InvarianceStatistic } from '../invariance/accumulator';
import type { InvarianceComponent, InvarianceDesign } from '../invariance/design';
import { invarianceVerdict, type InvarianceMethod, type InvarianceVerdict } from '../invariance/test-invariance';
import type { OrderTest } from '../invariance/decide';

/** Options of {@link empiricalNtkInvariance}. */
export interface EmpiricalNtkInvarianceOptions {
  /** Dense MLP ensemble (finite width); `dIn` must equal the group's dimension. */
  net: DenseEnsembleSpec;
  group: GroupAction;
  /** Base inputs x_1..x_P. */
  inputs: readonly (readonly number[])[];
  /** Networks M (default 128); must exceed the number of tested entries (samples · P(P+1)/2). */
  ensemble?: number;
  /** Networks per tfjs batch (default 32). */
  chunk?: number;
  /** Sampled group elements (default 3). */
  samples?: number;
  alpha?: number;
  method?: InvarianceMethod;
  seed?: SeedKey;
  /** Stop between chunks of networks when aborted (Ctrl-C): the test is of the networks done (`networks`), with `interrupted: true`. */
  signal?: AbortSignal;
  /** Called after each chunk of networks: networks done, and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link empiricalNtkInvariance}: the symmetry area's paired test applied to per-network NTK entries. */
export interface EmpiricalNtkInvarianceResult {
  group: string;
  groupId: string;
  /** `inconclusive` when the test rejects but the tails of the per-network differences cannot support it. */
  verdict: InvarianceVerdict;
  /** Why `inconclusive` (empty otherwise), and the ensemble size that would decide. */
  reason: string;
  suggestedEnsemble: number | null;
  /** The per-order test (one order here: the kernel entries), its rank, components and tail diagnostics. */
  orderTests: OrderTest[];
  method: InvarianceMethod;
  alpha: number;
  pValue: number;
  /** Hotelling T² (or max |z| for Bonferroni). */
  statistic: number;
  dof: number;
  /** ‖E ΔΘ‖ / ‖E Θ‖, noise-corrected (≈ 0 when invariant). */
  effectSize: number;
  maxAbsZ: number;
  networks: number;
  elements: number;
  /** Tested entries: elements × P(P+1)/2. */
  components: number;
  /**
   * Per component (s, i ≤ j): ensemble mean of Θ(g_s x_i, g_s x_j) − Θ(x_i, x_j) and its standard error, and the
   * ensemble mean of Θ(x_i, x_j) (`base`) with its standard error.
   */
  deltas: { element: number; i: number; j: number; estimate: number; stderr: number; base: number; baseStderr: number }[];
  joint: InvarianceStatistic;
  width: number;
  precision: string;
  /** Present (true) only when the signal stopped the run: the test is of the first `networks` networks. */
  interrupted?: true;
}

/**
 * Monte-Carlo invariance test of the empirical (finite-width) NTK under a group acting on inputs. For every
 * network m of a seeded ensemble, the trace-mode NTK is computed on [x; g_1 x; …; g_S x] (closed-form layer
 * Jacobians, `mlpStructuredNtk`), and the paired differences ΔΘ_m = Θ_m(g_s x_i, g_s x_j) − Θ_m(x_i, x_j) go through
 * the invariance area's {@link InvarianceAccumulator}: Hotelling T² of the mean difference with the per-network
 * covariance, F p-value, verdict at `alpha` — the same statistic as the correlator test, not a copy of it.
 * (Adapter: each network's "outputs" are [1, Θ entries] per point block, and each component is the order-2
 * product of the constant slot with one entry, so the accumulator's paired product difference is exactly ΔΘ.)
 *
 * Why it holds at finite width: Θ_W(g·x, g·x') = Θ_{W g}(x, x') for a linear g, and W_0 g has the law of W_0
 * when the rows of W_0 are isotropic Gaussians and g is orthogonal; so E[ΔΘ] = 0 exactly, while translations
 * shift the pre-activations and break it.
 *
 * When to use: `nnsym ntk-symmetry --mode empirical`. Precision: float32 Jacobians (tfjs), float64 statistics.
 *
 * @example
 * const r = await empiricalNtkInvariance({ net: { dIn: 3, dOut: 1, width: 64, depth: 1, activation: 'relu', sigmaW: 1, sigmaB: 1, bias: true, parameterization: 'ntk' }, group: so3, inputs: X });
 */
export async function empiricalNtkInvariance(opts: EmpiricalNtkInvarianceOptions): Promise<EmpiricalNtkInvarianceResult> {
  const { group, inputs, net } = opts;
  const P = inputs.length;
  if (P === 0) throw new UsageError('--inputs: at least one input point is needed', '--inputs');
  if (inputs.some((x) => x.length !== net.dIn)) throw new UsageError(`--inputs: every input must have d_in = ${net.dIn} entries`, '--inputs');
  if (group.dimension !== net.dIn) throw new UsageError(`--group: ${group.name} acts on R^${group.dimension} but the inputs have dimension ${net.dIn}`, '--group');
  if (!group.actsOn.includes('inputs')) throw new UsageError(`--group: ${group.name} does not act on inputs`, '--group');
  const S = opts.samples ?? 3;
  const M = opts.ensemble ?? 128;
  const chunk = Math.max(1, Math.min(opts.chunk ?? 32, M));
  const rng = new Rng(opts.seed ?? 0, ['ntk-symmetry-empirical', group.id]);
  const elements = Array.from({ length: S }, () => group.sample(rng));
  const pairs: [number, number][] = [];
  for (let i = 0; i < P; i++) for (let j = i; j < P; j++) pairs.push([i, j]);
  const Q = pairs.length;
  if (S * Q >= M - 1) throw new UsageError(`--ensemble: ${M} networks cannot test ${S * Q} kernel entries (samples × P(P+1)/2); use more networks or fewer --samples/inputs`, '--ensemble');
  const evalRows: number[][] = inputs.map((x) => [...x]);
  for (const g of elements) for (const x of inputs) evalRows.push(Array.from(group.act(g, Float64Array.from(x))));
  const components: InvarianceComponent[] = [];
  for (let s = 0; s < S; s++) for (let q = 0; q < Q; q++) components.push({ element: s, order: 2, slots: Int32Array.of(0, 1 + q) });
  const blocks = Array.from({ length: S + 1 }, (_, b) => Float64Array.of(b));
  const design: InvarianceDesign = { group, on: 'inputs', elements, basePoints: 1, dOut: 1 + Q, orders: [2], evalInputs: blocks, components, tuplesAvailable: { '2': Q } };
  const acc = new InvarianceAccumulator(design);
  const side = P * (S + 1);
  // Mean and second moment of the base entries Θ_m(x_i, x_j), for their standard error (float64).
  const baseSum = new Float64Array(Q);
  const baseSq = new Float64Array(Q);
  for (let start = 0, c = 0; start < M; start += chunk, c++) {
    const count = Math.min(chunk, M - start);
    const ens = sampleDenseMlp(net, count, opts.seed ?? 0, c);
    const outputs = new Float64Array(count * (S + 1) * (1 + Q));
    try {
      mlpStructuredNtk(ens, evalRows, {
        mode: 'trace',
        onMember: (k, m) => {
          for (let b = 0; b <= S; b++) {
            const o = (m * (S + 1) + b) * (1 + Q);
            outputs[o] = 1;
            pairs.forEach(([i, j], q) => (outputs[o + 1 + q] = k[(b * P + i) * side + b * P + j]));
          }
          pairs.forEach(([i, j], q) => {
            const v = k[i * side + j];
            baseSum[q] += v;
            baseSq[q] += v * v;
          });
        },
      });
    } finally {
      disposeDenseMlp(ens);
    }
    acc.push({ count, points: S + 1, dOut: 1 + Q, outputs });
    opts.onProgress?.(acc.count, M);
    if (opts.signal) {
      await nextMacrotask(); // a safe point: a signal handler runs here
      if (opts.signal.aborted && start + count < M) break;
    }
  }
  const n = acc.count; // M unless the signal stopped the loop
  const v = invarianceVerdict(acc, { alpha: opts.alpha, method: opts.method, outputPrecision: 'float32 (tfjs) per-network NTK entries' });
  const d = acc.deltas();
  return {
    group: group.name,
    groupId: group.id,
    verdict: v.verdict,
    reason: v.reason,
    suggestedEnsemble: v.suggestedEnsemble,
    orderTests: v.orderTests,
    method: v.method,
    alpha: v.alpha,
    pValue: v.pValue,
    statistic: v.statistic,
    dof: v.dof,
    effectSize: v.effectSize,
    maxAbsZ: v.maxAbsZ,
    networks: acc.count,
    elements: S,
    components: components.length,
    deltas: components.map((comp, k) => {
      const q = k % Q;
      const mean = baseSum[q] / n;
      const baseStderr = Math.sqrt(Math.max(baseSq[q] / n - mean * mean, 0) / (n - 1));
      return { element: comp.element, i: pairs[q][0], j: pairs[q][1], estimate: d.estimate[k], stderr: d.stderr[k], base: d.base[k], baseStderr };
    }),
    joint: v.joint,
    width: net.width,
    precision: 'float32 layer Jacobians (tfjs); paired differences, covariance and statistics in float64',
    ...(n < M ? { interrupted: true as const } : {}),
  };
}

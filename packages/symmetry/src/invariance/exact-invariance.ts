import { architecturePlugin, Rng, UsageError, plugins, type PluginHost } from '@nnsym/core';
import { designInvarianceTest } from './design';
import { studyArchitecture } from './core-source';
import { ExactCorrelatorEngine, type Bounded } from './exact-correlators';
import { predictInvariance, requirePrediction, type InvariancePrediction } from './predict';
import { studySide } from './study';
import type { StudyRunInput } from './study-run';

/** One component of the exact test: G at the original and at the transformed inputs/outputs, and the tolerance. */
export interface ExactComponent {
  element: number;
  order: number;
  slots: number[];
  original: number;
  transformed: number;
  /** transformed − original. */
  difference: number;
  /** The float64 error bound of the difference (sum of the two values' bounds). */
  tolerance: number;
}

/** Per-order row of the exact test (the analogue of the Monte-Carlo `OrderTest`). */
export interface ExactOrderTest {
  order: number;
  components: number;
  /** Components whose |difference| exceeds its tolerance. */
  exceeding: number;
  /** max |difference| / scale, scale = the order's largest |G| over its components (original and transformed). */
  maxRelativeDifference: number;
  /** The tolerance of that component / scale. */
  relativeTolerance: number;
  /** max |difference| / tolerance over the components (> 1: broken). */
  maxRatio: number;
  /** The component with the largest |difference| / tolerance. */
  worst: ExactComponent;
  /** exceeding > 0. */
  rejects: boolean;
}

/** The exact verdict, in the shape of the Monte-Carlo one where the fields mean the same. */
export interface ExactSymmetryResult {
  group: string;
  groupId: string;
  on: 'inputs' | 'outputs';
  /** `broken` when some component differs by more than its float64 tolerance, else `invariant` (never `inconclusive`). */
  verdict: 'invariant' | 'broken';
  method: 'exact';
  /** The largest max |ΔG| / tolerance over the orders. */
  statistic: number;
  reason: string;
  orderTests: ExactOrderTest[];
  orders: number[];
  elements: number;
  components: number;
  width: number;
  predicted: InvariancePrediction['predicted'];
  prediction: InvariancePrediction;
  agree: boolean | null;
  unbrokenSubgroup: string | null;
  /** How the tolerance is derived. */
  tolerance: string;
  precision: string;
}

/** Options of {@link exactSymmetryStudy}: those of a Monte-Carlo study (the ensemble's M is not used). */
export type ExactSymmetryOptions = Pick<StudyRunInput, 'ensemble' | 'inputs' | 'group' | 'on' | 'orders' | 'samples' | 'maxComponents' | 'seed'> & { requirePrediction?: boolean; host?: PluginHost };

const TOLERANCE =
  'float64 rounding bound of each exact value (closed-form log-normal moments: (|S|² + 2|S| + d_in + 4)·2⁻⁵³·Σ|exponent terms| + 2·2⁻⁵³ relative; ' +
  'quadrature moments: |16-point − 12-point Gauss-Legendre| + nodes·2⁻⁵³·Σ w Π|φ|; products of ≤ n + 1 factors and sums of T terms per Higham §3-4), ' +
  'summed over the original and the transformed value (and over the d_out^n terms of ρ⊗…⊗ρ G for outputs); a component is broken when |ΔG| exceeds it';

/**
 * Symmetry via duality with no Monte-Carlo noise: for a one-hidden-layer architecture whose plugin declares the
 * `exact` engine, the exact correlators G^(n) at width N ({@link ExactCorrelatorEngine}) at the original and the
 * transformed inputs (G(g·x) vs G(x)), or for output groups ρ(g)⊗…⊗ρ(g) G vs G, for the same group elements and
 * tuples as the Monte-Carlo design ({@link designInvarianceTest}, same seed). Each difference is compared with its
 * float64 error bound (not a tuned tolerance): `broken` when any exceeds it, `invariant` otherwise.
 *
 * When to use: `nnsym symmetry --engine exact`; as the reference the Monte-Carlo verdicts are calibrated against.
 *
 * @example
 * const r = exactSymmetryStudy({ ensemble: { arch: 'gauss-net', dIn: 1, dOut: 1, width: 10, networks: 0 },
 *   inputs: [Float64Array.of(0.3), Float64Array.of(0.8)], group: createTranslations(1), on: 'inputs', orders: [2] });
 * r.verdict; // 'invariant'
 */
export function exactSymmetryStudy(opts: ExactSymmetryOptions): ExactSymmetryResult {
  const e = opts.ensemble;
  const host = opts.host ?? plugins;
  const plugin = architecturePlugin(e.arch, host);
  if (!plugin?.capabilities?.engines?.exact) throw new UsageError(`--engine exact: architecture "${e.arch}" does not declare the exact engine (one hidden layer, iid units); use --engine core`, '--engine');
  if (e.init?.rules.length) throw new UsageError('--engine exact: --init is not supported (the engine knows normal laws with W1 row means and a W0 mean only); use --engine core', '--init');
  const arch = studyArchitecture(e);
  const family = arch.singleHidden;
  if (!family) throw new UsageError(`--engine exact: architecture "${e.arch}" has no single-hidden-layer description`, '--engine');
  if (family.parameterization !== 'standard') throw new UsageError('--engine exact: standard parameterisation only', '--engine');
  const orders = [...(opts.orders ?? [2, 4])].sort((a, b) => a - b);
  const side = studySide(e);
  const prediction = predictInvariance(opts.group, opts.on, orders, side);
  if (opts.requirePrediction) requirePrediction(prediction);
  const design = designInvarianceTest({
    group: opts.group,
    on: opts.on,
    inputs: opts.inputs,
    dOut: e.dOut,
    orders,
    samples: opts.samples,
    maxComponents: opts.maxComponents ?? 120,
    seed: Rng.derive(opts.seed ?? 0, 'design', opts.group.id).nextUint32(),
  });
  const rowMeans = Array.from({ length: e.dOut }, (_, a) => (e.breakMean && a < (e.breakRows ?? 1) ? e.breakMean : 0));
  const engine = new ExactCorrelatorEngine({ family, width: e.width, rowMeans, inputMean: e.inputMean }, design.evalInputs.map((x) => Array.from(x)), Math.max(...orders));
  const d = e.dOut;
  const P = design.basePoints;
  const u = 2 ** -53;
  const transformed = (element: number, slots: Int32Array): Bounded => {
    if (design.on === 'inputs') {
      // point p of the base set ↦ its copy g_s·x_p at evalInputs[P (s + 1) + p]
      return engine.correlator(Array.from(slots, (s) => (Math.floor(s / d) + P * (element + 1)) * d + (s % d)));
    }
    // (ρ⊗…⊗ρ G)(t) = Σ_b Π_k ρ[a_k, b_k] G((p_k, b_k)_k)
    const rho = design.rhos![element];
    const n = slots.length;
    const b = new Array<number>(n).fill(0);
    let value = 0;
    let err = 0;
    let abs = 0;
    let terms = 0;
    for (;;) {
      let w = 1;
      for (let k = 0; k < n; k++) w *= rho[(slots[k] % d) * d + b[k]];
      if (w !== 0) {
        const g = engine.correlator(Array.from(slots, (s, k) => Math.floor(s / d) * d + b[k]));
        const t = w * g.value;
        value += t;
        abs += Math.abs(t);
        err += Math.abs(w) * g.error + Math.abs(t) * (n + 2) * u;
        terms++;
      }
      let k = 0;
      while (k < n && ++b[k] === d) b[k++] = 0;
      if (k === n) break;
    }
    return { value, error: err + terms * u * abs };
  };
  const orderTests: ExactOrderTest[] = orders.map((n) => {
    const comps = design.components.filter((c) => c.order === n);
    let worst: ExactComponent | undefined;
    let worstRatio = -1;
    let maxAbs = -1;
    let absTol = 0;
    let scale = 0;
    let exceeding = 0;
    for (const c of comps) {
      const g0 = engine.correlator(c.slots);
      const g1 = transformed(c.element, c.slots);
      const diff = g1.value - g0.value;
      const tol = g0.error + g1.error + u * Math.abs(diff);
      const comp: ExactComponent = { element: c.element, order: n, slots: Array.from(c.slots), original: g0.value, transformed: g1.value, difference: diff, tolerance: tol };
      const ratio = tol > 0 ? Math.abs(diff) / tol : diff === 0 ? 0 : Infinity;
      if (ratio > 1) exceeding++;
      scale = Math.max(scale, Math.abs(g0.value), Math.abs(g1.value));
      if (Math.abs(diff) > maxAbs) {
        maxAbs = Math.abs(diff);
        absTol = tol;
      }
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = comp;
      }
    }
    return { order: n, components: comps.length, exceeding, maxRelativeDifference: scale > 0 ? maxAbs / scale : 0, relativeTolerance: scale > 0 ? absTol / scale : 0, maxRatio: worstRatio, worst: worst!, rejects: exceeding > 0 };
  });
  const broken = orderTests.some((o) => o.rejects);
  const verdict = broken ? 'broken' : 'invariant';
  const statistic = Math.max(...orderTests.map((o) => o.maxRatio));
  return {
    group: opts.group.name,
    groupId: opts.group.id,
    on: opts.on,
    verdict,
    method: 'exact',
    statistic,
    reason: broken
      ? `order ${orderTests.filter((o) => o.rejects).map((o) => o.order).join(', ')}: |ΔG| exceeds its float64 bound (up to ${statistic.toExponential(2)}x)`
      : `every |ΔG| within its float64 bound (largest ${statistic.toExponential(2)}x of it)`,
    orderTests,
    orders,
    elements: design.elements.length,
    components: design.components.length,
    width: e.width,
    predicted: prediction.predicted,
    prediction,
    agree: prediction.predicted === 'unknown' ? null : prediction.predicted === verdict,
    unbrokenSubgroup: prediction.unbrokenSubgroup?.name ?? null,
    tolerance: TOLERANCE,
    precision: 'float64 exact-in-N correlators (no Monte Carlo)',
  };
}

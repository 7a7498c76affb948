import { z } from 'zod';
import { decodeFloat32, decodeFloat64, encodeFloat32, encodeFloat64, type EnsembleChunk, type EstimatorPlugin, type Mergeable } from '@nnsym/core';
import type { GroupAction } from '@nnsym/groups';
import { InvarianceAccumulator } from './accumulator';
import type { InvarianceDesign } from './design';
import { invarianceVerdict, type InvarianceMethod, type InvarianceResult } from './test-invariance';
import type { InvariancePrediction } from './predict';

// The invariance statistics of `nnsym symmetry` as an ensemble-runner estimator: the existing
// InvarianceAccumulator behind core's Mergeable contract (this file only wraps it; the statistics live in
// accumulator.ts / test-invariance.ts). One run can hold several tests of the same networks (the group, then the
// predicted unbroken subgroup): each test reads its own slice of the evaluated points.

/** A design as JSON: exactly what the accumulator reads (a worker rebuilds no group, so it cannot drift). */
export interface InvarianceDesignJson {
  group: { id: string; name: string };
  on: 'inputs' | 'outputs';
  elements: number;
  basePoints: number;
  dOut: number;
  orders: number[];
  /** Evaluation points of this test, and where they start in the ensemble spec's `points`. */
  points: number;
  offset: number;
  rhos?: number[][];
  components: { element: number; order: number; slots: number[] }[];
  tuplesAvailable: Record<string, number>;
}

/** Config of the `invariance` estimator: the tests, and how each verdict is decided (for `finalize`). */
export interface InvarianceEstimatorConfig {
  tests: InvarianceDesignJson[];
  alpha: number;
  method: InvarianceMethod;
  outputPrecision: string;
  /** The study's parameter-side prediction: `finalize` then returns the study result (agree, unbroken subgroup). */
  prediction?: InvariancePrediction;
}

/**
 * State: per test the accumulator's count, mean, m2 and base mean (float64, base64), and the per-network paired
 * differences it stores for the verdict's tail diagnostics (`rows`: float32 little-endian, base64, `storedNetworks`
 * rows of k values; absent in states written before the diagnostics existed).
 */
export interface InvarianceState {
  tests: { count: number; mean: string; m2: string; baseMean: string; storedNetworks?: number; rows?: string }[];
}

/** Serialise a design (with its offset in the run's points). */
export function designToJson(d: InvarianceDesign, offset: number): InvarianceDesignJson {
  return {
    group: { id: d.group.id, name: d.group.name },
    on: d.on,
    elements: d.elements.length,
    basePoints: d.basePoints,
    dOut: d.dOut,
    orders: [...d.orders],
    points: d.evalInputs.length,
    offset,
    ...(d.rhos ? { rhos: d.rhos.map((r) => Array.from(r)) } : {}),
    components: d.components.map((c) => ({ element: c.element, order: c.order, slots: Array.from(c.slots) })),
    tuplesAvailable: { ...d.tuplesAvailable },
  };
}

/**
 * A design rebuilt from JSON for accumulating and deciding: the group is only its id and name (all the accumulator
 * and the verdict read of it), the evaluation points only their count.
 */
export function designFromJson(j: InvarianceDesignJson): InvarianceDesign {
  return {
    group: { id: j.group.id, name: j.group.name } as unknown as GroupAction,
    on: j.on,
    elements: new Array(j.elements).fill(null),
    basePoints: j.basePoints,
    dOut: j.dOut,
    orders: j.orders,
    evalInputs: Array.from({ length: j.points }, () => new Float64Array(0)),
    ...(j.rhos ? { rhos: j.rhos.map((r) => Float64Array.from(r)) } : {}),
    components: j.components.map((c) => ({ element: c.element, order: c.order, slots: Int32Array.from(c.slots) })),
    tuplesAvailable: j.tuplesAvailable,
  };
}

// The accumulator's moments, read and written through TypeScript's bracket access (its fields stay private to it).
type Moments = { mean: Float64Array; m2: Float64Array; baseMean: Float64Array };
const moments = (a: InvarianceAccumulator): Moments => ({ mean: a['mean'], m2: a['m2'], baseMean: a['baseMean'] });

class InvarianceMergeable implements Mergeable<InvarianceState> {
  constructor(readonly accs: InvarianceAccumulator[], readonly tests: readonly InvarianceDesignJson[]) {}
  get count(): number {
    return this.accs[0]?.count ?? 0;
  }
  push(chunk: EnsembleChunk): void {
    this.accs.forEach((acc, i) => {
      const t = this.tests[i];
      if (t.offset === 0 && t.points === chunk.inputs) {
        acc.push({ count: chunk.count, points: chunk.inputs, dOut: chunk.dOut, outputs: chunk.outputs });
        return;
      }
      const per = t.points * chunk.dOut;
      const out = new Float64Array(chunk.count * per);
      for (let m = 0; m < chunk.count; m++) out.set(chunk.outputs.subarray((m * chunk.inputs + t.offset) * chunk.dOut, (m * chunk.inputs + t.offset) * chunk.dOut + per), m * per);
      acc.push({ count: chunk.count, points: t.points, dOut: chunk.dOut, outputs: out });
    });
  }
  merge(other: Mergeable<InvarianceState>): void {
    this.accs.forEach((a, i) => a.merge((other as InvarianceMergeable).accs[i]));
  }
  toState(): InvarianceState {
    return {
      tests: this.accs.map((a) => {
        const m = moments(a);
        return { count: a.count, mean: encodeFloat64(m.mean), m2: encodeFloat64(m.m2), baseMean: encodeFloat64(m.baseMean), storedNetworks: a.storedNetworks, rows: encodeFloat32(a.storedRows()) };
      }),
    };
  }
  static fromState(s: InvarianceState, tests: readonly InvarianceDesignJson[]): InvarianceMergeable {
    const accs = tests.map((t, i) => {
      const acc = new InvarianceAccumulator(designFromJson(t));
      const st = s.tests[i];
      const m = moments(acc);
      const k = acc.k;
      acc.count = st.count;
      m.mean.set(decodeFloat64(st.mean, k, 'invariance mean'));
      m.m2.set(decodeFloat64(st.m2, k * k, 'invariance m2'));
      m.baseMean.set(decodeFloat64(st.baseMean, k, 'invariance baseMean'));
      if (st.rows !== undefined && st.storedNetworks) acc.restoreStoredRows(decodeFloat32(st.rows, st.storedNetworks * k, 'invariance rows'), st.storedNetworks);
      return acc;
    });
    return new InvarianceMergeable(accs, tests);
  }
}

/** The accumulators of an `invariance` estimator state (one per test), to decide with `invarianceVerdict`. */
export function invarianceAccumulators(state: InvarianceState, config: InvarianceEstimatorConfig): InvarianceAccumulator[] {
  return InvarianceMergeable.fromState(state, config.tests).accs;
}

/** A test's verdict next to the prediction, the shape of `runSymmetryStudy`'s result (the study re-exports it typed). */
export type StudyVerdict = InvarianceResult & {
  predicted?: InvariancePrediction['predicted'];
  prediction?: InvariancePrediction;
  agree?: boolean | null;
  unbrokenSubgroup?: string | null;
  unbroken?: InvarianceResult & { agree: boolean };
};

/**
 * Decide every test of an `invariance` run: the first test's verdict; with a prediction, whether they agree and,
 * when a second test (the predicted unbroken subgroup) ran, its verdict (it agrees when invariant).
 */
export function studyVerdict(accs: readonly InvarianceAccumulator[], config: InvarianceEstimatorConfig): StudyVerdict {
  const opts = { alpha: config.alpha, method: config.method, outputPrecision: config.outputPrecision };
  const measured = invarianceVerdict(accs[0], opts);
  const p = config.prediction;
  if (!p) return measured;
  const result: StudyVerdict = {
    ...measured,
    predicted: p.predicted,
    prediction: p,
    agree: p.predicted === 'unknown' || measured.verdict === 'inconclusive' ? null : p.predicted === measured.verdict,
    unbrokenSubgroup: p.unbrokenSubgroup?.name ?? null,
  };
  if (accs[1]) {
    const r = invarianceVerdict(accs[1], opts);
    result.unbroken = { ...r, agree: r.verdict === 'invariant' };
  }
  return result;
}

const designSchema = z.custom<InvarianceDesignJson>((v) => !!v && typeof v === 'object' && Array.isArray((v as InvarianceDesignJson).components), 'an invariance design');

/**
 * Estimator `invariance`: the paired ΔG statistics of {@link InvarianceAccumulator} for one or more tests of the
 * same ensemble (Maiti, Halverson, Stoner, arXiv 2106.00694), mergeable over shards and threads and bit-exact
 * through checkpoints. `finalize` gives each test's {@link InvarianceResult} (with `annotate` merged in).
 *
 * @example
 * ensembleStatistic$({ spec, estimator: { id: 'invariance', config: { tests: [designToJson(design, 0)], alpha: 0.05, method: 'hotelling', outputPrecision: 'float32' } } })
 */
export const invarianceEstimator: EstimatorPlugin<InvarianceEstimatorConfig, InvarianceState> = {
  meta: { id: 'invariance', kind: 'estimator', description: 'paired invariance statistics ΔG = G(g·) − G of correlators under a group (nnsym symmetry)', version: '1.0.0', package: '@nnsym/symmetry', reference: 'arXiv 2106.00694' },
  configSchema: z.object({
    tests: z.array(designSchema).min(1),
    alpha: z.number().gt(0).lt(1),
    method: z.enum(['per-order', 'hotelling', 'bonferroni']),
    outputPrecision: z.string(),
    prediction: z.custom<InvariancePrediction>((v) => !!v && typeof v === 'object').optional(),
  }) as unknown as z.ZodType<InvarianceEstimatorConfig>,
  create: (config) => () => ({
    create: () => new InvarianceMergeable(config.tests.map((t) => new InvarianceAccumulator(designFromJson(t))), config.tests),
    fromState: (s) => InvarianceMergeable.fromState(s, config.tests),
    finalize: (acc) => {
      const r = studyVerdict((acc as InvarianceMergeable).accs, config);
      return { result: r, precision: r.precision };
    },
  }),
};

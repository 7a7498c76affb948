import { plugins, Rng, runEnsembleStatistic, UsageError, type EnsemblePartial, type EnsembleSpec, type EnsembleStatisticOptions, type EstimatorRef, type SeedKey } from '@nnsym/core';
import { registerDistributionPlugins } from '@nnsym/distributions';
import { createGroupAction } from '@nnsym/groups';
import type { GroupAction } from '@nnsym/groups';
import { designInvarianceTest } from './design';
import { predictInvariance, requirePrediction, type InvariancePrediction } from './predict';
import type { EnsembleSource, ParameterSide, StudyEnsemble } from './types';
import { coreEnsembleSource, parameterSideFromInit, studyArchitecture, studyInitSpec } from './core-source';
import { referenceEnsembleChunks, type ReferenceEnsembleSpec } from './reference-ensemble';
import { accumulateInvariance, invarianceVerdict, type InvarianceResult } from './test-invariance';
import { invarianceAccumulators, invarianceEstimator, studyVerdict, type InvarianceEstimatorConfig, type InvarianceState } from './estimator';
import { symmetryStudyRun, type StudyRunInput } from './study-run';

/** The float64 host evaluator ({@link referenceEnsembleChunks}) as an {@link EnsembleSource}. */
export const referenceSource: EnsembleSource = Object.assign(
  (e: StudyEnsemble, points: readonly Float64Array[], seed: SeedKey) => referenceEnsembleChunks(referenceSpec(e), points, e.networks, seed),
  { precision: 'float64 (host reference evaluator)' },
);

function rowMeans(e: StudyEnsemble): number[] | undefined {
  const mu = e.breakMean ?? 0;
  if (mu === 0) return undefined;
  const k = e.breakRows ?? 1;
  if (!(k >= 1 && k <= e.dOut)) throw new UsageError(`--break-rows must be in 1..${e.dOut} (--d-out), got ${k}`, '--break-rows');
  return Array.from({ length: e.dOut }, (_, a) => (a < k ? mu : 0));
}

function referenceSpec(e: StudyEnsemble): ReferenceEnsembleSpec {
  return { arch: e.arch, dIn: e.dIn, dOut: e.dOut, width: e.width, sw: e.sw, sb: e.sb, mu0: e.inputMean, rowMeans: rowMeans(e) };
}

/**
 * The parameter side of a study ensemble: every layer is normal (a zero-mean isotropic normal is O(n)-invariant,
 * the declared invariance of the `normal` distribution), with the means the breaking flags set.
 */
export function studyParameterSide(e: StudyEnsemble): ParameterSide {
  return {
    arch: e.arch,
    first: { invariance: 'orthogonal', mean: e.inputMean ? new Array(e.dIn).fill(e.inputMean) : undefined },
    last: { invariance: 'orthogonal', mean: rowMeans(e) },
    finiteWidth: true,
  };
}

/**
 * The parameter side of a study: resolved from the architecture's layout and the init spec (each distribution's
 * declared invariance, the mean matrices) when core knows the architecture, else {@link studyParameterSide}.
 */
export function studySide(e: StudyEnsemble): ParameterSide {
  let arch;
  try {
    arch = studyArchitecture(e);
  } catch {
    return studyParameterSide(e);
  }
  return parameterSideFromInit(arch, studyInitSpec(e));
}

/** Options of {@link runSymmetryStudy}: the fields that define its ensemble run ({@link StudyRunInput}), and how it is decided and where the networks come from. */
export interface SymmetryStudyOptions extends StudyRunInput {
  /** Throw when no prediction is possible (instead of reporting `predicted: "unknown"`). */
  requirePrediction?: boolean;
  /** Where the networks come from (default: core's tfjs ensemble runner; call `initBackend()` first). */
  source?: EnsembleSource;
  /** Parameter side to predict from (default: {@link studySide}; e.g. `trainedParameterSide` for trained ensembles). */
  side?: ParameterSide;
  /** Core source only: threads, abort and checkpoint options of core's ensemble runner (`ensembleStatistic$`). */
  run?: Pick<EnsembleStatisticOptions, 'threads' | 'signal' | 'checkpoint' | 'resume'>;
  /**
   * Stop at the next safe point when aborted (Ctrl-C): between chunks of networks, and before the unbroken
   * subgroup's test (host sources). {@link runSymmetryStudyUntil} then returns what was computed.
   */
  signal?: AbortSignal;
  /** Called after each chunk of networks: networks done of the test in progress, and its total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A study on core's ensemble runner as one serialisable run: its {@link EnsembleSpec} and the `invariance`
 * estimator (tests, verdict options and the parameter-side prediction), for `ensembleStatistic$` with threads,
 * shards and checkpoints. `finalize` of the estimator (or `nnsym merge`) gives the {@link SymmetryStudyResult}.
 *
 * @example
 * const { spec, estimator } = symmetryStudySpec({ ensemble, inputs, group, on: 'outputs' });
 */
export function symmetryStudySpec(opts: SymmetryStudyOptions): { spec: EnsembleSpec; estimator: EstimatorRef<InvarianceEstimatorConfig> } {
  const side = opts.side ?? studySide(opts.ensemble);
  const prediction = predictInvariance(opts.group, opts.on, opts.orders ?? [2, 4], side);
  if (opts.requirePrediction) requirePrediction(prediction);
  return symmetryStudyRun(opts, prediction, coreEnsembleSource.precision ?? 'float32 (tfjs ensemble runner)');
}

/** A measured verdict next to the parameter-side prediction. */
export interface SymmetryStudyResult extends InvarianceResult {
  predicted: InvariancePrediction['predicted'];
  prediction: InvariancePrediction;
  /** Whether measurement and prediction agree (null when no prediction was possible or the measurement is `inconclusive`). */
  agree: boolean | null;
  unbrokenSubgroup: string | null;
  /** The test of the predicted unbroken subgroup, when the group is predicted broken. */
  unbroken?: InvarianceResult & { agree: boolean };
}

/**
 * One symmetry-via-duality study (2106.00694): measure whether the ensemble's correlators are invariant under the
 * group (paired Hotelling test of ΔG), predict it from the parameter side, compare, and when the group is broken
 * by a mean test the stabiliser that the prediction says survives.
 *
 * When to use: behind `nnsym symmetry`; in scripts for width sweeps and calibration.
 *
 * @example
 * const r = await runSymmetryStudy({ ensemble: { arch: 'gauss-net', dIn: 1, dOut: 5, width: 100, networks: 20000,
 *   breakMean: 0.5, breakRows: 1 }, inputs: [Float64Array.of(1)], group: createSpecialOrthogonal(5), on: 'outputs' });
 * r.verdict;                 // 'broken'
 * r.unbroken?.verdict;       // 'invariant' (SO(4))
 */
export async function runSymmetryStudy(opts: SymmetryStudyOptions): Promise<SymmetryStudyResult> {
  const r = await runSymmetryStudyUntil(opts);
  // Without an abort signal the study always completes (the result below is the only outcome).
  if (!r.result) throw new UsageError(`symmetry: interrupted after ${r.networks} networks, too few for a test`, '--ensemble');
  return r.result;
}

/** What {@link runSymmetryStudyUntil} computed: the whole study, or what it had when its signal aborted. */
export interface SymmetryStudyRun {
  /** False when the signal stopped the study before its end. */
  complete: boolean;
  /** Networks in the result's test (of `planned`); for a complete study, `planned`. */
  networks: number;
  planned: number;
  /**
   * The study result; when interrupted, the test of the networks done (its `networks` field says how many) and no
   * `unbroken` test unless that finished. Null when too few networks were done to test (fewer than 3, or fewer than
   * the rank of the components).
   */
  result: SymmetryStudyResult | null;
  /** Core source, interrupted: the ensemble partial (resumable with `resume`, bit-identical to an uninterrupted run). */
  partial?: EnsemblePartial<InvarianceState>;
}

/**
 * {@link runSymmetryStudy} that stops at a safe point when `opts.signal` aborts (between chunks of networks; for host
 * sources also before the unbroken subgroup's test) and returns what it computed. An uninterrupted run gives exactly
 * `runSymmetryStudy`'s result.
 *
 * @example
 * const ac = new AbortController(); process.once('SIGINT', () => ac.abort());
 * const r = await runSymmetryStudyUntil({ ...opts, signal: ac.signal });
 * if (!r.complete) save(r.partial); // resume with run: { resume: r.partial }
 */
export async function runSymmetryStudyUntil(opts: SymmetryStudyOptions): Promise<SymmetryStudyRun> {
  const seed = opts.seed ?? 0;
  const orders = opts.orders ?? [2, 4];
  const source = opts.source ?? coreEnsembleSource;
  const planned = opts.ensemble.networks;
  const tooFew = (f: () => SymmetryStudyResult): SymmetryStudyResult | null => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UsageError) return null;
      throw e;
    }
  };
  if (source === coreEnsembleSource) {
    // Core's ensemble runner: one run of the `invariance` estimator (the group's test, and the unbroken subgroup's).
    const host = opts.host ?? plugins;
    if (!host.kind('estimator').has(invarianceEstimator.meta.id)) host.register(invarianceEstimator);
    registerDistributionPlugins(host); // the init sampler of --init / breaking-mean specs (idempotent)
    const { spec, estimator } = symmetryStudySpec(opts);
    const signal = opts.signal ?? opts.run?.signal;
    const onEvent = opts.onProgress ? (e: { type: string; done?: number; total?: number }) => e.type === 'progress' && opts.onProgress?.(e.done as number, e.total as number) : undefined;
    const { partial, interrupted } = await runEnsembleStatistic<InvarianceState>({ spec, estimator, command: 'symmetry', host, ...opts.run, ...(signal ? { signal } : {}) }, onEvent);
    const verdict = () => studyVerdict(invarianceAccumulators(partial.state, estimator.config), estimator.config) as SymmetryStudyResult;
    if (!interrupted || partial.complete) return { complete: true, networks: partial.networks, planned, result: verdict() };
    return { complete: false, networks: partial.networks, planned, result: tooFew(verdict), partial };
  }
  const side = opts.side ?? studySide(opts.ensemble);
  const prediction = predictInvariance(opts.group, opts.on, orders, side);
  if (opts.requirePrediction) requirePrediction(prediction);
  let stopped = false;
  const measure = async (group: GroupAction, tag: string) => {
    const design = designInvarianceTest({
      group,
      on: opts.on,
      inputs: opts.inputs,
      dOut: opts.ensemble.dOut,
      orders,
      samples: opts.samples,
      maxComponents: opts.maxComponents ?? Math.min(120, Math.floor(opts.ensemble.networks / 10)),
      seed: Rng.derive(seed, 'design', tag).nextUint32(),
    });
    const onProgress = opts.onProgress ? (done: number) => opts.onProgress?.(done, planned) : undefined;
    const { acc, stopped: cut } = await accumulateInvariance(design, source(opts.ensemble, design.evalInputs, seed), { signal: opts.signal, planned, onProgress });
    if (cut) stopped = true;
    return { acc, verdict: () => invarianceVerdict(acc, { alpha: opts.alpha, method: opts.method, outputPrecision: source.precision }) };
  };
  const main = await measure(opts.group, opts.group.id);
  const withPrediction = (measured: InvarianceResult): SymmetryStudyResult => ({
    ...measured,
    predicted: prediction.predicted,
    prediction,
    agree: prediction.predicted === 'unknown' || measured.verdict === 'inconclusive' ? null : prediction.predicted === measured.verdict,
    unbrokenSubgroup: prediction.unbrokenSubgroup?.name ?? null,
  });
  if (stopped) return { complete: false, networks: main.acc.count, planned, result: tooFew(() => withPrediction(main.verdict())) };
  const result = withPrediction(main.verdict());
  const sub = prediction.unbrokenSubgroup;
  if (sub?.group && (opts.testUnbroken ?? true)) {
    if (opts.signal?.aborted) return { complete: false, networks: planned, planned, result };
    const group = createGroupAction(sub.group, sub.config ?? {}, opts.host ?? plugins);
    const u = await measure(group, 'unbroken');
    if (stopped) return { complete: false, networks: planned, planned, result };
    const r = u.verdict();
    result.unbroken = { ...r, agree: r.verdict === 'invariant' };
  }
  return { complete: true, networks: planned, planned, result };
}

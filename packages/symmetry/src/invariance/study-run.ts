import { defaultChunkSize, createArchitecture, plugins, Rng, type EnsembleSpec, type EstimatorRef } from '@nnsym/core';
import { createGroupAction } from '@nnsym/groups';
import { designInvarianceTest, type InvarianceDesign } from './design';
import type { InvariancePrediction } from './predict';
import { studyInitSpec } from './core-source';
import { designToJson, type InvarianceEstimatorConfig } from './estimator';
import type { GroupAction, GroupSpace } from '@nnsym/groups';
import type { PluginHost, SeedKey } from '@nnsym/core';
import type { InvarianceMethod } from './test-invariance';
import type { StudyEnsemble } from './types';

/** The fields of a study that define its ensemble run (a subset of `SymmetryStudyOptions`). */
export interface StudyRunInput {
  ensemble: StudyEnsemble;
  inputs: readonly Float64Array[];
  group: GroupAction;
  on: GroupSpace;
  orders?: number[];
  samples?: number;
  maxComponents?: number;
  alpha?: number;
  method?: InvarianceMethod;
  seed?: SeedKey;
  /** Also test the predicted unbroken subgroup when the full group is predicted broken (default true). */
  testUnbroken?: boolean;
  host?: PluginHost;
}

const samePoints = (a: readonly Float64Array[], b: readonly Float64Array[]) => a.length === b.length && a.every((p, i) => p.length === b[i].length && p.every((v, j) => v === b[i][j]));

/**
 * A symmetry study as one ensemble run: the spec of its networks (core's runner, the study's init) and the
 * `invariance` estimator with the group's test and, when the prediction names an unbroken subgroup, its test too,
 * on the same networks. The designs are those `runSymmetryStudy` always made (same seeds); the chunk size is the
 * one the first test's points gave, so the networks of a seed are unchanged.
 *
 * When to use: behind `runSymmetryStudy` with the core source, and by `nnsym symmetry --threads/--shard/--checkpoint`.
 *
 * @example
 * const { spec, estimator } = symmetryStudyRun(opts, prediction);
 * const { partial } = await runEnsembleStatistic({ spec, estimator, threads: 2 });
 */
export function symmetryStudyRun(opts: StudyRunInput, prediction: InvariancePrediction, outputPrecision: string): { spec: EnsembleSpec; estimator: EstimatorRef<InvarianceEstimatorConfig> } {
  const seed = opts.seed ?? 0;
  const orders = opts.orders ?? [2, 4];
  const e = opts.ensemble;
  const design = (group: GroupAction, tag: string): InvarianceDesign =>
    designInvarianceTest({
      group,
      on: opts.on,
      inputs: opts.inputs,
      dOut: e.dOut,
      orders,
      samples: opts.samples,
      maxComponents: opts.maxComponents ?? Math.min(120, Math.floor(e.networks / 10)),
      seed: Rng.derive(seed, 'design', tag).nextUint32(),
    });
  const designs = [design(opts.group, opts.group.id)];
  const sub = prediction.unbrokenSubgroup;
  if (sub?.group && (opts.testUnbroken ?? true)) designs.push(design(createGroupAction(sub.group, sub.config ?? {}, opts.host ?? plugins), 'unbroken'));
  const points: number[][] = designs[0].evalInputs.map((p) => Array.from(p));
  const tests = designs.map((d, i) => {
    if (i === 0 || samePoints(d.evalInputs, designs[0].evalInputs)) return designToJson(d, 0);
    const offset = points.length;
    points.push(...d.evalInputs.map((p) => Array.from(p)));
    return designToJson(d, offset);
  });
  const archConfig = { width: e.width, dIn: e.dIn, dOut: e.dOut, sigmaW: e.sw ?? 1, sigmaB: e.sb ?? 1 };
  const arch = createArchitecture(e.arch, archConfig, opts.host ?? plugins, '--arch');
  const init = studyInitSpec(e);
  const spec: EnsembleSpec = {
    arch: { id: e.arch, config: archConfig },
    points,
    ensemble: e.networks,
    chunkSize: Math.min(e.networks, defaultChunkSize(arch, designs[0].evalInputs.length)),
    seed,
    ...(init.rules.length ? { init: JSON.parse(JSON.stringify(init)) as Record<string, unknown> } : {}),
  };
  return { spec, estimator: { id: 'invariance', config: { tests, alpha: opts.alpha ?? 0.05, method: opts.method ?? 'per-order', outputPrecision, prediction } } };
}

import { createFromPlugin } from '../registry/plugin';
import type { DataSplit, Dataset, DatasetLoadOptions, DatasetPlugin } from '../datasets/types';
import { runPluginConformance } from './plugin-conformance';

/** Options of {@link runDatasetConformance}. */
export interface DatasetConformanceOptions {
  /** Passed to `load` (default `{ cacheDir: false }`: the check neither reads nor writes nnsym's cache). */
  load?: DatasetLoadOptions;
}

function splitFailures(name: string, s: DataSplit, ds: Dataset): string[] {
  const f: string[] = [];
  const d = ds.inputShape.reduce((a, b) => a * b, 1);
  if (!(Number.isInteger(s.n) && s.n > 0)) f.push(`${name}.n must be a positive integer, got ${s.n}`);
  if (s.d !== d) f.push(`${name}.d is ${s.d} but inputShape [${ds.inputShape}] has ${d} features`);
  if (s.x.length !== s.n * s.d) f.push(`${name}.x has ${s.x.length} entries, expected n·d = ${s.n * s.d}`);
  if (s.y.length !== s.n) f.push(`${name}.y has ${s.y.length} labels, expected n = ${s.n}`);
  if (!(Number.isFinite(s.scale) && s.scale > 0)) f.push(`${name}.scale must be a positive finite number, got ${s.scale}`);
  let bad = -1;
  for (let i = 0; i < s.y.length && bad < 0; i++) if (s.y[i] >= ds.numClasses) bad = i;
  if (bad >= 0) f.push(`${name}.y[${bad}] = ${s.y[bad]} is not a class in [0, ${ds.numClasses})`);
  if (s.x instanceof Float32Array && !s.x.every(Number.isFinite)) f.push(`${name}.x has non-finite features`);
  return f;
}

function sameSplit(a: DataSplit, b: DataSplit): boolean {
  if (a.n !== b.n || a.d !== b.d || a.scale !== b.scale || a.x.length !== b.x.length) return false;
  for (let i = 0; i < a.x.length; i++) if (a.x[i] !== b.x[i]) return false;
  for (let i = 0; i < a.y.length; i++) if (a.y[i] !== b.y[i]) return false;
  return true;
}

/**
 * Conformance of a dataset plugin (kind `dataset`): the generic plugin checks, then `create(config)` gives a source
 * whose id is the plugin's, `load` resolves to a {@link Dataset} with that id, at least 2 classes, a non-empty
 * `source`, and train/test splits consistent with `inputShape` (n > 0, x of n·d entries, n labels in
 * [0, numClasses), a positive scale, finite float features); and a second `load` gives the same data (same
 * config, same data: what `nnsym train` results rely on). Returns failures (empty when conformant), so it works
 * under any test runner. Loads the whole data set twice: give a small `sampleConfig` where the plugin has one.
 *
 * @example
 * expect(await runDatasetConformance(teacherStudentDataset, { d: 4, nTrain: 50, nTest: 20 })).toEqual([]);
 */
export async function runDatasetConformance(plugin: DatasetPlugin, sampleConfig: unknown = {}, options: DatasetConformanceOptions = {}): Promise<string[]> {
  const failures = runPluginConformance(plugin, sampleConfig);
  if (failures.length) return failures;
  const source = createFromPlugin(plugin, sampleConfig);
  if (source.id !== plugin.meta.id) failures.push(`create() gave a source with id "${source.id}", expected "${plugin.meta.id}"`);
  const loadOpts = options.load ?? { cacheDir: false };
  let ds: Dataset;
  try {
    ds = await source.load(loadOpts);
  } catch (e) {
    return [...failures, `load() threw: ${(e as Error).message}`];
  }
  if (ds.id !== plugin.meta.id) failures.push(`load() gave a dataset with id "${ds.id}", expected "${plugin.meta.id}"`);
  if (!(Number.isInteger(ds.numClasses) && ds.numClasses >= 2)) failures.push(`numClasses must be an integer >= 2, got ${ds.numClasses}`);
  if (typeof ds.source !== 'string' || ds.source.length === 0) failures.push('source must say where the data came from');
  if (!(ds.inputShape.length > 0 && ds.inputShape.every((k) => Number.isInteger(k) && k > 0))) failures.push(`inputShape must be positive integers, got [${ds.inputShape}]`);
  failures.push(...splitFailures('train', ds.train, ds), ...splitFailures('test', ds.test, ds));
  const again = await source.load(loadOpts);
  if (!sameSplit(ds.train, again.train) || !sameSplit(ds.test, again.test)) failures.push('a second load() gave different data');
  return failures;
}

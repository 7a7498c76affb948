import { closeShardWorkers, initBackend, mergeEnsemblePartials, plugins, registerCorePlugins, runEnsembleStatistic, tf, type EnsemblePartial } from '@nnsym/core';
import { registerDistributionPlugins } from '@nnsym/distributions';
import { createSpecialOrthogonal, registerGroupPlugins } from '@nnsym/groups';
import { registerSymmetryPlugins } from '../register-all';
import { coreEnsembleSource } from './core-source';
import { invarianceAccumulators, studyVerdict, type InvarianceState } from './estimator';
import { runSymmetryStudy, symmetryStudySpec, type SymmetryStudyOptions } from './study';

// The invariance statistics on core's ensemble runner must give exactly what the old path gave: the core source
// fed chunk by chunk into testInvariance (kept reachable by passing a source that is not `coreEnsembleSource`).
const oldCoreSource = Object.assign((...a: Parameters<typeof coreEnsembleSource>) => coreEnsembleSource(...a), { precision: coreEnsembleSource.precision });

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  registerCorePlugins(plugins);
  registerDistributionPlugins(plugins);
  registerGroupPlugins(plugins);
  registerSymmetryPlugins(plugins);
});
afterAll(() => closeShardWorkers());

const broken = (): SymmetryStudyOptions => ({
  ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 900, breakMean: 1, breakRows: 1 },
  inputs: [Float64Array.of(1), Float64Array.of(-0.5)],
  group: createSpecialOrthogonal(3),
  on: 'outputs',
  orders: [2, 4],
  seed: 4,
});
const onInputs = (): SymmetryStudyOptions => ({
  ensemble: { arch: 'tanh-net', dIn: 2, dOut: 1, width: 8, networks: 600, inputMean: 0.7 },
  inputs: [Float64Array.of(0.5, -0.3)],
  group: createSpecialOrthogonal(2),
  on: 'inputs',
  orders: [2],
  seed: 9,
});

describe('invariance estimator on core ensemble runner', () => {
  it.each([['outputs, broken by a mean (+ unbroken subgroup test)', broken], ['inputs, broken by W0 mean', onInputs]])('%s: identical to the old core-source path', async (_, make) => {
    const now = await runSymmetryStudy(make());
    const old = await runSymmetryStudy({ ...make(), source: oldCoreSource });
    expect(JSON.parse(JSON.stringify(now))).toEqual(JSON.parse(JSON.stringify(old)));
  });

  it('--threads 2, shards 0/2 + 1/2 merged, and checkpoint + abort + resume equal one run', async () => {
    const opts = broken();
    const { spec, estimator } = symmetryStudySpec(opts);
    const decide = (p: EnsemblePartial) => JSON.parse(JSON.stringify(studyVerdict(invarianceAccumulators(p.state as InvarianceState, estimator.config), estimator.config)));
    const one = (await runEnsembleStatistic({ spec, estimator })).partial;
    expect(spec.chunkSize).toBe(900);
    const small = { ...spec, chunkSize: 100 };
    const base = (await runEnsembleStatistic({ spec: small, estimator })).partial;
    const a = (await runEnsembleStatistic({ spec: small, estimator, shard: { index: 0, count: 2 } })).partial;
    const b = (await runEnsembleStatistic({ spec: small, estimator, shard: { index: 1, count: 2 } })).partial;
    const merged = mergeEnsemblePartials([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]);
    const close = (x: { pValue: number; statistic: number }, y: { pValue: number; statistic: number }) => {
      expect(x.statistic).toBeCloseTo(y.statistic, 8);
      expect(x.pValue).toBeCloseTo(y.pValue, 10);
    };
    const [dm, db] = [decide(merged), decide(base)];
    close(dm, db);
    close(dm.unbroken, db.unbroken);
    expect(dm.verdict).toBe(db.verdict);
    const threaded = (await runEnsembleStatistic({ spec: small, estimator, threads: 2 })).partial;
    close(decide(threaded), db);
    const ac = new AbortController();
    let saved: EnsemblePartial | undefined;
    let k = 0;
    const cut = await runEnsembleStatistic({ spec: small, estimator, signal: ac.signal, checkpoint: { every: 1, write: (p) => void (saved = JSON.parse(JSON.stringify(p))) } }, (e) => {
      if (e.type === 'progress' && ++k === 4) ac.abort();
    });
    expect(cut.interrupted).toBe(true);
    const resumed = (await runEnsembleStatistic({ spec: small, estimator, resume: saved })).partial;
    expect(resumed.state).toEqual(base.state); // bit-identical
    expect(decide(one).verdict).toBe('broken');
  }, 90000);

  it('keeps tfjs tensors flat', async () => {
    const before = tf.memory().numTensors;
    await runSymmetryStudy(onInputs());
    expect(tf.memory().numTensors).toBe(before);
  });
});

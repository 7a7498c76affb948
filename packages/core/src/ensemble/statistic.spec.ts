import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { PluginHost, plugins } from '../registry/kinds';
import { registerCorePlugins } from '../register-all';
import { createArchitecture } from '../nn/create-architecture';
import { closeShardWorkers } from './threads';
import { ensembleChunks } from './chunks';
import { OutputMoments } from './moments';
import { ensembleSpec, createEnsemble, type EnsembleSpec } from './spec';
import { mergePartials, partialAccumulator, type EnsemblePartial } from './partial';
import { resolveEstimator } from './mergeable';
import { ensembleStatistic$, runEnsembleStatistic, type EnsembleStatisticEvent } from './statistic';
import { chunkLoop } from './chunk-loop';
import { ensemble$ } from './observable';
import type { MomentsState } from './moments-estimator';

// The runner's contract on the `moments` estimator: one run equals the old direct loop (OutputMoments over
// ensembleChunks, bit-identical), and shards, threads and an interrupted-then-resumed run equal one run.
const spec: EnsembleSpec = { arch: { id: 'tanh-net', config: { width: 16, dIn: 2, dOut: 2 } }, points: [[0.3, -0.2], [1, 0.5], [-0.7, 0.1]], ensemble: 230, chunkSize: 20, seed: 5 };
const moments = { id: 'moments', config: {} };
const mean = (p: EnsemblePartial<MomentsState>) => OutputMoments.fromState(p.state).result();

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  registerCorePlugins(plugins);
});
afterAll(() => closeShardWorkers());

describe('ensembleStatistic$', () => {
  test('one run equals the direct OutputMoments loop over ensembleChunks (the old path), bit for bit', async () => {
    const r = await runEnsembleStatistic<MomentsState>({ spec, estimator: moments });
    const arch = createArchitecture('tanh-net', { width: 16, dIn: 2, dOut: 2 });
    const old = new OutputMoments(3, 2);
    for (const ch of ensembleChunks({ arch, inputs: spec.points.map((p) => [...p]), ensemble: 230, chunkSize: 20, seed: 5 })) old.add(ch);
    expect(r.partial.complete).toBe(true);
    expect(r.partial.networks).toBe(230);
    expect(mean(r.partial).mean).toEqual(old.result().mean);
    expect(mean(r.partial).variance).toEqual(old.result().variance);
  });

  test('shards 0/2 + 1/2 (through JSON) merge to one run; foreign and overlapping pieces are refused', async () => {
    const one = (await runEnsembleStatistic<MomentsState>({ spec, estimator: moments })).partial;
    const a = (await runEnsembleStatistic<MomentsState>({ spec, estimator: moments, shard: { index: 0, count: 2 } })).partial;
    const b = (await runEnsembleStatistic<MomentsState>({ spec, estimator: moments, shard: { index: 1, count: 2 } })).partial;
    expect(a.complete).toBe(false);
    const m = mergePartials<MomentsState>([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]);
    expect(m.complete).toBe(true);
    expect(m.done).toEqual(one.done);
    const [x, y] = [mean(m), mean(one)];
    for (let j = 0; j < x.mean.length; j++) {
      expect(x.mean[j]).toBeCloseTo(y.mean[j], 13);
      expect(x.variance[j]).toBeCloseTo(y.variance[j], 13);
    }
    expect(() => mergePartials([a, a])).toThrow(/chunk 0 is in more than one partial/);
    const other = (await runEnsembleStatistic<MomentsState>({ spec: { ...spec, seed: 6 }, estimator: moments, shard: { index: 1, count: 2 } })).partial;
    expect(() => mergePartials([a, other])).toThrow(/"spec.seed" differs/);
    const wide = (await runEnsembleStatistic<MomentsState>({ spec: { ...spec, arch: { id: 'tanh-net', config: { width: 17, dIn: 2, dOut: 2 } } }, estimator: moments, shard: { index: 1, count: 2 } })).partial;
    expect(() => mergePartials([a, wide])).toThrow(/"spec.arch.config.width" differs/);
  });

  test('moments with keepOutputs: shards merged in any order hold every network\'s outputs of ensembleChunks, in order', async () => {
    const keep = { id: 'moments', config: { keepOutputs: true } };
    const parts = await Promise.all([0, 1, 2].map(async (i) => (await runEnsembleStatistic<MomentsState>({ spec, estimator: keep, shard: { index: i, count: 3 } })).partial));
    const m = mergePartials<MomentsState>([parts[2], parts[0], parts[1]].map((p) => JSON.parse(JSON.stringify(p))));
    const arch = createArchitecture('tanh-net', { width: 16, dIn: 2, dOut: 2 });
    const direct: number[] = [];
    for (const ch of ensembleChunks({ arch, inputs: spec.points.map((p) => [...p]), ensemble: 230, chunkSize: 20, seed: 5 })) direct.push(...ch.outputs);
    const ens = createEnsemble(m.spec);
    const fin = resolveEstimator<MomentsState>(keep, { spec: m.spec, arch: ens.arch }).estimator;
    const r = fin.finalize?.(partialAccumulator(m))?.result as { outputs: number[][][] };
    expect(r.outputs).toHaveLength(230);
    expect(r.outputs.flat(2)).toEqual(direct); // float32 values, bit for bit, network order
    const plain = (await runEnsembleStatistic<MomentsState>({ spec, estimator: moments, shard: { index: 1, count: 3 } })).partial;
    expect(() => mergePartials([parts[0], plain])).toThrow(/"estimator.config.keepOutputs" differs/);
  });

  test('--threads 2 equals one run to float64 rounding (workers rebuild the run from the spec)', async () => {
    const one = mean((await runEnsembleStatistic<MomentsState>({ spec, estimator: moments })).partial);
    const r = await runEnsembleStatistic<MomentsState>({ spec, estimator: moments, threads: 2 });
    expect(r.threads).toBe(2);
    expect(r.partial.complete).toBe(true);
    const t = mean(r.partial);
    for (let j = 0; j < t.mean.length; j++) expect(t.mean[j]).toBeCloseTo(one.mean[j], 13);
  }, 60000);

  test('checkpoint + abort + resume is bit-identical to an uninterrupted run; resume refuses another spec', async () => {
    const one = (await runEnsembleStatistic<MomentsState>({ spec, estimator: moments })).partial;
    const ac = new AbortController();
    let saved: EnsemblePartial | undefined;
    let chunks = 0;
    const cut = await runEnsembleStatistic({ spec, estimator: moments, signal: ac.signal, checkpoint: { every: 2, write: (p) => void (saved = JSON.parse(JSON.stringify(p))) } }, (e) => {
      if (e.type === 'progress' && ++chunks === 5) ac.abort();
    });
    expect(cut.interrupted).toBe(true);
    expect(saved?.interrupted).toBe(true);
    expect(saved?.done).toEqual([0, 1, 2, 3, 4]);
    const resumed = (await runEnsembleStatistic<MomentsState>({ spec, estimator: moments, resume: saved })).partial;
    expect(resumed.state).toEqual(one.state);
    expect(resumed.done).toEqual(one.done);
    await expect(runEnsembleStatistic({ spec: { ...spec, ensemble: 240 }, estimator: moments, resume: saved })).rejects.toThrow(/--resume: .*"spec.ensemble" differs/);
    await expect(runEnsembleStatistic({ spec, estimator: moments, resume: saved, shard: { index: 1, count: 2 } })).rejects.toThrow(/chunk 0, which shard 1\/2 does not compute/);
  });

  test('typed run-end summary; bad spec fields name the field; unknown estimator names the known ids', async () => {
    const events: EnsembleStatisticEvent<MomentsState>[] = [];
    await runEnsembleStatistic<MomentsState>({ spec, estimator: moments }, (e) => events.push(e));
    const end = events[events.length - 1];
    if (end.type !== 'run-end') throw new Error('no run-end');
    expect(end.summary.partial.state.count).toBe(230); // typed: no cast
    expect(() => createEnsemble({ ...spec, ensemble: 0 })).toThrow(/spec.ensemble/);
    expect(() => createEnsemble({ ...spec, points: [[1]] })).toThrow(/spec.points\[0\]/);
    await expect(runEnsembleStatistic({ spec, estimator: { id: 'momentz', config: {} } })).rejects.toThrow(/moments/);
    await expect(runEnsembleStatistic({ spec, estimator: moments, host: new PluginHost() })).rejects.toThrow(/estimator/);
    expect(ensembleSpec({ arch: spec.arch, points: spec.points, ensemble: 50, seed: 1 }).chunkSize).toBe(50);
  });

  test('no tensor leaks on the tfjs path (numTensors flat over a run)', async () => {
    const before = tf.memory().numTensors;
    await runEnsembleStatistic({ spec: { ...spec, arch: { id: 'relu-net', config: { width: 8, dIn: 2, dOut: 2 } } }, estimator: moments, path: 'tfjs' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('chunkLoop', () => {
  test('steps in order, disposes once, abort ends it interrupted', async () => {
    const seen: number[] = [];
    let disposed = 0;
    const ac = new AbortController();
    const interrupted = await new Promise<boolean>((resolve, reject) =>
      chunkLoop(10, { signal: ac.signal, step: (k) => { seen.push(k); if (k === 3) ac.abort(); }, end: resolve, fail: reject, dispose: () => void disposed++ }),
    );
    expect(interrupted).toBe(true);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(disposed).toBe(1);
  });
});

test('the ensemble$ observable still subscribes (sanity of the shared loop)', async () => {
  const arch = createEnsemble(spec).arch;
  const types: string[] = [];
  await new Promise<void>((res, rej) => ensemble$({ arch, inputs: spec.points.map((p) => [...p]), ensemble: 40, chunkSize: 20, seed: 1 }).subscribe({ next: (e) => types.push(e.type), error: rej, complete: res }));
  expect(types).toEqual(['run-start', 'chunk', 'progress', 'chunk', 'progress', 'run-end']);
  void ensembleStatistic$;
});

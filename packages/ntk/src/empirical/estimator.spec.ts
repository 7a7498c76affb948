import { closeShardWorkers, createArchitecture, initBackend, mergeEnsemblePartials, plugins, registerCorePlugins, runEnsembleStatistic, tf, type EnsemblePartial, type EnsembleSpec } from '@nnsym/core';
import { registerNtkPlugins } from '../register-all';
import { architectureNtk } from './architecture-ntk';
import { empiricalNtkFromPartial, type EmpiricalNtkState } from './estimator';
import golden from './__fixtures__/ntk-golden.json';

// The empirical NTK on core's ensemble runner against the old function's golden values (see __fixtures__/README.md):
// the same networks give the same numbers; threads, shards and resume give one run.
const points = [[0.3, -0.2], [1, 0.5], [-0.7, 0.1]];
const cases = [
  ['relu-net trace', 'relu-net', { width: 12, dIn: 2, dOut: 2, parameterization: 'ntk' }, 'trace', 'auto'],
  ['mlp full vjp', 'mlp', { width: 6, depth: 2, dIn: 2, dOut: 2, activation: 'tanh', parameterization: 'ntk' }, 'full', 'vjp'],
] as const;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  registerCorePlugins(plugins);
  registerNtkPlugins(plugins);
});
afterAll(() => closeShardWorkers());

describe('empirical-ntk estimator', () => {
  it.each(cases)('%s: architectureNtk and the runner both reproduce the old function bit for bit', async (name, id, cfg, mode, method) => {
    const g = (golden as Record<string, { mean: number[]; stderr: number[]; nngp: number[]; nngpStderr: number[]; method: string }>)[name];
    const arch = createArchitecture(id, cfg);
    const direct = architectureNtk(arch, points, { ensemble: 21, seed: 3, mode, method, chunkSize: 4 });
    expect(Array.from(direct.mean)).toEqual(g.mean);
    expect(Array.from(direct.nngp.stderr)).toEqual(g.nngpStderr);
    const spec: EnsembleSpec = { arch: { id, config: cfg }, points, ensemble: 21, chunkSize: 4, seed: 3 };
    const before = tf.memory().numTensors;
    const { partial } = await runEnsembleStatistic<EmpiricalNtkState>({ spec, estimator: { id: 'empirical-ntk', config: { mode, method } } });
    expect(tf.memory().numTensors).toBe(before);
    const r = empiricalNtkFromPartial(partial, arch);
    expect(Array.from(r.mean)).toEqual(g.mean);
    expect(Array.from(r.stderr)).toEqual(g.stderr);
    expect(Array.from(r.nngp.mean)).toEqual(g.nngp);
    expect(r.method).toBe(g.method);
    expect(r.M).toBe(21);
  });

  it('threads 2, shards 0/2 + 1/2, and checkpoint + abort + resume equal one run', async () => {
    const spec: EnsembleSpec = { arch: { id: 'relu-net', config: cases[0][2] }, points, ensemble: 21, chunkSize: 4, seed: 3 };
    const estimator = { id: 'empirical-ntk', config: { mode: 'trace', method: 'auto' } };
    const arch = createArchitecture('relu-net', cases[0][2]);
    const one = empiricalNtkFromPartial((await runEnsembleStatistic<EmpiricalNtkState>({ spec, estimator })).partial, arch);
    const close = (a: Float64Array, b: Float64Array) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
    const a = (await runEnsembleStatistic<EmpiricalNtkState>({ spec, estimator, shard: { index: 0, count: 2 } })).partial;
    const b = (await runEnsembleStatistic<EmpiricalNtkState>({ spec, estimator, shard: { index: 1, count: 2 } })).partial;
    const merged = empiricalNtkFromPartial(mergeEnsemblePartials<EmpiricalNtkState>([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]), arch);
    close(merged.mean, one.mean);
    close(merged.stderr, one.stderr);
    const t = empiricalNtkFromPartial((await runEnsembleStatistic<EmpiricalNtkState>({ spec, estimator, threads: 2 })).partial, arch);
    close(t.mean, one.mean);
    const ac = new AbortController();
    let saved: EnsemblePartial | undefined;
    let k = 0;
    await runEnsembleStatistic({ spec, estimator, signal: ac.signal, checkpoint: { every: 1, write: (p) => void (saved = JSON.parse(JSON.stringify(p))) } }, (e) => {
      if (e.type === 'progress' && ++k === 2) ac.abort();
    });
    expect(saved?.done).toEqual([0, 1]);
    const resumed = empiricalNtkFromPartial((await runEnsembleStatistic<EmpiricalNtkState>({ spec, estimator, resume: saved })).partial, arch);
    expect(Array.from(resumed.mean)).toEqual(Array.from(one.mean));
    expect(Array.from(resumed.stderr)).toEqual(Array.from(one.stderr));
  }, 90000);
});

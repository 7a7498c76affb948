import { lastValueFrom, toArray } from 'rxjs';
import { closeShardWorkers, initBackend, type NnsymEvent } from '@nnsym/core';
import { fromPartial, type CorrelatorPartial, type CorrelatorRunSpec } from './partial';
import { correlators$ } from './run';

// Two worker threads each load tfjs and (under jest) transpile the TypeScript sources: a few seconds each.
jest.setTimeout(60_000);

beforeAll(async () => {
  await initBackend();
});
afterAll(closeShardWorkers);

async function partialOf(opts: Parameters<typeof correlators$>[0]): Promise<{ partial: CorrelatorPartial; events: NnsymEvent[] }> {
  const events = await lastValueFrom(correlators$(opts).pipe(toArray()));
  const end = events[events.length - 1];
  if (end.type !== 'run-end') throw new Error('no run-end');
  return { partial: end.summary.partial, events };
}

/** Largest |a − b| / max(|a|, |b|, tiny) over two arrays. */
function maxRel(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]), 1e-300));
  return m;
}

describe('correlators$ with threads: 2 (worker_threads sharding)', () => {
  // 9 chunks of 250 (the last one 200): thread 0 takes chunks 0,2,4,6,8 and thread 1 takes 1,3,5,7.
  const spec: CorrelatorRunSpec = { arch: 'gauss-net', width: 20, dIn: 1, dOut: 1, sigmaW: 0.5, sigmaB: 0.5, parameterization: 'standard', inputs: [[-0.4], [0.1], [0.5]], orders: [2, 4], ensemble: 2200, chunkSize: 250, seed: 'threads-test', groups: 8 };

  it('merged T = 2 equals the T = 1 run with the same seed to float64 rounding', async () => {
    const one = await partialOf({ spec });
    const two = await partialOf({ spec, threads: 2 });
    expect(two.partial.done).toEqual(one.partial.done);
    expect(two.partial.complete).toBe(true);
    expect(two.partial.networks).toBe(2200);
    const a = fromPartial(one.partial);
    const b = fromPartial(two.partial);
    expect(Array.from(b.n)).toEqual(Array.from(a.n));
    // Same networks (chunk c from Rng.derive(seed, 'ensemble', c) in either thread; the worker's tfjs engine computes
    // the same float32 outputs), so only the order of the float64 Chan merges differs: relative 1e-12 is ~1e4 ulps,
    // while one different network out of 2200 would move the means by ~1e-4 relative.
    expect(maxRel(b.mean, a.mean)).toBeLessThan(1e-12);
    expect(maxRel(b.m2, a.m2)).toBeLessThan(1e-12);
    const progress = two.events.filter((e) => e.type === 'progress');
    expect(progress.length).toBe(9);
    expect(progress.map((e) => (e as { done: number }).done).sort((x, y) => x - y).pop()).toBe(2200);
  });

  it('composes with --shard: shard 1/2 over 2 threads equals shard 1/2 in one thread', async () => {
    const shard = { index: 1, count: 2 };
    const one = await partialOf({ spec, shard });
    const two = await partialOf({ spec, shard, threads: 2 });
    expect(two.partial.done).toEqual([1, 3, 5, 7]);
    expect(two.partial.done).toEqual(one.partial.done);
    expect(maxRel(fromPartial(two.partial).mean, fromPartial(one.partial).mean)).toBeLessThan(1e-12);
  });

  it('a worker error rejects the run with the worker\'s one-line UsageError', async () => {
    await expect(partialOf({ spec: { ...spec, arch: 'no-such-net' }, threads: 2 })).rejects.toMatchObject({ name: 'UsageError', message: expect.stringContaining('no-such-net') });
  });

  it('checkpoints with threads (core runner): the final checkpoint is the complete merged partial', async () => {
    const saved: CorrelatorPartial[] = [];
    const { partial: two } = await partialOf({ spec, threads: 2, checkpoint: { every: 2, write: (p) => void saved.push(JSON.parse(JSON.stringify(p)) as CorrelatorPartial) } });
    expect(saved.length).toBeGreaterThan(1);
    expect(saved[saved.length - 1]).toEqual(JSON.parse(JSON.stringify(two)));
    expect(two.complete).toBe(true);
  });
});

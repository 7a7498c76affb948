import { Rng } from '../rng/rng';
import { planEnsemble } from './plan';
import { OutputMoments } from './moments';
import { threadShard } from './threads';

describe('threadShard', () => {
  test('the T threads of shard i/n hold disjoint chunk sets whose union is exactly shard i/n', () => {
    for (const shard of [undefined, { index: 0, count: 3 }, { index: 2, count: 3 }]) {
      for (const T of [1, 2, 3]) {
        const whole = planEnsemble(1000, 10, shard).mine;
        const parts = Array.from({ length: T }, (_, t) => planEnsemble(1000, 10, threadShard(shard, t, T)).mine);
        const union = parts.flat().sort((a, b) => a - b);
        expect(union).toEqual(whole); // equal as sorted lists: disjoint (no duplicates) and covering
      }
    }
  });
});

describe('OutputMoments.merge', () => {
  test('merging shard states (through JSON) equals one accumulator over all networks to float64 rounding', () => {
    // Outputs with a large common offset (1e3) and unit spread: the shifts of the pieces differ by O(1), so the
    // binomial re-centring is exercised where cancellation would show (one lost network moves the mean ~1e-3).
    const rng = new Rng(11);
    const k = 4; // P = 2, d_out = 2
    const M = 503;
    const data = rng.normalArray(M * k, 1000, 1);
    const one = new OutputMoments(2, 2);
    for (let s = 0; s < M; s += 50) one.addOutputs(data.subarray(s * k, Math.min(M, s + 50) * k), Math.min(50, M - s));
    // Chunks of 50 dealt to 3 "threads" as c mod 3, accumulated apart and merged.
    const parts = [0, 1, 2].map(() => new OutputMoments(2, 2));
    for (let c = 0, s = 0; s < M; c++, s += 50) parts[c % 3].addOutputs(data.subarray(s * k, Math.min(M, s + 50) * k), Math.min(50, M - s));
    const merged = new OutputMoments(2, 2);
    for (const p of parts) merged.merge(JSON.parse(JSON.stringify(p.state())));
    const a = one.result();
    const b = merged.result();
    expect(b.count).toBe(M);
    for (const key of ['mean', 'variance', 'meanSE', 'varianceSE'] as const) {
      for (let j = 0; j < k; j++) expect(Math.abs(b[key][j] - a[key][j])).toBeLessThanOrEqual(1e-9 * Math.abs(a[key][j]));
    }
  });

  test('merging an empty accumulator is the identity; shapes must match', () => {
    const m = new OutputMoments(1, 1).addOutputs([1, 2, 4], 3);
    const before = m.result();
    m.merge(new OutputMoments(1, 1));
    expect(m.result()).toEqual(before);
    expect(new OutputMoments(1, 1).merge(m.state()).result()).toEqual(before);
    expect(() => m.merge(new OutputMoments(2, 1))).toThrow('shapes differ');
  });
});

import { plugins } from '@nnsym/core';
import { registerGroupPlugins, createSpecialOrthogonal, createPermutations } from '@nnsym/groups';
import type { GroupAction } from '@nnsym/groups';
import { referenceSource, runSymmetryStudy, runSymmetryStudyUntil } from './study';

registerGroupPlugins(plugins);

describe('runSymmetryStudy (measurement next to prediction)', () => {
  it('μ on output row 0 breaks SO(3); the predicted unbroken Stab(m) ≅ SO(2) is measured invariant; both agree', async () => {
    const r = await runSymmetryStudy({
      // x = 0.5: at x = 1 gauss-net's products are so heavy-tailed at N = 10 (E φ⁸ = e^48) that the verdict is
      // `inconclusive` (the Hill test says the paired differences have infinite variance), see decide.ts.
      ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 3000, breakMean: 1, breakRows: 1 },
      inputs: [Float64Array.of(0.5)],
      group: createSpecialOrthogonal(3),
      on: 'outputs',
      seed: 4,
      source: referenceSource,
    });
    expect(r.verdict).toBe('broken');
    expect(r.predicted).toBe('broken');
    expect(r.agree).toBe(true);
    expect(r.unbrokenSubgroup).toBe('Stab_SO(3)(m) ≅ SO(2)');
    expect(r.unbroken?.verdict).toBe('invariant');
    expect(r.unbroken?.agree).toBe(true);
  });

  it('names the unbroken subgroup of a finite group without testing it', async () => {
    const r = await runSymmetryStudy({
      ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 2000, breakMean: 1, breakRows: 1 },
      inputs: [Float64Array.of(0.5)],
      group: createPermutations(3),
      on: 'outputs',
      orders: [2],
      source: referenceSource,
    });
    expect(r.verdict).toBe('broken');
    expect(r.unbrokenSubgroup).toBe('Stab_S_3(m)');
    expect(r.unbroken).toBeUndefined();
  });

  it('a group without metadata: measured, no prediction, and an error when one is required', async () => {
    const bare = { ...createSpecialOrthogonal(2), id: 'external', name: 'external', orthogonal: undefined } as unknown as GroupAction;
    const opts = { ensemble: { arch: 'gauss-net', dIn: 1, dOut: 2, width: 5, networks: 500 }, inputs: [Float64Array.of(1)], group: bare, on: 'outputs' as const, orders: [2], source: referenceSource };
    const r = await runSymmetryStudy(opts);
    expect(r.predicted).toBe('unknown');
    expect(r.agree).toBeNull();
    await expect(runSymmetryStudy({ ...opts, requirePrediction: true })).rejects.toThrow(/--predict: group "external" \(external\) declares no relation to O\(n\)/);
  });
});

describe('runSymmetryStudyUntil (abort signal, safe points between chunks)', () => {
  const opts = () => ({
    ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 3000, breakMean: 1, breakRows: 1 },
    inputs: [Float64Array.of(0.5)],
    group: createSpecialOrthogonal(3) as GroupAction,
    on: 'outputs' as const,
    seed: 4,
    maxComponents: 60,
    source: referenceSource,
  });

  it('with a signal that never aborts gives runSymmetryStudy\'s result exactly (the safe points change no number)', async () => {
    const plain = await runSymmetryStudy(opts());
    const r = await runSymmetryStudyUntil({ ...opts(), signal: new AbortController().signal });
    expect(r.complete).toBe(true);
    expect(r.networks).toBe(3000);
    expect(r.result).toEqual(plain);
  }, 60_000);

  it('aborted before the start stops after the first chunk (1000 networks): that test equals a study of 1000 networks', async () => {
    const ac = new AbortController();
    ac.abort();
    const seen: number[] = [];
    const r = await runSymmetryStudyUntil({ ...opts(), signal: ac.signal, onProgress: (d) => seen.push(d) });
    expect(r.complete).toBe(false);
    expect(r.networks).toBe(1000); // the reference evaluator's chunks of 1000 networks, seeded by chunk index
    expect(seen).toEqual([1000]);
    expect(r.result?.unbroken).toBeUndefined(); // the unbroken subgroup's test was not run
    // The same design (seeded by the seed and the group alone, components capped at 60 in both) on the first chunk.
    const small = await runSymmetryStudy({ ...opts(), ensemble: { ...opts().ensemble, networks: 1000 }, testUnbroken: false });
    expect(r.result).toEqual(small);
  }, 60_000);
});

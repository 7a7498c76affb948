import { initBackend, tf, plugins } from '@nnsym/core';
import { parseInitSpec } from '@nnsym/distributions';
import { registerGroupPlugins, createSpecialOrthogonal, createSignFlips } from '@nnsym/groups';
import { parameterSideFromInit, studyArchitecture, studyInitSpec } from './core-source';
import { predictInvariance } from './predict';
import { runSymmetryStudy } from './study';

registerGroupPlugins(plugins);

describe('parameter side from @nnsym/distributions declarations', () => {
  const e = { arch: 'gauss-net', dIn: 2, dOut: 5, width: 4, networks: 10 };

  it('mean-rows(k=1, mu=0.5): the mean columns of W_out are 0.5 e0; SO(5) broken to SO(4)', () => {
    const side = parameterSideFromInit(studyArchitecture(e), studyInitSpec({ ...e, breakMean: 0.5, breakRows: 1 }));
    expect(side.last.invariance).toBe('orthogonal');
    expect(side.last.means).toContainEqual([0.5, 0, 0, 0, 0]);
    const p = predictInvariance(createSpecialOrthogonal(5), 'outputs', [2], side);
    expect(p.predicted).toBe('broken');
    expect(p.unbrokenSubgroup?.name).toBe('Stab_SO(5)(m) ≅ SO(4)');
  });

  it('a Laplace W_out declares signed permutations only: SO(5) predicted broken, Z2^5 invariant', () => {
    const side = parameterSideFromInit(studyArchitecture(e), { ...parseInitSpec('Wout=laplace') });
    expect(side.last.invariance).toBe('signed-permutation');
    expect(predictInvariance(createSpecialOrthogonal(5), 'outputs', [2], side).predicted).toBe('broken');
    expect(predictInvariance(createSignFlips(5), 'outputs', [2], side).predicted).toBe('invariant');
  });
});

describe("core's tfjs ensemble runner as the source", () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('SO(3) outputs: invariant at μ = 0, broken at μ = 1 with SO(2) surviving; no tensor leak', async () => {
    const before = tf.memory().numTensors;
    const base = { inputs: [Float64Array.of(1)], group: createSpecialOrthogonal(3), on: 'outputs' as const, orders: [2], seed: 3 };
    const inv = await runSymmetryStudy({ ...base, ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 3000 } });
    expect(inv.verdict).toBe('invariant');
    expect(inv.precision).toMatch(/float32 \(tfjs/);
    const br = await runSymmetryStudy({ ...base, ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 10, networks: 3000, breakMean: 1 } });
    expect(br.verdict).toBe('broken');
    expect(br.unbroken?.verdict).toBe('invariant');
    expect(tf.memory().numTensors).toBe(before);
  });
});

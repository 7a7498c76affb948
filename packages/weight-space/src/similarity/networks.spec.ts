import { Rng } from '@nnsym/core';
import { zeros } from '@nnsym/numerics';
import { sampleFamilyMember } from '../intertwiners/families';
import type { MlpF64 } from '../nets/mlp';
import { applyIntertwiner } from '../intertwiners/weight-space';
import { compareNetworks, pairwiseComparison } from './networks';

const relu = (v: number) => Math.max(0, v);
function randomMlp(sizes: number[], seed: number): MlpF64 {
  const rng = new Rng(seed);
  return {
    sigma: relu,
    activation: 'relu',
    layers: sizes.slice(1).map((out, l) => {
      const w = zeros(out, sizes[l]);
      rng.fillNormal(w.data, 0, 1 / Math.sqrt(sizes[l]));
      return { in: sizes[l], out, W: w.data, b: rng.fillNormal(new Float64Array(out), 0, 0.3) };
    }),
  };
}

describe('comparing networks layer by layer', () => {
  const x = zeros(50, 4);
  new Rng(0).fillNormal(x.data);
  const a = randomMlp([4, 9, 7, 2], 1);
  const { a: g } = sampleFamilyMember('positive-scaling', 9, new Rng(2));
  const ga = applyIntertwiner(a, 0, g, g);
  it('a G_relu-transformed copy is identical for the G_relu metrics; CKA sees the rescaled layer', () => {
    const rows = compareNetworks(a, ga, x, ['cka', 'procrustes', 'grelu-cka', 'grelu-procrustes']);
    expect(rows[0].values['grelu-cka']).toBeCloseTo(1, 12);
    expect(rows[0].values['grelu-procrustes']).toBeLessThan(1e-7);
    // CKA is not invariant to non-uniform scaling, so it sees the transformed layer 0 as different...
    expect(rows[0].values.cka as number).toBeLessThan(0.9999);
    // ...while layer 1 is untouched by an action on layer 0.
    expect(rows[1].values.cka).toBeCloseTo(1, 12);
    expect(rows[1].values.procrustes as number).toBeLessThan(1e-7);
  });

  it('pairwise summaries over several networks; architecture mismatches are one-line errors', () => {
    const nets = [a, randomMlp([4, 9, 7, 2], 3), randomMlp([4, 9, 7, 2], 4)];
    const s = pairwiseComparison(nets, x, ['grelu-cka']);
    expect(s.map((r) => r.layer)).toEqual([0, 1]);
    expect(s[0].pairs).toBe(3);
    expect(s[0].matrix[1][1]).toBeCloseTo(1, 12);
    expect(s[0].matrix[0][2]).toBe(s[0].matrix[2][0]);
    expect(s[0].mean).toBeLessThan(1);
    expect(() => compareNetworks(a, randomMlp([4, 9, 2], 5), x, ['cka'])).toThrow(/--b: different architectures \(4-9-7-2 vs 4-9-2\)/);
    expect(() => compareNetworks(a, a, zeros(5, 3), ['cka'])).toThrow(/inputs have 3 features but the networks take 4/);
    expect(() => compareNetworks(a, a, x, ['cka'], [2])).toThrow(/^layer must be a hidden layer in 0..1, got 2/);
  });
});

describe('rotation control', () => {
  it('rotating one side leaves CKA unchanged and changes G_relu-CKA', () => {
    const x = zeros(60, 4);
    new Rng(0).fillNormal(x.data);
    const nets = [randomMlp([4, 9, 2], 1), randomMlp([4, 9, 2], 2), randomMlp([4, 9, 2], 3)];
    const s = pairwiseComparison(nets, x, ['cka', 'grelu-cka'], { rotationControl: 7 });
    const cka = s.find((r) => r.metric === 'cka');
    const g = s.find((r) => r.metric === 'grelu-cka');
    expect(cka?.control?.mean).toBeCloseTo(cka?.mean as number, 12);
    expect(g?.control?.mean).not.toBeCloseTo(g?.mean as number, 3);
  });
});

describe('pairwise Gram caching', () => {
  it('gives the same numbers as one comparison at a time', () => {
    const x = zeros(40, 4);
    new Rng(1).fillNormal(x.data);
    const nets = [randomMlp([4, 6, 2], 1), randomMlp([4, 6, 2], 2), randomMlp([4, 6, 2], 3)];
    const metrics = ['cka-unbiased', 'rbf-cka', 'grelu-cka'] as const;
    const s = pairwiseComparison(nets, x, metrics, { rotationControl: 3 });
    for (const m of metrics) {
      const r = s.find((e) => e.metric === m);
      expect(r?.matrix[0][2]).toBeCloseTo(compareNetworks(nets[0], nets[2], x, [m])[0].values[m] as number, 12);
    }
  });
});

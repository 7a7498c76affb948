import { PluginHost, Rng, plugins } from '@nnsym/core';
import { det, eyeSquare, matmulSquare, maxAbsDiff, orthogonalityError } from '@nnsym/numerics';
import { runGroupActionConformance } from './testing';
import { registerGroupPlugins, builtinGroupPlugins } from './register-all';
import { createSpecialOrthogonal } from './so';
import { createOrthogonal } from './o';
import { createPermutations } from './sym';
import { createCyclic } from './cyclic';
import { createSignFlips } from './sign-flips';
import { createTranslations } from './translations';
import { createScalings } from './scalings';
import { createStabiliser } from './stabiliser';
import { directProduct } from './direct-product';
import { contractCorrelator, transformOutputs } from './correlator-transform';
import { groupForSpace } from './create';
import type { GroupAction } from './types';

registerGroupPlugins(plugins);

const e = (n: number, a: number) => Float64Array.from({ length: n }, (_, i) => (i === a ? 1 : 0));

const cases: [string, GroupAction][] = [
  ['SO(1)', createSpecialOrthogonal(1)],
  ['SO(2)', createSpecialOrthogonal(2)],
  ['SO(5)', createSpecialOrthogonal(5)],
  ['O(1)', createOrthogonal(1)],
  ['O(4)', createOrthogonal(4)],
  ['S_4', createPermutations(4)],
  ['C_5', createCyclic(5)],
  ['Z2^3', createSignFlips(3)],
  ['T(3)', createTranslations(3)],
  ['R+(3)', createScalings(3)],
  ['Stab(e0) in SO(5)', createStabiliser(5, [e(5, 0)])],
  ['Stab(e0+e1) in SO(4)', createStabiliser(4, [Float64Array.of(1, 1, 0, 0)])],
  ['Stab(e0,e1) in SO(4) = SO(2)', createStabiliser(4, [e(4, 0), e(4, 1)])],
  ['Stab(3 vectors) in SO(4), trivial', createStabiliser(4, [e(4, 0), e(4, 1), Float64Array.of(0, 1, 1, 0)])],
  ['SO(2) × S_3', directProduct([createSpecialOrthogonal(2), createPermutations(3)])],
  ['C_3 × Z2^2', directProduct([createCyclic(3), createSignFlips(2)])],
  ['T(2) × R+(1)', directProduct([createTranslations(2), createScalings(1)])],
];

describe('group action conformance', () => {
  it.each(cases)('%s passes', (_label, g) => {
    expect(runGroupActionConformance(g, { seed: 1, haarSamples: 3000 })).toEqual([]);
  });

  it.each(builtinGroupPlugins.map((p) => [p.meta.id, p] as const))('plugin %s passes with its default-ish config', (id, p) => {
    const config = id === 'direct-product' ? {} : { n: 3 };
    expect(runGroupActionConformance(p, { config, haarSamples: 1000 })).toEqual([]);
  });

  it('detects a broken group: a "rotation" sampler that is not Haar, and a wrong compose', () => {
    const so3 = createSpecialOrthogonal(3);
    // Not Haar: always a rotation about the z axis, so E[R_22] = 1, not 0.
    const biased: GroupAction<Float64Array> = { ...so3, sample: (rng) => so3.exp!(Float64Array.of(rng.normal() * 3, 0, 0)) };
    expect(runGroupActionConformance(biased).join('\n')).toMatch(/Haar moments off/);
    const wrongOrder: GroupAction<Float64Array> = { ...so3, compose: (g, h) => matmulSquare(h, g, 3) };
    expect(runGroupActionConformance(wrongOrder).join('\n')).toMatch(/homomorphism/);
    expect(() => runGroupActionConformance(wrongOrder, { throwOnFailure: true })).toThrow(/group action conformance failed/);
  });
});

describe('Haar sampling of SO(n) and O(n)', () => {
  it('gives orthogonal matrices with det +1 for SO(n), both signs for O(n) in equal proportion', () => {
    const rng = new Rng(3);
    const so = createSpecialOrthogonal(4);
    const o = createOrthogonal(4);
    let negative = 0;
    const draws = 2000;
    for (let t = 0; t < draws; t++) {
      const r = so.sample(rng);
      expect(orthogonalityError(r, 4)).toBeLessThan(1e-12);
      expect(det(r, 4)).toBeCloseTo(1, 10);
      if (det(o.sample(rng), 4) < 0) negative++;
    }
    // Binomial(2000, 1/2): sd = sqrt(2000)/2 ≈ 22.4; 5 sd.
    expect(Math.abs(negative - draws / 2)).toBeLessThan((5 * Math.sqrt(draws)) / 2);
  });

  it('has the Haar distribution of the rotation angle in SO(2) (uniform: E[cos θ] = 0, E[cos² θ] = 1/2, E[cos 2θ] = 0)', () => {
    const rng = new Rng(5);
    const so2 = createSpecialOrthogonal(2);
    let c2 = 0;
    const draws = 20000;
    for (let t = 0; t < draws; t++) {
      const r = so2.sample(rng);
      c2 += 2 * r[0] * r[0] - 1; // cos 2θ
    }
    // cos 2θ has variance 1/2 under the uniform law: se = sqrt(0.5/draws).
    expect(Math.abs(c2 / draws)).toBeLessThan(5 * Math.sqrt(0.5 / draws));
  });

  it('exp of a so(3) generator is the rotation by that angle (Rodrigues)', () => {
    const so3 = createSpecialOrthogonal(3);
    const theta = 0.9;
    // Generator L_01 = E_01 − E_10: exp(θ L) = [[cos, sin, 0], [−sin, cos, 0], [0, 0, 1]].
    const r = so3.exp!(Float64Array.of(theta, 0, 0));
    const expected = Float64Array.of(Math.cos(theta), Math.sin(theta), 0, -Math.sin(theta), Math.cos(theta), 0, 0, 0, 1);
    expect(maxAbsDiff(r, expected)).toBeLessThan(1e-14);
  });
});

describe('stabiliser', () => {
  it('fixes μ and rotates its complement', () => {
    const mu = Float64Array.of(0.3, -1, 2, 0.5, 0);
    const g = createStabiliser(5, [mu]);
    expect(g.lieDimension).toBe(6); // dim so(4)
    const rng = new Rng(9);
    const r = g.matrix!(g.sample(rng));
    const rmu = new Float64Array(5);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) rmu[i] += r[i * 5 + j] * mu[j];
    expect(maxAbsDiff(rmu, mu)).toBeLessThan(1e-12);
    expect(g.isMember(createSpecialOrthogonal(5).sample(rng))).toBe(false);
  });

  it('registry version checks its config', () => {
    expect(() => groupForSpace('stabiliser', { fix: [[0, 0, 0, 0, 0]] }, { on: 'outputs', dimension: 5, flag: '--d-out' })).toThrow(
      /linearly independent/,
    );
  });
});

describe('output representation on correlators', () => {
  it('an isotropic 2-pt and 4-pt tensor (δ_ab, δ_ab δ_cd + δ_ac δ_bd + δ_ad δ_bc) are invariant under SO(3), a non-isotropic one is not', () => {
    const d = 3;
    const rng = new Rng(2);
    const r = createSpecialOrthogonal(d).sample(rng);
    expect(maxAbsDiff(contractCorrelator(r, d, 2, eyeSquare(d)), eyeSquare(d))).toBeLessThan(1e-12);
    const g4 = new Float64Array(d ** 4);
    const dl = (a: number, b: number) => (a === b ? 1 : 0);
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        for (let c = 0; c < d; c++)
          for (let f = 0; f < d; f++) {
            g4[((a * d + b) * d + c) * d + f] = dl(a, b) * dl(c, f) + dl(a, c) * dl(b, f) + dl(a, f) * dl(b, c);
          }
    expect(maxAbsDiff(contractCorrelator(r, d, 4, g4), g4)).toBeLessThan(1e-12);
    const aniso = Float64Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3);
    expect(maxAbsDiff(contractCorrelator(r, d, 2, aniso), aniso)).toBeGreaterThan(1e-3);
  });

  it('transforming outputs network by network and then averaging equals contracting the averaged 2-pt tensor', () => {
    const d = 3;
    const rng = new Rng(4);
    const r = createSpecialOrthogonal(d).sample(rng);
    const m = 50;
    const f = Float64Array.from({ length: m * d }, () => rng.normal());
    const g2 = (x: Float64Array) => {
      const out = new Float64Array(d * d);
      for (let k = 0; k < m; k++)
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[a * d + b] += (x[k * d + a] * x[k * d + b]) / m;
      return out;
    };
    expect(maxAbsDiff(g2(transformOutputs(r, d, f)), contractCorrelator(r, d, 2, g2(f)))).toBeLessThan(1e-12);
  });
});

describe('registry and bad input', () => {
  it('registers every built-in in a fresh host and names the closest id for an unknown group', () => {
    const host = new PluginHost();
    registerGroupPlugins(host);
    expect(host.kind('group-action').ids()).toEqual(builtinGroupPlugins.map((p) => p.meta.id));
    expect(() => groupForSpace('so3', {}, { on: 'inputs', dimension: 3, flag: '--d-in' }, host)).toThrow(
      /unknown group-action "so3" \(did you mean "so"\?\)/,
    );
  });

  it('refuses a dimension mismatch and a non-linear group on outputs, naming the mismatch', () => {
    expect(() => groupForSpace('so', { n: 4 }, { on: 'outputs', dimension: 5, flag: '--d-out' })).toThrow(
      'group so: SO(4) acts on R^4 but the outputs have dimension 5 (--d-out 5)',
    );
    expect(() => groupForSpace('translations', {}, { on: 'outputs', dimension: 2, flag: '--d-out' })).toThrow(/does not act on outputs/);
  });

  it('S_3 has 6 distinct elements whose matrices are permutation matrices', () => {
    const s3 = createPermutations(3);
    const els = s3.elements!();
    expect(els).toHaveLength(6);
    for (const p of els) expect(orthogonalityError(s3.matrix!(p), 3)).toBe(0);
    expect(Array.from(s3.act(Int32Array.of(1, 2, 0), Float64Array.of(10, 20, 30)))).toEqual([30, 10, 20]);
  });
});

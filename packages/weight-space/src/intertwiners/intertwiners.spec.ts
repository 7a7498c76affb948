import { z } from 'zod';
import { PluginHost, registerCorePlugins, Rng } from '@nnsym/core';
import { matmul, zeros, type Mat } from '@nnsym/numerics';
import { resolveScalarActivation } from './activation';
import { discoverIntertwiners } from './discover';
import { sampleFamilyMember } from './families';
import { HAND_DERIVED_ACTIVATIONS, handDerivedIntertwiners, type HandDerivedActivation } from './hand-derived';
import { referenceActivation } from './reference-activations';
import { INTERTWINER_FAMILIES, phiEntry } from './types';
import type { ScalarFn } from '@nnsym/numerics';

const cases: { name: HandDerivedActivation; degree?: number; label: string }[] = [
  ...HAND_DERIVED_ACTIVATIONS.filter((a) => a !== 'power').map((name) => ({ name, label: name })),
  { name: 'power', degree: 2, label: 'x^2' },
  { name: 'power', degree: 3, label: 'x^3' },
  { name: 'power', degree: 4, label: 'x^4' },
];

// The activations under test come from the registry (core's built-ins, as any plugin would); exp(-x^2) is not
// registered and uses its float64 reference form. The references are cross-checked against the registry below.
const host = new PluginHost();
registerCorePlugins(host);
function sigmaFor(name: HandDerivedActivation, degree?: number): ScalarFn {
  if (!host.kind('activation').has(name)) return referenceActivation(name, degree);
  return resolveScalarActivation(name, { host, config: name === 'power' ? { degree } : {} }).scalar;
}

/** max |sigma(A x) - phi(A) sigma(x)| over random x, with phi(A) built entrywise from the hand-derived phi. */
function equationGap(sigma: ScalarFn, a: Mat, phiA: Mat, rng: Rng): number {
  const n = a.rows;
  const x = zeros(n, 64);
  rng.fillNormal(x.data, 0, 2);
  const lhs = matmul(a, x).data.map(sigma);
  const rhs = matmul(phiA, { rows: n, cols: 64, data: x.data.map(sigma) }).data;
  let gap = 0;
  for (let i = 0; i < lhs.length; i++) gap = Math.max(gap, Math.abs(lhs[i] - rhs[i]) / Math.max(1, Math.abs(lhs[i])));
  return gap;
}

describe('erf and gelu references (core erf)', () => {
  it('match known values', () => {
    const erf = referenceActivation('erf');
    const gelu = referenceActivation('gelu');
    // erf(0.5) = 0.5204998778130465, erf(1) = 0.8427007929497149, erf(3) = 0.9999779095030014 (A&S table 7.1)
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(-3)).toBeCloseTo(-0.9999779095030014, 14);
    // gelu(sqrt 2) = (sqrt 2 / 2)(1 + erf 1) = 1.3029862263925718
    expect(gelu(Math.SQRT2)).toBeCloseTo((Math.SQRT2 / 2) * (1 + 0.8427007929497149), 14);
  });
});

describe('intertwiner groups: numerical discovery agrees with the hand-derived table', () => {
  it('the registry holds every hand-derived activation but exp(-x^2), and its scalars match the references', () => {
    const missing = HAND_DERIVED_ACTIVATIONS.filter((a) => !host.kind('activation').has(a));
    expect(missing).toEqual(['gaussian']);
    for (const { name, degree } of cases) {
      const ref = referenceActivation(name, degree);
      const reg = sigmaFor(name, degree);
      for (let t = -6; t <= 6; t += 0.37) expect(Math.abs(reg(t) - ref(t))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref(t))));
    }
  });

  it.each(cases)('$label', ({ name, degree }) => {
    const sigma = sigmaFor(name, degree);
    const found = discoverIntertwiners(sigma, { seed: 1 });
    const expected = handDerivedIntertwiners(name, { degree });
    expect(found.families).toEqual(expected.families);
    expect(found.phi.kind).toBe(expected.phi.kind);
    if (expected.phi.kind === 'power') expect(found.phi).toMatchObject({ degree });
    // The decision is not marginal: holding families fit to rounding, failing ones miss by orders of magnitude.
    for (const f of INTERTWINER_FAMILIES) {
      if (expected.families[f]) expect(found.evidence[f].maxResidual).toBeLessThan(1e-10);
      else expect(found.evidence[f].maxResidual).toBeGreaterThan(1e-4);
    }
  });

  it.each(cases)('$label: sigma(A x) = phi(A) sigma(x) for members of each holding family (direct check)', ({ name, degree }) => {
    const sigma = sigmaFor(name, degree);
    const table = handDerivedIntertwiners(name, { degree });
    const rng = new Rng(9);
    for (const f of INTERTWINER_FAMILIES) {
      for (let t = 0; t < 3; t++) {
        const { a } = sampleFamilyMember(f, 5, rng.fork(f, t));
        // phi acts entrywise on generalised permutations; on GL_n only the identity phi is defined here.
        const phiA = f === 'general-linear' ? a : { ...a, data: a.data.map((v) => phiEntry(table.phi, v)) };
        const gap = equationGap(sigma, a, phiA, rng.fork('x', f, t));
        if (table.families[f]) expect(gap).toBeLessThan(1e-12);
        else expect(gap).toBeGreaterThan(1e-3);
      }
    }
  });

  it('is reproducible for a seed and reports float64', () => {
    const a = discoverIntertwiners(Math.tanh, { seed: 'abc' });
    const b = discoverIntertwiners(Math.tanh, { seed: 'abc' });
    expect(a.evidence).toEqual(b.evidence);
    expect(a.precision).toBe('float64');
  });

  it('rejects degenerate activations and bad options with one-line errors', () => {
    expect(() => discoverIntertwiners(() => 1)).toThrow(/degenerate/);
    expect(() => discoverIntertwiners(Math.tanh, { n: 1 })).toThrow(/n must be/);
    expect(() => discoverIntertwiners(() => NaN)).toThrow(/returned NaN/);
  });
});

describe('activations from a registry (built-in or from outside the repo)', () => {
  it('resolves an activation object and a plugin with config, and discovers its group', () => {
    const host = new PluginHost();
    // An "external" activation registered as the instance itself: softsign, odd -> sign flips only.
    host.register({
      meta: { id: 'softsign', kind: 'activation', description: 'x / (1 + |x|)', version: '1.0.0' },
      configSchema: z.object({}),
      create: () => ({}),
      id: 'softsign',
      apply: (t: unknown) => t,
      scalar: (x: number) => x / (1 + Math.abs(x)),
      traits: {},
    } as never);
    // A plugin whose create(config) returns the activation: cube with a configurable degree.
    host.register({
      meta: { id: 'monomial', kind: 'activation', description: 'x^d', version: '1.0.0' },
      configSchema: z.object({ degree: z.number().int().positive().default(3) }),
      create: ({ degree }: { degree: number }) => ({
        id: 'monomial',
        apply: (t: unknown) => t,
        scalar: (x: number) => x ** degree,
        traits: {},
      }),
    });
    const soft = discoverIntertwiners(resolveScalarActivation('softsign', { host }).scalar);
    expect(soft.families).toEqual(handDerivedIntertwiners('tanh').families);
    const cube = discoverIntertwiners(resolveScalarActivation('monomial', { host, config: { degree: 5 } }).scalar);
    expect(cube.phi).toMatchObject({ kind: 'power', degree: 5 });
    expect(() => resolveScalarActivation('rleu', { host })).toThrow(/^activation: unknown activation "rleu"/);
  });
});

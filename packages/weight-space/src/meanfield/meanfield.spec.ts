import {
  createCyclic,
  createPermutations,
  createSignFlips,
  createSpecialOrthogonal,
  createStabiliser,
  createTranslations,
} from '@nnsym/groups';
import { fixedPointSubspace } from './fixed-point';
import { mfAccumulateGrad, mfForward, randomParticles } from './model';
import { mmd2, siDistance2, wiDistance2 } from './distances';
import { averagingElements, teacherParticles, trainMeanField } from './train';

describe('fixed-point subspace E^G', () => {
  // Hand-derived: a vector fixed by every cyclic shift (or permutation) has equal entries -> span(1), dim 1;
  // fixed by every sign flip -> w_i = -w_i -> {0}; fixed by SO(n), n >= 2 -> {0} (SO(n) is transitive on spheres);
  // the stabiliser of e_0 in SO(n) fixes exactly span(e_0) (it acts as SO(n-1) on e_0's complement).
  it.each([
    ['C_4', () => createCyclic(4), 1],
    ['S_3', () => createPermutations(3), 1],
    ['Z2^3', () => createSignFlips(3), 0],
    ['SO(3)', () => createSpecialOrthogonal(3), 0],
    ['SO(2)', () => createSpecialOrthogonal(2), 0],
  ] as const)('%s has the hand-derived dimension', (_name, make, dim) => {
    const E = fixedPointSubspace(make());
    expect(E.dimension).toBe(dim);
  });

  it('C_4: the basis is (1,1,1,1)/2 and P is the averaging projector', () => {
    const E = fixedPointSubspace(createCyclic(4));
    const b = E.basis[0];
    const sign = Math.sign(b[0]);
    for (let i = 0; i < 4; i++) expect(sign * b[i]).toBeCloseTo(0.5, 12);
    for (let i = 0; i < 16; i++) expect(E.projector[i]).toBeCloseTo(0.25, 12);
  });

  it('the stabiliser of e_0 in SO(4) fixes span(e_0)', () => {
    const E = fixedPointSubspace(createStabiliser(4, [Float64Array.of(1, 0, 0, 0)]));
    expect(E.dimension).toBe(1);
    expect(Math.abs(E.basis[0][0])).toBeCloseTo(1, 10);
  });

  it('a non-linear action (translations) is refused with a clear message', () => {
    expect(() => fixedPointSubspace(createTranslations(3) as never)).toThrow(/linear action/);
  });
});

describe('distances', () => {
  const d = 3;
  const D = d + 2;
  const P = randomParticles(40, d, 1);
  const g = createCyclic(3);
  const els = averagingElements(g).matrices;

  it('MMD^2 is 0 between a set and itself and positive between different laws', () => {
    expect(mmd2(P, 40, P, 40, D)).toBeLessThan(1e-15);
    const Q = randomParticles(40, d, 2).map((v) => v + 1);
    expect(mmd2(P, 40, Q, 40, D)).toBeGreaterThan(0.05);
  });

  it('a union of G-orbits is exactly WI; a projected law is exactly SI; generic laws are neither', () => {
    const E = fixedPointSubspace(g);
    const wi = teacherParticles('wi', d, 10, E, els, 3);
    const images = els.map((M) => {
      const out = wi.theta.slice();
      for (let i = 0; i < wi.n; i++)
        for (let r = 0; r < d; r++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += M[r * d + c] * wi.theta[i * D + 1 + c];
          out[i * D + 1 + r] = s;
        }
      return out;
    });
    expect(wiDistance2(wi.theta, wi.n, images, D)).toBeLessThan(1e-14);
    const si = teacherParticles('si', d, 10, E, els, 3);
    const arb = teacherParticles('arbitrary', d, 10, E, els, 3);
    expect(siDistance2(si.theta, si.theta, si.n, D)).toBeLessThan(1e-15);
    expect(siDistance2(arb.theta, si.theta, 10, D)).toBeGreaterThan(1e-3);
  });
});

describe('mean-field training', () => {
  it('the particle gradient matches finite differences of the risk', () => {
    const d = 3;
    const net = { n: 5, d, theta: randomParticles(5, d, 4), sigma: Math.tanh, dsigma: (z: number) => 1 - Math.tanh(z) ** 2 };
    const x = Float64Array.of(0.3, -1.2, 0.7);
    const y = 0.4;
    const grad = new Float64Array(net.theta.length);
    const r = mfForward(net, x) - y;
    mfAccumulateGrad(net, x, 0, r, 1, grad);
    // mfAccumulateGrad returns N * d(1/2 r^2)/d theta (the mean-field time scaling).
    const h = 1e-6;
    for (let i = 0; i < net.theta.length; i++) {
      const t0 = net.theta[i];
      net.theta[i] = t0 + h;
      const lp = 0.5 * (mfForward(net, x) - y) ** 2;
      net.theta[i] = t0 - h;
      const lm = 0.5 * (mfForward(net, x) - y) ** 2;
      net.theta[i] = t0;
      expect(grad[i] / net.n).toBeCloseTo((lp - lm) / (2 * h), 8);
    }
  });

  it('EA and FA from an SI start stay exactly in E^G; free SGD leaves it at finite N; all reduce the risk', () => {
    // FA: for theta in E^G, mean_g grad_w sigma_*(g x; theta) = a sigma'(w.x + b) P x lies in E^G, so FA preserves
    // SI laws exactly, batch by batch. Free SGD on a finite batch does not.
    const base = {
      group: createCyclic(4),
      width: 60,
      teacher: 'wi' as const,
      steps: 150,
      lr: 0.2,
      init: 'si' as const,
      seed: 5,
      batch: 16,
    };
    const ea = trainMeanField({ ...base, scheme: 'ea' });
    const fa = trainMeanField({ ...base, scheme: 'fa' });
    const vanilla = trainMeanField({ ...base, scheme: 'vanilla' });
    expect(ea.final.offFixed).toBeLessThan(1e-25);
    expect(fa.final.offFixed).toBeLessThan(1e-20);
    expect(vanilla.final.offFixed).toBeGreaterThan(1e-4);
    for (const r of [ea, fa, vanilla]) expect(r.final.risk).toBeLessThan(0.7 * r.records[0].risk);
    expect(ea.fixedPoint).toMatchObject({ dimension: 1, unitDimension: 3 });
  });

  it('an empty fixed-point subspace is reported plainly for EA and SI teachers', () => {
    expect(() => trainMeanField({ group: createSignFlips(3), width: 10, teacher: 'wi', scheme: 'ea', steps: 1, lr: 0.1 })).toThrow(
      /dimension 0/,
    );
    expect(() => trainMeanField({ group: createSignFlips(3), width: 10, teacher: 'si', scheme: 'vanilla', steps: 1, lr: 0.1 })).toThrow(
      /dimension 0/,
    );
  });
});

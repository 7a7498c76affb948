import { PluginHost, registerCorePlugins, Rng } from '@nnsym/core';
import { frobenius, matmul, matSub as sub, zeros, type Mat } from '@nnsym/numerics';
import { resolveScalarActivation } from './activation';
import { alignMlp, isPositivelyHomogeneous } from './align';
import { sampleFamilyMember } from './families';
import { handDerivedIntertwiners, type HandDerivedActivation } from './hand-derived';
import { forwardMlp, type MlpF64 } from '../nets/mlp';
import { referenceActivation } from './reference-activations';
import { INTERTWINER_FAMILIES, phiEntry } from './types';
import { applyIntertwiner, functionDiscrepancy } from './weight-space';

// Activations from the registry (core's built-ins); exp(-x^2) is not registered and uses its reference form.
const host = new PluginHost();
registerCorePlugins(host);
const sigmaFor = (name: HandDerivedActivation, degree?: number) =>
  host.kind('activation').has(name)
    ? resolveScalarActivation(name, { host, config: name === 'power' ? { degree } : {} }).scalar
    : referenceActivation(name, degree);

function randomMlp(sizes: number[], sigma: (z: number) => number, seed: number, activation?: string): MlpF64 {
  const rng = new Rng(seed);
  return {
    sigma,
    // An id for the record only: phi is `sigma` (some of these activations are not registered).
    activation: activation ?? 'custom',
    layers: sizes.slice(1).map((out, l) => {
      const w = zeros(out, sizes[l]);
      rng.fillNormal(w.data, 0, 1 / Math.sqrt(sizes[l]));
      return { in: sizes[l], out, W: w.data, b: rng.fillNormal(new Float64Array(out), 0, 0.5) };
    }),
  };
}
const inputs = (n: number, d: number, seed: number): Mat => {
  const x = zeros(n, d);
  new Rng(seed).fillNormal(x.data);
  return x;
};

describe('weight-space action of intertwiners', () => {
  const cases: { name: HandDerivedActivation; degree?: number }[] = [
    { name: 'relu' },
    { name: 'leaky-relu' },
    { name: 'tanh' },
    { name: 'gelu' },
    { name: 'sigmoid' },
    { name: 'gaussian' },
    { name: 'power', degree: 3 },
    { name: 'identity' },
  ];
  it.each(cases)('$name: every holding family leaves the function unchanged; failing families change it', ({ name, degree }) => {
    const sigma = sigmaFor(name, degree);
    const table = handDerivedIntertwiners(name, { degree });
    const net = randomMlp([5, 6, 6, 3], sigma, 1);
    const x = inputs(40, 5, 2);
    const rng = new Rng(3);
    for (const f of INTERTWINER_FAMILIES) {
      for (const layer of [0, 1]) {
        const { a } = sampleFamilyMember(f, 6, rng.fork(f, layer));
        const phiA = f === 'general-linear' ? a : { ...a, data: a.data.map((v) => phiEntry(table.phi, v)) };
        const moved = applyIntertwiner(net, layer, a, phiA);
        const gap = functionDiscrepancy(net, moved, x);
        if (table.families[f]) {
          expect(gap).toBeLessThan(1e-12);
          // ...while the hidden representation moves to phi(A) h (rows of h are samples: h' = h phi(A)^T).
          const h = forwardMlp(net, x).hidden[layer];
          const h2 = forwardMlp(moved, x).hidden[layer];
          const predicted = matmul(h, { rows: 6, cols: 6, data: transposeData(phiA) });
          expect(frobenius(sub(h2, predicted)) / frobenius(h2)).toBeLessThan(1e-12);
        } else {
          expect(gap).toBeGreaterThan(1e-4);
        }
      }
    }
  });

  it('names the layer on a bad request', () => {
    const net = randomMlp([3, 4, 2], Math.tanh, 1);
    expect(() => applyIntertwiner(net, 1, zeros(4, 4), zeros(4, 4))).toThrow(/^layer must be a hidden layer in 0..0/);
    expect(() => applyIntertwiner(net, 0, zeros(3, 3), zeros(3, 3))).toThrow(/width 4/);
  });
});

function transposeData(m: Mat): Float64Array {
  const t = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t[j * m.rows + i] = m.data[i * m.cols + j];
  return t;
}

describe('alignMlp: aligning two networks up to G_relu', () => {
  const relu = sigmaFor('relu');
  const ref = randomMlp([6, 10, 8, 3], relu, 11, 'relu');
  // other = g . ref with g a random P D (D > 0) on every hidden layer: the same function, scrambled weights.
  let other = ref;
  const rng = new Rng(12);
  for (const [layer, width] of [
    [0, 10],
    [1, 8],
  ]) {
    const { a } = sampleFamilyMember('positive-scaling', width, rng.fork(layer));
    other = applyIntertwiner(other, layer, a, a);
  }
  const x = inputs(60, 6, 13);

  it.each(['weights', 'activations'] as const)('recovers the reference exactly from a scrambled copy (%s)', (method) => {
    const r = alignMlp(ref, other, { method, inputs: x });
    expect(r.scaling).toBe(true);
    expect(r.distanceBefore).toBeGreaterThan(0.5);
    expect(r.distanceAfter).toBeLessThan(1e-12);
    expect(functionDiscrepancy(other, r.aligned, x)).toBeLessThan(1e-12);
  });

  it('reduces the distance between independently initialised networks without changing the function', () => {
    const b = randomMlp([6, 10, 8, 3], relu, 99, 'relu');
    const r = alignMlp(ref, b, { method: 'weights' });
    expect(r.distanceAfter).toBeLessThan(r.distanceBefore);
    expect(functionDiscrepancy(b, r.aligned, x)).toBeLessThan(1e-12);
  });

  it('refuses scalings for non-homogeneous activations and different architectures', () => {
    expect(isPositivelyHomogeneous(relu)).toBe(true);
    expect(isPositivelyHomogeneous(Math.tanh)).toBe(false);
    const t = randomMlp([6, 10, 8, 3], Math.tanh, 1);
    expect(alignMlp(t, t).scaling).toBe(false);
    expect(() => alignMlp(t, t, { scaling: true })).toThrow(/not intertwiners/);
    expect(() => alignMlp(ref, randomMlp([6, 9, 8, 3], relu, 1))).toThrow(/different architectures \(6-10-8-3 vs 6-9-8-3\)/);
  });
});

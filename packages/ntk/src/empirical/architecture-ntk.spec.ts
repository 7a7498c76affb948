import { createArchitecture, initBackend, tf } from '@nnsym/core';
import { analyticKernel } from '../analytic/analytic-kernel';
import { architectureNtk } from './architecture-ntk';

const X = [[1, 0], [0.6, 0.8], [-0.5, 0.3]];

beforeAll(async () => {
  await initBackend();
});

/** |mean − analytic| < 4 SE for every entry. */
function expectWithinSE(mean: Float64Array, se: Float64Array, ref: Float64Array): void {
  for (let i = 0; i < ref.length; i++) expect(Math.abs(mean[i] - ref[i])).toBeLessThan(4 * se[i]);
}

describe('architectureNtk on core architecture plugins', () => {
  it('mlp (depth 2): structured and VJP methods agree on the same networks', () => {
    const arch = createArchitecture('mlp', { width: 12, depth: 2, dIn: 2, dOut: 2, activation: 'tanh', sigmaW: 1.3, sigmaB: 0.2, parameterization: 'ntk' });
    const before = tf.memory().numTensors;
    const s = architectureNtk(arch, X, { ensemble: 3, seed: 9, method: 'structured', mode: 'full' });
    const v = architectureNtk(arch, X, { ensemble: 3, seed: 9, method: 'vjp', mode: 'full' });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.method).toBe('structured');
    expect(v.method).toBe('vjp');
    for (let i = 0; i < s.mean.length; i++) expect(Math.abs(s.mean[i] - v.mean[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(v.mean[i])));
  });

  for (const [id, parameterization] of [
    ['relu-net', 'ntk'],
    ['erf-net', 'standard'],
    ['gauss-net', 'ntk'],
  ] as const) {
    it(`${id} (${parameterization}): ensemble-mean NTK and MC NNGP within 4 SE of the analytic kernels (exact in expectation at one hidden layer)`, () => {
      const width = 16;
      const cfg = { width, dIn: 2, sigmaW: 1.2, sigmaB: 0.6, parameterization };
      const arch = createArchitecture(id, cfg);
      const r = architectureNtk(arch, X, { ensemble: 96, seed: 4, chunkSize: 32 });
      const ana = analyticKernel(arch, X, { width });
      expect(r.M).toBe(96);
      expectWithinSE(r.mean, r.stderr, ana.ntk as Float64Array);
      expectWithinSE(r.nngp.mean, r.nngp.stderr, ana.nngp);
      if (id === 'gauss-net') expect(r.method).toBe('vjp');
    });
  }

  it('wrong input dimension is a one-line error naming the inputs', () => {
    const arch = createArchitecture('relu-net', { width: 4, dIn: 3 });
    expect(() => architectureNtk(arch, X, { ensemble: 2, seed: 0 })).toThrow(/^inputs: input 0 has dimension 2 but architecture "relu-net" has d_in = 3/);
  });
});

import { initBackend } from '@nnsym/core';
import { mlpKernels } from '../analytic/mlp-kernels';
import { ntkConvergence } from './convergence';
import { disposeDenseMlp, sampleDenseMlp } from './dense-ensemble';
import { mlpStructuredNtk } from './structured-mlp';

beforeAll(async () => {
  await initBackend();
});

describe('ntkConvergence', () => {
  it('depth-2 relu NTK: the deviation falls like 1/√N (power-law slope within 3 SE of -1/2; √N·r flat within 4 SE)', () => {
    const X = [[1, 0], [0.6, 0.8], [-0.5, 0.3]];
    const spec = { dIn: 2, dOut: 1, depth: 2, activation: 'relu', sigmaW: Math.SQRT2, sigmaB: 0.2, bias: true, parameterization: 'ntk' as const };
    const ana = mlpKernels({ ...spec, width: undefined }, X).ntk as Float64Array;
    const rep = ntkConvergence({
      widths: [16, 64, 256],
      analytic: ana,
      compute: (N, onMember) => {
        const net = sampleDenseMlp({ ...spec, width: N }, 24, 2026, N);
        mlpStructuredNtk(net, X, { onMember });
        disposeDenseMlp(net);
      },
    });
    expect(rep.rows.map((r) => r.networks)).toEqual([24, 24, 24]);
    expect(Math.abs(rep.powerLaw.slope + 0.5)).toBeLessThan(3 * rep.powerLaw.stderr);
    // √N · r agrees with the fitted constant c at every width, within 4 of its standard errors (√N · se).
    for (const r of rep.rows) expect(Math.abs(r.scaledDev - rep.fitInvSqrt.c)).toBeLessThan(4 * Math.sqrt(r.width) * r.stderrRelDev);
  });
});

describe('ntkConvergence, standard parameterisation (width-dependent analytic NTK)', () => {
  it('depth-2 erf mlp: the relative deviation from N·E + 1 + σ_w² D Θ falls like 1/√N (slope within 3 SE of -1/2)', () => {
    // A wrong width scaling in the analytic standard-parameterisation NTK would make r plateau instead of fall.
    const X = [[1, 0], [0.6, 0.8], [-0.5, 0.3]];
    const base = { dIn: 2, dOut: 1, depth: 2, activation: 'erf', sigmaW: 1.5, sigmaB: 0.3, bias: true, parameterization: 'standard' as const };
    const rep = ntkConvergence({
      widths: [16, 64, 256],
      analytic: (N) => mlpKernels({ ...base, width: N }, X).ntk as Float64Array,
      compute: (N, onMember) => {
        const net = sampleDenseMlp({ ...base, width: N }, 24, 77, N);
        mlpStructuredNtk(net, X, { onMember });
        disposeDenseMlp(net);
      },
    });
    expect(Math.abs(rep.powerLaw.slope + 0.5)).toBeLessThan(3 * rep.powerLaw.stderr);
  });
});

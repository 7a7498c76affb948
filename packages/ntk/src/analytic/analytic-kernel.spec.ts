import { analyticKernel } from './analytic-kernel';
import { NoAnalyticKernelError } from './errors';
import { mlpKernels } from './mlp-kernels';

const X = [[1, 0.5], [-0.2, 0.9], [0.3, 0.3]];

describe('analyticKernel lookup', () => {
  it('families map to their activation and depth', () => {
    for (const [id, act] of [['relu-net', 'relu'], ['erf-net', 'erf'], ['gauss-net', 'gauss'], ['exp-net', 'exp'], ['tanh-net', 'tanh']]) {
      const a = analyticKernel(id, X, { sigmaW: 1.2, sigmaB: 0.4, parameterization: 'ntk' });
      const b = mlpKernels({ activation: act, depth: 1, sigmaW: 1.2, sigmaB: 0.4, parameterization: 'ntk' }, X);
      expect(a.architecture).toBe(id);
      expect(Array.from(a.nngp)).toEqual(Array.from(b.nngp));
      expect(Array.from(a.ntk ?? [])).toEqual(Array.from(b.ntk ?? [NaN]));
    }
  });

  it('mlp takes depth and activation; a spec object works the same', () => {
    const a = analyticKernel('mlp', X, { activation: 'erf', depth: 3 });
    const b = analyticKernel({ id: 'mlp', spec: { activation: 'erf', depth: 3, dIn: 2 } }, X);
    expect(a.depth).toBe(3);
    expect(Array.from(a.nngp)).toEqual(Array.from(b.nngp));
  });

  it('says clearly when there is no analytic kernel, and offers empirical / Monte Carlo', () => {
    expect(() => analyticKernel({ id: 'conv-net', spec: {} }, X)).toThrow(NoAnalyticKernelError);
    expect(() => analyticKernel({ id: 'conv-net', spec: {} }, X)).toThrow(/no analytic kernel.*--mode empirical.*Monte-Carlo/);
    expect(() => analyticKernel('relu-net', X, { depth: 3 })).toThrow(/exactly 1 hidden layer/);
    expect(() => analyticKernel('mlp', X, { activation: 'mystery' })).toThrow(NoAnalyticKernelError);
  });

  it('unknown ids suggest the closest', () => {
    expect(() => analyticKernel('relu-nt', X)).toThrow(/unknown architecture "relu-nt" \(did you mean "relu-net"\?\)/);
  });

  it('wrong input dimension names the field', () => {
    expect(() => analyticKernel('relu-net', X, { dIn: 5, field: '--inputs' })).toThrow(/^--inputs: inputs have dimension 2/);
  });
});

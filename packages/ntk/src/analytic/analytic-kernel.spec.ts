import { analyticKernel, analyticKernelAsync } from './analytic-kernel';
import { NoAnalyticKernelError } from './errors';
import { mlpKernels } from './mlp-kernels';

const X = [[1, 0.5], [-0.2, 0.9], [0.3, 0.3]];

/**
 * One hidden layer, NTK parameterisation, d = d_in: K0 = σ_b² + σ_w² x·x'/d, q = K0(x, x), q' = K0(x', x'),
 *   K(x, x') = σ_b² + σ_w² E[φ(u)φ(v)],  Θ(x, x') = K(x, x') + K0(x, x') σ_w² E[φ'(u)φ'(v)],
 * with (u, v) centred Gaussian of covariance [[q, K0], [K0, q']] (Jacot et al. 2018, eq. for L = 2).
 * relu (arc-cosine kernel of degree 1 and 0, Cho & Saul 2009), cos θ = K0/√(qq'):
 *   E[φφ] = √(qq') (sin θ + (π − θ) cos θ) / (2π),  E[φ'φ'] = (π − θ) / (2π).
 * erf (Williams 1997): E[φφ] = (2/π) asin(2K0/√((1 + 2q)(1 + 2q'))),  E[φ'φ'] = (4/π) / √((1 + 2q)(1 + 2q') − 4K0²).
 * Written out here, independently of mlp-kernels.ts and duals/.
 */
function closedForm(act: 'relu' | 'erf', sw: number, sb: number, xs: number[][]): { nngp: number[]; ntk: number[] } {
  const d = xs[0].length;
  const k0 = (a: number[], b: number[]) => sb * sb + (sw * sw * a.reduce((s, v, i) => s + v * b[i], 0)) / d;
  const nngp: number[] = [];
  const ntk: number[] = [];
  for (const a of xs) {
    for (const b of xs) {
      const [c, q1, q2] = [k0(a, b), k0(a, a), k0(b, b)];
      let ee: number;
      let dd: number;
      if (act === 'relu') {
        const th = Math.acos(Math.max(-1, Math.min(1, c / Math.sqrt(q1 * q2))));
        ee = (Math.sqrt(q1 * q2) * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
        dd = (Math.PI - th) / (2 * Math.PI);
      } else {
        ee = (2 / Math.PI) * Math.asin((2 * c) / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2)));
        dd = 4 / Math.PI / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2) - 4 * c * c);
      }
      const k = sb * sb + sw * sw * ee;
      nngp.push(k);
      ntk.push(k + c * sw * sw * dd);
    }
  }
  return { nngp, ntk };
}

describe('analyticKernel against closed forms written in the test', () => {
  it.each([['relu-net', 'relu'], ['erf-net', 'erf']] as const)('%s matches the %s closed form to 1e-13', (id, act) => {
    const a = analyticKernel(id, X, { sigmaW: 1.2, sigmaB: 0.4, parameterization: 'ntk' });
    const ref = closedForm(act, 1.2, 0.4, X);
    // Both are float64 evaluations of the same closed form in different orders: rounding only (~1e-16 relative).
    ref.nngp.forEach((v, i) => expect(Math.abs(a.nngp[i] - v)).toBeLessThan(1e-13 * Math.abs(v) + 1e-15));
    ref.ntk.forEach((v, i) => expect(Math.abs((a.ntk as Float64Array)[i] - v)).toBeLessThan(1e-13 * Math.abs(v) + 1e-15));
  });
});

describe('analyticKernel lookup', () => {
  it('dispatch: each family id calls mlpKernels with its activation and depth 1 (a lookup test, not a value check)', () => {
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
    expect(() => analyticKernel({ id: 'conv-net', spec: {} }, X)).toThrow(/no analytic kernel.*empirical NTK.*Monte-Carlo/);
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

describe('analyticKernelAsync', () => {
  // 60 points on a circle; gelu has no closed form (quadrature duals), so a depth-3 kernel takes many blocks.
  const x = Array.from({ length: 60 }, (_, i) => [Math.cos((2 * Math.PI * i) / 60), Math.sin((2 * Math.PI * i) / 60)]);
  const opts = { activation: 'gelu', depth: 3, sigmaW: 1.2, sigmaB: 0.3, parameterization: 'ntk' as const };

  it('completed, it equals analyticKernel bit for bit and reports progress up to P', async () => {
    const seen: number[] = [];
    const k = await analyticKernelAsync('mlp', x, { ...opts, onProgress: (d) => seen.push(d) });
    const ref = analyticKernel('mlp', x, opts);
    expect(k.complete).toBe(true);
    expect(k.rowsDone).toBe(60);
    expect(Array.from(k.nngp)).toEqual(Array.from(ref.nngp));
    expect(Array.from(k.ntk!)).toEqual(Array.from(ref.ntk!));
    expect(seen[seen.length - 1]).toBe(60);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('aborted, it keeps the rows done (equal to the full kernel there) and NaN elsewhere', async () => {
    const ac = new AbortController();
    ac.abort();
    const none = await analyticKernelAsync('mlp', x, { ...opts, signal: ac.signal });
    expect(none).toMatchObject({ complete: false, rowsDone: 0 });
    expect(Array.from(none.nngp).every(Number.isNaN)).toBe(true);

    const ref = analyticKernel('mlp', x, opts);
    const ac2 = new AbortController();
    const k = await analyticKernelAsync('mlp', x, { ...opts, signal: ac2.signal, onProgress: (d) => d > 0 && ac2.abort() });
    expect(k.complete).toBe(false);
    expect(k.rowsDone).toBeGreaterThan(0);
    expect(k.rowsDone).toBeLessThan(60);
    const P = 60;
    for (let i = 0; i < P; i++)
      for (let j = 0; j < P; j++) {
        const known = i < k.rowsDone || j < k.rowsDone;
        if (known) expect([k.nngp[i * P + j], k.ntk![i * P + j]]).toEqual([ref.nngp[i * P + j], ref.ntk![i * P + j]]);
        else expect(Number.isNaN(k.nngp[i * P + j])).toBe(true);
      }
  });
});

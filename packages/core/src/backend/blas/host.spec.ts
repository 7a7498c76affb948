/**
 * Host float64 gemm64 / syrk64 against a naive triple loop written here, on both implementations (CBLAS dgemm /
 * dsyrk when a library loads, the JS loops always). Bound: |Δ| ≤ 2 γ_k Σ|a||b| with γ_k = k u / (1 − k u),
 * u = 2⁻⁵³ (any summation order; Higham eq. 3.5).
 */
import { Rng } from '../../rng/rng';
import { initBackend } from '../backend';
import { gemm64, syrk64 } from './host';
import { findBlas } from './library';

const probe = findBlas();
if (!probe.ok) console.warn(`host BLAS (dgemm/dsyrk) tests SKIPPED: ${probe.reason}; the JS loops are still tested`);
const impls: ('auto' | 'js')[] = probe.ok ? ['auto', 'js'] : ['js'];
const u = 2 ** -53;
const gam = (k: number) => (k * u) / (1 - k * u);
const rng = new Rng(3, ['host-blas']);
const rand = (n: number) => Float64Array.from(rng.normalArray(n), (x, i) => x * (1 + 1e-3 * Math.sin(i)));

function naive(a: Float64Array, b: Float64Array, m: number, n: number, k: number, tA: boolean, tB: boolean) {
  const c = new Float64Array(m * n);
  const s = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let p = 0; p < k; p++) {
        const v = (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
        c[i * n + j] += v;
        s[i * n + j] += Math.abs(v);
      }
  return { c, s };
}

beforeAll(async () => {
  const info = await initBackend({ backend: 'wasm', env: {} });
  if (probe.ok) expect(info.blas.enabled).toBe(true); // impl 'auto' is dgemm / dsyrk
});

describe.each(impls)('gemm64 / syrk64 (impl %s)', (impl) => {
  it.each([
    [1, 1, 1, false, false],
    [7, 5, 3, false, false],
    [7, 5, 3, true, false],
    [7, 5, 3, false, true],
    [7, 5, 3, true, true],
    [64, 33, 129, false, false],
    [3, 4, 0, false, false],
    [0, 4, 3, false, false],
  ])('m %i n %i k %i transA %s transB %s', (m, n, k, tA, tB) => {
    const a = rand(m * k);
    const b = rand(k * n);
    const { c, s } = naive(a, b, m, n, k, tA, tB);
    const got = gemm64(a, b, m, n, k, { transA: tA, transB: tB, impl });
    for (let i = 0; i < m * n; i++) expect(Math.abs(got[i] - c[i])).toBeLessThanOrEqual(2 * gam(k) * s[i]);
    // alpha, beta and accumulation into c
    const c0 = rand(m * n);
    const acc = gemm64(a, b, m, n, k, { transA: tA, transB: tB, alpha: -0.5, beta: 2, c: Float64Array.from(c0), impl });
    for (let i = 0; i < m * n; i++) expect(Math.abs(acc[i] - (2 * c0[i] - 0.5 * c[i]))).toBeLessThanOrEqual(2 * gam(k + 2) * (0.5 * s[i] + 2 * Math.abs(c0[i])));
  });

  it.each([
    [6, 9, false],
    [6, 9, true],
    [40, 3, false],
    [1, 1, false],
    [4, 0, false],
  ])('syrk64 n %i k %i trans %s is the symmetric gemm', (n, k, trans) => {
    const a = rand(n * k);
    // C = A Aᵀ (A n × k) or Aᵀ A (A k × n)
    const { c, s } = trans ? naive(a, a, n, n, k, true, false) : naive(a, a, n, n, k, false, true);
    const got = syrk64(a, n, k, { trans, impl });
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        expect(Math.abs(got[i * n + j] - c[i * n + j])).toBeLessThanOrEqual(2 * gam(k) * s[i * n + j]);
        expect(got[i * n + j]).toBe(got[j * n + i]);
      }
  });

  it('rejects too-short arrays', () => {
    expect(() => gemm64(new Float64Array(3), new Float64Array(4), 2, 2, 2, { impl })).toThrow(/gemm64 a: needs 4 entries, has 3/);
  });
});

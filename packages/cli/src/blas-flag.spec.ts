import { main } from './main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'wasm', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

const sample = ['sample', '--arch', 'relu-net', '--width', '64', '--ensemble', '6', '--inputs', '[[0.1, 0.5, -1], [1, 2, 0.3]]', '--json'];

describe('--blas (global flag)', () => {
  it('--blas off: plain wasm kernels, said on stderr and in the JSON envelope', async () => {
    const r = await run(['--blas', 'off', ...sample]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^nnsym: backend wasm( \(simd\))?, blas off \[forced\]$/m);
    expect(JSON.parse(r.out).nnsym.blas).toEqual({ enabled: false, reason: 'disabled by --blas off' });
  });

  it('default: BLAS when a library loads (else the reason), and the same outputs as --blas off to float32 rounding', async () => {
    const on = await run(sample);
    const off = await run(['--blas', 'off', ...sample]);
    expect(on.code).toBe(0);
    const j = JSON.parse(on.out);
    if (j.nnsym.blas.enabled) {
      expect(on.err).toMatch(/^nnsym: backend wasm( \(simd\))? \+ blas \(.+\) \[forced\]$/m);
      expect(j.nnsym.blas).toMatchObject({ library: expect.any(String), kernels: ['BatchMatMul', '_FusedMatMul'] });
    } else {
      console.warn(`--blas default test: no BLAS here (${j.nnsym.blas.reason}); only the reason line is checked`);
      expect(on.err).toMatch(/, no blas \(.+\)/);
    }
    // End-to-end sanity at 1e-5·(1 + |y|) (2·γ_67 ≈ 8e-6 per layer sum of ≤ 67 O(1) terms); the elementwise
    // float32 bounds of every kernel are tested in core's backend/blas/kernels.spec.ts.
    const a = j.outputs.flat(2) as number[];
    const b = (JSON.parse(off.out).outputs as number[][][]).flat(2);
    expect(a).toHaveLength(b.length);
    a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(b[i]))));
  });

  it('a library that cannot be loaded: one line naming the flag, exit 2', async () => {
    const r = await run(['--blas', '/nonexistent/libcblas.so', ...sample]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^nnsym: error: --blas: cannot use BLAS library "\/nonexistent\/libcblas.so" \(.+\)\n$/);
  });
});

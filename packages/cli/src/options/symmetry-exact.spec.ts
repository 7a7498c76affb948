import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', '-q', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

// `nnsym symmetry --engine exact` through main: the result shape of the Monte-Carlo verdicts (verdict, per-order rows,
// method "exact"); the science is tested in @nnsym/symmetry's exact-invariance.spec.ts.
describe('nnsym symmetry --engine exact', () => {
  it('Gauss-net translations on inputs: G2 invariant, with its per-order row', async () => {
    const r = await run(['symmetry', '--engine', 'exact', '--arch', 'gauss-net', '--inputs', '[0.3,0.8]', '--group', 'translations', '--on', 'inputs', '--orders', '2', '--width', '10', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ engine: 'exact', method: 'exact', verdict: 'invariant', group: 'T(1)', on: 'inputs', predicted: 'invariant', agree: true });
    expect(j.orderTests).toHaveLength(1);
    expect(j.orderTests[0]).toMatchObject({ order: 2, exceeding: 0, rejects: false });
    expect(j.nnsym.precision).toMatch(/exact/);
  });

  it('a W1 row mean 0.1 breaks SO(3) on outputs at both orders (text rows name them); widths sweep', async () => {
    const r = await run(['symmetry', '--engine', 'exact', '--arch', 'gauss-net', '--d-out', '3', '--width', '10', '--inputs', '[1]', '--break-mean', '0.1', '--group', 'so', '--orders', '2,4']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^SO\(3\)\s+outputs broken/);
    expect(r.out).toMatch(/order 2: .* 24\/24 exceed; order 4: .* exceed/);
    const s = await run(['symmetry', '--engine', 'exact', '--arch', 'gauss-net', '--d-out', '3', '--inputs', '[1]', '--break-mean', '0.1', '--group', 'so', '--orders', '2', '--widths', '5,50', '--json']);
    expect(JSON.parse(s.out).sweep.map((x: { width: number; verdict: string }) => [x.width, x.verdict])).toEqual([
      [5, 'broken'],
      [50, 'broken'],
    ]);
  });

  it('refuses what needs Monte Carlo or another architecture, one line, exit 2', async () => {
    const a = await run(['symmetry', '--engine', 'exact', '--arch', 'mlp', '--d-out', '2', '--group', 'so']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--engine exact: architecture "mlp" does not declare the exact engine/);
    const b = await run(['symmetry', '--engine', 'exact', '--repeats', '5']);
    expect(b.code).toBe(2);
    expect(b.err.trim().split('\n')).toHaveLength(1);
  });
});

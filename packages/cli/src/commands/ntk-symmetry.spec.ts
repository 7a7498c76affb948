import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('nnsym ntk-symmetry / ntk-drift (end to end through main)', () => {
  it('analytic: relu NTK rotation invariant to rounding, translation broken, both as predicted', async () => {
    const rot = JSON.parse((await run(['ntk-symmetry', '--arch', 'relu-net', '--group', 'so', '--inputs', 'normal:3', '--d-in', '3', '--json'])).out);
    expect(rot.ntk.relDeviation).toBeLessThan(1e-12);
    expect([rot.ntk.measured, rot.ntk.prediction.predicted]).toEqual(['invariant', 'invariant']);
    expect(rot.nnsym.precision).toMatch(/float64/);
    const tr = JSON.parse((await run(['ntk-symmetry', '--arch', 'relu-net', '--group', 'translations', '--inputs', 'normal:3', '--d-in', '3', '--json'])).out);
    expect([tr.ntk.measured, tr.ntk.prediction.predicted]).toEqual(['broken', 'broken']);
  });

  it('empirical: translations broken by the paired Hotelling test', async () => {
    const r = await run(['ntk-symmetry', '--arch', 'relu-net', '--mode', 'empirical', '--width', '16', '--ensemble', '48', '--samples', '1', '--group', 'translations', '--inputs', 'normal:3', '--d-in', '3', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('broken');
    expect(j.networks).toBe(48);
  });

  it('ntk-drift --json: one row per width, drift smaller at the larger width', async () => {
    const r = await run(['ntk-drift', '--widths', '16,256', '--steps', '10', '--every', '5', '--n-train', '32', '--probe', '4', '--d-in', '4', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rows.map((row: { width: number }) => row.width)).toEqual([16, 256]);
    expect(j.rows[1].finalDrift).toBeLessThan(j.rows[0].finalDrift);
  });

  it('bad input: one line, exit 2, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['ntk-symmetry', '--group', 'bogus', '--inputs', 'normal:2', '--d-in', '2'], /--group: unknown group-action "bogus"/],
      [['ntk-symmetry', '--group', 'so', '--mode', 'empirical', '--ensemble', '4', '--inputs', 'normal:3', '--d-in', '3'], /--ensemble: 4 networks cannot test/],
      [['ntk-drift', '--widths', '0,4'], /--widths/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n').filter((l) => !l.startsWith('nnsym: backend')).length).toBe(1);
    }
  });
});

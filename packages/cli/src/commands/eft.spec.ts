import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

jest.setTimeout(60_000);

describe('nnsym correlators --eft-cutoffs', () => {
  it('exact relu-net σ_b = 0 on positive inputs: λ = (3.75/N) / (24 (1/2)⁴ Λ⁵/5) for every tuple, running slope −5', async () => {
    const r = await run(['correlators', '--arch', 'relu-net', '--sigma-b', '0', '--width', '20', '--method', 'exact', '--inputs', '[0.2,0.6,1.0]', '--orders', '2,4', '--eft-cutoffs', '10,100', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const lam = (L: number) => 3.75 / 20 / ((24 * (1 / 2) ** 4 * L ** 5) / 5);
    expect(j.eft.cutoffs[0].mean / lam(10)).toBeCloseTo(1, 9);
    expect(j.eft.cutoffs[1].mean / lam(100)).toBeCloseTo(1, 9);
    expect(j.eft.running.slope).toBeCloseTo(-5, 9);
    expect(j.eft.tuples).toHaveLength(15);
  });

  it('--eft-svg writes the running plot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-eft-'));
    const file = join(dir, 'run.svg');
    const r = await run(['correlators', '--arch', 'relu-net', '--width', '20', '--method', 'exact', '--inputs', '[0.2,0.6]', '--orders', '4', '--eft-cutoffs', '10,100', '--eft-svg', file]);
    expect(r.code).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/mean λ/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('bad EFT flags: one line naming the flag, exit 2', async () => {
    const base = ['correlators', '--arch', 'erf-net', '--width', '5', '--method', 'exact', '--inputs', '[0.1,0.2]'];
    const cases: [string[], RegExp][] = [
      [[...base, '--orders', '2', '--eft-cutoffs', '10'], /--eft-cutoffs needs the 4-point function/],
      [[...base, '--orders', '4', '--eft-cutoffs', '10,-1'], /--eft-cutoffs must list positive numbers or inf/],
      [[...base, '--orders', '4', '--eft-cutoffs', 'inf'], /--eft-cutoffs: .*diverges/],
      [[...base, '--orders', '4', '--eft-csv', 'x.csv'], /--eft-csv needs --eft-cutoffs/],
      [[...base, '--orders', '4', '--eft-cutoffs', '10', '--eft-fit-cutoff', '20'], /--eft-fit-cutoff must be one of --eft-cutoffs/],
      [[...base, '--orders', '4', '--eft-cutoffs', '10', '--eft-svg', 'x.svg'], /--eft-svg needs at least two finite --eft-cutoffs/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(re);
    }
  });
});

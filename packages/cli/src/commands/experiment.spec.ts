import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';

// The grid runner's checks before any training, and one tiny Gauss-net grid (2 runs as child processes of the
// built CLI: packages/cli/dist must be built).
describe('nnsym experiment: --normalize, --protocol, --resume-from, gauss-net-mu', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-experiment-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (args: string[]) => {
    const s = { out: '', err: '' };
    const code = await main(['node', 'nnsym', ...args], { stdout: (x) => (s.out += x), stderr: (x) => (s.err += x), isTTY: false, cwd: process.cwd() });
    return { code, ...s };
  };

  it('refuses a malformed --normalize and an unknown --protocol (exit 2, one line naming the flag)', async () => {
    const a = await run(['experiment', 'init-symmetry', '--normalize', '1,2,3', '--seeds', '1']);
    expect(a.code).toBe(2);
    expect(a.err.trim().split('\n')).toEqual([expect.stringMatching(/^nnsym: error: --normalize: expected MEAN,STD/)]);
    const b = await run(['experiment', 'init-symmetry', '--protocol', 'papers']);
    expect(b.code).toBe(2);
    expect(b.err.trim().split('\n')).toEqual(['nnsym: error: --protocol must be one of pixels, paper, got "papers"']);
  });

  it('--resume-from refuses a result with another normalisation or experiment', async () => {
    const prev = join(dir, 'prev.json');
    writeFileSync(prev, JSON.stringify({ experiment: 'init-symmetry', setup: { dataset: 'fashion-mnist', normalize: 'none', sizes: [784, 50, 10], bias: false, activation: 'relu', optimizer: 'adam', lr: 0.001, lrDecay: 0.7, batch: 64, epochs: 20, limitTrain: null, init: 'W ~ N(0, 1/fan_in); output rows 0..k-1 ~ N(mu, 1/fan_in)' }, runs: [] }));
    const a = await run(['experiment', 'init-symmetry', '--protocol', 'paper', '--resume-from', prev]);
    expect(a.code).toBe(2);
    expect(a.err).toContain(`--resume-from: ${prev} has normalize "none", this run "(x - 0.1307) / 0.3081"`);
    const b = await run(['experiment', 'gauss-net-mu', '--resume-from', prev]);
    expect(b.code).toBe(2);
    expect(b.err).toContain('is experiment "init-symmetry", this run "gauss-net-mu"');
  });

  it('gauss-net-mu runs Gauss-net children and writes a complete result', async () => {
    const out = join(dir, 'g.json');
    const r = await run(['--quiet', 'experiment', 'gauss-net-mu', '--epochs', '1', '--seeds', '1', '--mu', '0,0.5', '--losses', 'mse-onehot', '--limit-train', '300', '--threads', '1', '--out', out]);
    expect(r.code).toBe(0);
    const v = JSON.parse(readFileSync(out, 'utf8')) as { nnsym: { complete?: boolean }; experiment: string; setup: Record<string, unknown>; runs: { k: number; mu: number; error?: string; testAccuracyByEpoch: number[] }[] };
    expect(v.experiment).toBe('gauss-net-mu');
    expect(v.nnsym.complete).not.toBe(false);
    expect(v.setup['activation']).toBe('gauss(sw=1,sb=1)');
    expect(v.setup['bias']).toBe(true);
    expect(v.runs.map((x) => [x.k, x.mu, x.error])).toEqual([[0, 0, undefined], [10, 0.5, undefined]]);
    for (const x of v.runs) expect(x.testAccuracyByEpoch).toHaveLength(1);
    // A smaller grid resumed from its own --out would drop the mu = 0.5 run: refused before any work, file untouched.
    const before = readFileSync(out, 'utf8');
    const again = await run(['--quiet', 'experiment', 'gauss-net-mu', '--epochs', '1', '--seeds', '1', '--mu', '0', '--losses', 'mse-onehot', '--limit-train', '300', '--threads', '1', '--resume-from', out, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.err.trim().split('\n')).toEqual([expect.stringMatching(/^nnsym: error: --out: .*g\.json holds 1 finished run\(s\) outside this grid \(e\.g\. mse-onehot k=10 mu=0\.5 seed=0\); writing this grid there would drop them/)]);
    expect(readFileSync(out, 'utf8')).toBe(before);
  }, 120_000);
});

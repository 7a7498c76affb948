import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', '-q', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

const small = ['--arch', 'gauss-net', '--d-out', '3', '--width', '10', '--ensemble', '2000', '--inputs', '[1]', '--orders', '2'];

describe('nnsym symmetry (end to end through main)', () => {
  it('--json: broken SO(3) with the predicted unbroken SO(2), both measured', async () => {
    const r = await run(['symmetry', ...small, '--group', 'so', '--break-mean', '1', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ group: 'SO(3)', on: 'outputs', verdict: 'broken', predicted: 'broken', agree: true, unbrokenSubgroup: 'Stab_SO(3)(m) ≅ SO(2)' });
    expect(j.unbroken.verdict).toBe('invariant');
    expect(typeof j.pValue).toBe('number');
    expect(j.nnsym.precision).toMatch(/float32/);
  });

  it('--group auto prints one row per applicable group', async () => {
    const r = await run(['symmetry', ...small, '--engine', 'reference', '--group', 'auto']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.some((l) => l.startsWith('SO(3)') && l.includes('invariant'))).toBe(true);
    expect(lines.some((l) => l.startsWith('T(3)'))).toBe(false); // translations do not act on outputs
  });

  it("--inputs takes core's grids (linspace) and --repeats reports the broken rate from invarianceRepeat", async () => {
    const grid = await run(['symmetry', '--engine', 'reference', '--arch', 'gauss-net', '--width', '10', '--ensemble', '2000', '--inputs', 'linspace:-1,1,3', '--orders', '2', '--group', 'translations', '--on', 'inputs', '--json']);
    expect(grid.code).toBe(0);
    expect(JSON.parse(grid.out)).toMatchObject({ group: 'T(1)', on: 'inputs', predicted: 'invariant' });
    const rep = await run(['symmetry', ...small, '--engine', 'reference', '--group', 'so', '--repeats', '3', '--json']);
    expect(rep.code).toBe(0);
    const j = JSON.parse(rep.out);
    expect(j.pValues).toHaveLength(3);
    expect(j.brokenRate).toBe(j.broken / 3);
    expect(j.brokenRateStderr).toBeCloseTo(Math.sqrt((j.brokenRate * (1 - j.brokenRate)) / 3), 12);
    expect(j.broken + j.invariant + j.inconclusive).toBe(3);
    expect(j.brokenInterval[0]).toBeLessThanOrEqual(j.brokenRate);
    expect(j.brokenInterval[1]).toBeGreaterThanOrEqual(j.brokenRate);
    const bad = await run(['symmetry', ...small, '--inputs', 'linspace:-1,1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^nnsym: error: --inputs/);
  });

  it('the heavy-tailed translation case: per-order tests, and "inconclusive" with its reason and an ensemble size', async () => {
    const args = ['symmetry', '--arch', 'gauss-net', '--d-in', '1', '--inputs', '[0.3,0.8]', '--group', 'translations', '--on', 'inputs', '--orders', '2', '--ensemble', '5000', '--width', '10'];
    const j = JSON.parse((await run([...args, '--json'])).out);
    // Seed 0 (the default): the F test rejects (p ≈ 0.04) but the Hotelling direction has Hill tail index ≈ 1.3.
    expect(j.method).toBe('per-order');
    expect(j.orderTests).toHaveLength(1);
    expect(j.orderTests[0]).toMatchObject({ order: 2, components: 12, rejects: true, supported: false });
    expect(j.verdict).toBe('inconclusive');
    expect(j.agree).toBeNull();
    expect(j.reason).toMatch(/infinite-variance \(Hill tail index/);
    const text = (await run(args)).out;
    expect(text).toMatch(/inconclusive .*\[order 2: p=.* \(Holm .*\) rank \d+\/12 UNSUPPORTED\]/);
    expect(text).toMatch(/\n {2}inconclusive: rejected/);
  });

  it('--calibrate ci prints size and power with Clopper-Pearson intervals; a bad battery name exits 2', async () => {
    const r = await run(['symmetry', '--calibrate', 'ci', '--repeats', '2', '--engine', 'reference', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.cases.map((c: { id: string }) => c.id)).toEqual(['translation-gauss', 'so-outputs-gauss', 'mean-0.1-gauss']);
    for (const c of j.cases) {
      expect(c.broken + c.invariant + c.inconclusive).toBe(2);
      expect(c.brokenInterval[0]).toBeLessThanOrEqual(c.brokenRate);
      expect(c.brokenInterval[1]).toBeGreaterThanOrEqual(c.brokenRate);
    }
    const bad = await run(['symmetry', '--calibrate', 'most']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^nnsym: error: --calibrate/);
  });

  it('bad input: dimension mismatch, unknown group, prediction without metadata', async () => {
    const dim = await run(['symmetry', ...small, '--group', 'so', '--group-config', '{"n":4}']);
    expect(dim.code).toBe(2);
    expect(dim.err).toBe('nnsym: error: --group so: SO(4) acts on R^4 but the outputs have dimension 3 (--d-out 3)\n');
    const unknown = await run(['symmetry', ...small, '--group', 'twirls']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown group-action "twirls".*known: so, o, sym/);
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-sym-'));
    try {
      const file = join(dir, 'rev.js');
      writeFileSync(
        file,
        `const schema = { safeParse: (v) => ({ success: true, data: v }) };
module.exports = { plugins: [{ meta: { id: 'rev', kind: 'group-action', description: 'reverse coordinates', version: '1.0.0' }, configSchema: schema,
  create: ({ n }) => ({ id: 'rev', name: 'Rev', dimension: n, actsOn: ['outputs'], isCompact: true, isFinite: true, order: 2, lieDimension: 0, linear: true,
    samplingMeasure: 'haar', identity: () => 0, compose: (a, b) => (a + b) % 2, inverse: (a) => a, sample: (r) => r.int(2),
    act: (g, x) => (g ? Float64Array.from(x).reverse() : Float64Array.from(x)),
    matrix: (g) => { const m = new Float64Array(n * n); for (let i = 0; i < n; i++) m[i * n + (g ? n - 1 - i : i)] = 1; return m; },
    elements: () => [0, 1], isMember: (g) => g === 0 || g === 1, describe: (g) => g }) }] };`,
      );
      const ok = await run(['--plugin', file, 'symmetry', ...small, '--group', 'rev', '--json']);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.out)).toMatchObject({ group: 'Rev', predicted: 'unknown', agree: null });
      const req = await run(['--plugin', file, 'symmetry', ...small, '--group', 'rev', '--predict']);
      expect(req.code).toBe(2);
      expect(req.err).toMatch(/--predict: group "rev" \(Rev\) declares no relation to O\(n\).*no prediction is possible/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

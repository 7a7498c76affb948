import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('nnsym sample (end to end through main)', () => {
  it('--json small M: every network\'s outputs, reproducible with the seed, moments in float64', async () => {
    const args = ['sample', '--arch', 'gauss-net', '--width', '20', '--ensemble', '5', '--inputs', '[0.1, 0.5]', '--seed', '3', '--json'];
    const a = await run(args);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.out);
    expect(j.mode).toBe('outputs');
    expect(j.outputs).toHaveLength(5);
    expect(j.outputs[0]).toHaveLength(2);
    expect(j.architecture).toMatchObject({ id: 'gauss-net', width: 20, dIn: 1, dOut: 1, activation: 'gauss', parameterization: 'standard' });
    expect(j.nnsym.precision).toMatch(/float64/);
    const mean0 = j.outputs.reduce((s: number, o: number[][]) => s + o[0][0], 0) / 5;
    expect(j.moments.mean[0][0]).toBeCloseTo(mean0, 6);
    const b = JSON.parse((await run(args)).out);
    expect(b.outputs).toEqual(j.outputs);
    const c = JSON.parse((await run([...args.slice(0, -2), '4', '--json'])).out);
    expect(c.outputs).not.toEqual(j.outputs);
  });

  it('large M: moments; the Gauss-net variance is σ_b² + σ_w² at every input (4 SE)', async () => {
    const r = await run(['sample', '--arch', 'gauss-net', '--width', '10', '--ensemble', '3000', '--inputs', '[[0.3, -1], [1, 1]]', '--sigma-w', '1.2', '--sigma-b', '0.5', '--max-print', '100', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.mode).toBe('moments');
    expect(j.outputs).toBeUndefined();
    for (let p = 0; p < 2; p++) expect(Math.abs(j.moments.variance[p][0] - (0.25 + 1.44))).toBeLessThan(4 * j.moments.varianceSE[p][0]);
  });

  it('--init mean-rows shifts the mean of the first outputs only', async () => {
    const r = await run(['sample', '--arch', 'relu-net', '--d-out', '2', '--width', '8', '--ensemble', '2000', '--inputs', '[0.5]', '--init', 'mean-rows(k=1,mu=0.5)', '--max-print', '0', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.init).toBe('Wout.rows[0:1].mean=0.5');
    expect(j.initLaws.find((l: { param: string }) => l.param === 'W1').blocks[0].law).toMatch(/^normal\(mean=0.5/);
    // relu: E[relu(z)] > 0, so output 0 has mean 0.5 · N · E[relu(z)] > 0 while output 1 has mean 0.
    // z ~ N(0, q), q = 1 + 0.25: E relu(z) = √(q/(2π)) ≈ 0.446, so E f_0 ≈ 0.5 · 8 · 0.446 ≈ 1.78.
    const e = 0.5 * 8 * Math.sqrt(1.25 / (2 * Math.PI));
    expect(Math.abs(j.moments.mean[0][0] - e)).toBeLessThan(4 * j.moments.meanSE[0][0]);
    expect(Math.abs(j.moments.mean[0][1])).toBeLessThan(4 * j.moments.meanSE[0][1]);
  });

  it('bad input: one line naming the flag, exit 2', async () => {
    const base = ['sample', '--ensemble', '3', '--inputs', '0.1'];
    const cases: [string[], RegExp][] = [
      [['sample', '--arch', 'foo', '--ensemble', '3', '--inputs', '0.1'], /--arch: unknown architecture "foo".*known: gauss-net/],
      [[...base, '--arch', 'shallow', '--activation', 'relux'], /--activation: unknown activation "relux" \(did you mean "relu"\?\)/],
      [['sample', '--arch', 'mlp', '--ensemble', '0', '--inputs', '0.1'], /--ensemble must be a positive integer/],
      [[...base, '--arch', 'mlp', '--width', '-1'], /--width must be a positive integer/],
      [[...base, '--arch', 'mlp', '--sigma-w', 'NaN'], /--sigma-w must be a finite number/],
      [['sample', '--arch', 'mlp', '--ensemble', '3', '--d-in', '2', '--inputs', '[0.1]'], /--inputs: points have dimension 1 but the architecture has d_in = 2/],
      [['sample', '--arch', 'mlp', '--ensemble', '3', '--inputs', '[0.1'], /--inputs: malformed JSON/],
      [[...base, '--arch', 'mlp', '--init', 'W0=cauchy'], /--init: W0: unknown distribution "cauchy"/],
      [[...base, '--arch', 'relu-net', '--activation', 'tanh'], /^nnsym: error: --activation: --arch relu-net: this family uses relu \(use shallow or mlp for another activation\)/],
      [[...base, '--arch', 'gauss-net', '--depth', '2'], /--depth: --arch gauss-net: this family has exactly one hidden layer/],
      [[...base, '--arch', 'mlp', '--activation', 'gauss'], /--depth: .*needs exactly one hidden layer, got depth 2/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('nnsym sample --shard i/n --out + nnsym merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-sample-'));
  const f = (n: string) => join(dir, n);
  // Timing and provenance differ between runs; everything else must be the one run's.
  const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !['nnsym', 'elapsedSeconds', 'networksPerSecond', 'mergedFrom'].includes(k)));
  /** Every number equal to `rel` relative precision, every other value equal. */
  const near = (a: unknown, b: unknown, rel: number, path = ''): void => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (Math.abs(a - b) > rel * Math.max(Math.abs(a), Math.abs(b))) throw new Error(`${path}: ${a} vs ${b}`);
    } else if (a && b && typeof a === 'object' && typeof b === 'object') {
      expect(Object.keys(b as object).sort()).toEqual(Object.keys(a as object).sort());
      for (const k of Object.keys(a as object)) near((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel, `${path}.${k}`);
    } else expect(b).toEqual(a);
  };

  it.each([
    ['moments', ['--ensemble', '700', '--max-print', '0', '--chunk', '60'], 3],
    ['outputs (M <= --max-print)', ['--ensemble', '45', '--chunk', '4'], 4],
  ])('%s: the shards, merged in any order, are the one-run result (numbers to float64 rounding)', async (tag, extra, n) => {
    const args = ['sample', '--arch', 'erf-net', '--d-out', '2', '--width', '12', '--inputs', '[[0.2],[-1],[1.5]]', '--init', 'Wout.rows[0:1].mean=0.5', '--seed', '9', ...extra];
    const one = await run([...args, '--json']);
    expect(one.code).toBe(0);
    const pieces: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await run([...args, '--shard', `${i}/${n}`, '--out', f(`${tag[0]}${i}.json`)]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(''); // a shard prints no result, only where its piece is
      expect(r.err).toMatch(new RegExp(`shard ${i}/${n}: .* written to`));
      pieces.push(f(`${tag[0]}${i}.json`));
    }
    const m = await run(['merge', ...pieces.reverse(), '--json']);
    expect(m.code).toBe(0);
    const [a, b] = [JSON.parse(one.out), JSON.parse(m.out)];
    expect(b.nnsym.command).toBe('sample');
    expect(b.nnsym.seed).toBe(9);
    near(strip(a), strip(b), 1e-12);
    if (tag === 'outputs (M <= --max-print)') {
      expect(b.mode).toBe('outputs');
      expect(b.outputs).toEqual(a.outputs); // float32 outputs, bit for bit, in network order
      expect(b.outputs).toHaveLength(45);
    } else expect(b.mode).toBe('moments');
  });

  it('refuses a piece of another run (naming the field) and overlapping pieces; an incomplete merge says so', async () => {
    const args = ['sample', '--arch', 'tanh-net', '--width', '6', '--ensemble', '200', '--inputs', '[0.5]', '--max-print', '0', '--chunk', '20'];
    expect((await run([...args, '--shard', '0/2', '--out', f('r0.json')])).code).toBe(0);
    expect((await run([...args, '--shard', '1/2', '--out', f('r1.json')])).code).toBe(0);
    expect((await run([...args, '--seed', '5', '--shard', '1/2', '--out', f('x1.json')])).code).toBe(0);
    expect((await run([...args.map((v) => (v === '6' ? '7' : v)), '--shard', '1/2', '--out', f('w1.json')])).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [[f('r0.json'), f('x1.json')], /partial 2 is from a different run: "spec.seed" differs \(0 vs 5\)/],
      [[f('r0.json'), f('w1.json')], /"spec.arch.config.width" differs \(6 vs 7\)/],
      [[f('r0.json'), f('r1.json'), f('r0.json')], /chunk 0 is in more than one partial/],
    ];
    for (const [files, re] of cases) {
      const r = await run(['merge', ...files]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const half = await run(['merge', f('r0.json'), '--json']);
    expect(half.code).toBe(0);
    expect(half.err).toMatch(/5 of 10 chunks \(INCOMPLETE/);
    const noOut = await run([...args, '--shard', '0/2']);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--out/);
  });
});

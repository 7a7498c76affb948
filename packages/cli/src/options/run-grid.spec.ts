import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupForSpace } from '@nnsym/groups';
import { invarianceRepeat, referenceSource } from '@nnsym/symmetry';
import { main } from '../main';

// Sweeps as run-index grids (options/run-grid.ts): `--shard i/n --out` pieces of symmetry --widths / --repeats /
// --group auto and ntk --widths, joined by `nnsym merge` in any order into exactly the unsharded result; resumed
// with --resume-from; foreign and overlapping pieces refused with one line naming the field.
jest.setTimeout(120_000);

async function run(args: string[], onErr?: (s: string) => void): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', ...args], { stdout: (s) => (out += s), stderr: (s) => ((err += s), onErr?.(s)), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}
const dir = mkdtempSync(join(tmpdir(), 'nnsym-grid-'));
const f = (n: string) => join(dir, n);
/** The result without its provenance (time, argv). */
const body = (out: string) => {
  const { nnsym: _n, ...rest } = JSON.parse(out) as Record<string, unknown>;
  return rest;
};

async function shardsThenMerge(args: string[], n: number, tag: string, order: (files: string[]) => string[]): Promise<{ one: Record<string, unknown>; merged: Record<string, unknown>; files: string[] }> {
  const one = await run([...args, '--json']);
  expect(one.code).toBe(0);
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await run([...args, '--shard', `${i}/${n}`, '--out', f(`${tag}-${i}.json`)]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    files.push(f(`${tag}-${i}.json`));
  }
  const m = await run(['merge', ...order(files), '--json']);
  expect(m.code).toBe(0);
  expect(m.err).toMatch(/\(complete\)/);
  return { one: body(one.out), merged: body(m.out), files };
}

const sym = ['symmetry', '--engine', 'reference', '--arch', 'gauss-net', '--d-out', '3', '--ensemble', '300', '--inputs', '[1]', '--orders', '2', '--seed', '4'];
const ntk = ['ntk', '--arch', 'relu-net', '--mode', 'empirical', '--widths', '8,16,32', '--ensemble', '6', '--inputs', '[[1,0],[0.6,0.8]]', '--d-in', '2', '--seed', '1'];

describe('sweeps shard by run index and merge into exactly one run', () => {
  it('symmetry --widths: 3 shards merged in reverse order equal the unsharded sweep', async () => {
    const { one, merged } = await shardsThenMerge([...sym, '--widths', '5,10,20', '--break-mean', '0.5'], 3, 'sw', (fs) => [...fs].reverse());
    expect(merged).toEqual(one);
    expect((one.sweep as { width: number }[]).map((r) => r.width)).toEqual([5, 10, 20]);
    expect(one).toMatchObject({ type: 'run-grid', grid: 'symmetry-widths', complete: true, gridRuns: 3 });
  });

  it('symmetry --repeats: 2 shards merged equal the unsharded run, whose p-values are invarianceRepeat\'s', async () => {
    const { one, merged } = await shardsThenMerge([...sym, '--repeats', '5', '--group', 'so'], 2, 'sr', (fs) => [fs[1], fs[0]]);
    expect(merged).toEqual(one);
    // The library's own loop over the same seeds (an independent path through invarianceRepeat).
    const lib = await invarianceRepeat(
      { ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 100, networks: 300, sw: 1, sb: 1, breakRows: 1 }, inputs: [Float64Array.of(1)], group: groupForSpace('so', {}, { on: 'outputs', dimension: 3, flag: '--d-out' }), on: 'outputs', orders: [2], samples: 4, alpha: 0.05, method: 'per-order', seed: 4, source: referenceSource },
      5,
    );
    expect(one.pValues).toEqual(lib.pValues);
    expect(one).toMatchObject({ repeat: 5, broken: lib.broken, brokenRate: lib.brokenRate, exceedanceP: lib.exceedanceP, predicted: lib.first.predicted });
  });

  it('symmetry --group auto: groups shard like runs', async () => {
    const { one, merged } = await shardsThenMerge([...sym, '--group', 'auto'], 2, 'sg', (fs) => [fs[1], fs[0]]);
    expect(merged).toEqual(one);
    expect((one.results as unknown[]).length).toBeGreaterThan(1);
  });

  it('ntk --widths: 3 shards merged in any order equal the unsharded sweep (fits recomputed from the rows)', async () => {
    const { one, merged } = await shardsThenMerge(ntk, 3, 'nw', (fs) => [fs[2], fs[0], fs[1]]);
    expect(merged).toEqual(one);
    expect((one.sweep as { width: number }[]).map((r) => r.width)).toEqual([8, 16, 32]);
    expect(Number.isFinite((one.powerLaw as { slope: number }).slope)).toBe(true);
  });

  it('--resume-from a piece reuses its runs and gives the one-run result; an interrupt keeps the runs done (exit 130)', async () => {
    const one = await run([...ntk, '--json']);
    expect((await run([...ntk, '--shard', '0/2', '--out', f('half.json')])).code).toBe(0); // widths 8 and 32
    const r = await run([...ntk, '--resume-from', f('half.json'), '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/reusing 2 finished run\(s\), 1 to run/);
    expect(body(r.out)).toEqual(body(one.out));
    // Interrupted right after the reused runs: the piece holds them, marked incomplete; resuming it completes the sweep.
    const cut = await run([...ntk, '--resume-from', f('half.json'), '--out', f('cut.json')], (s) => {
      if (/reusing/.test(s)) process.emit('SIGINT');
    });
    expect(cut.code).toBe(130);
    const saved = JSON.parse(readFileSync(f('cut.json'), 'utf8'));
    expect(saved).toMatchObject({ complete: false, missingWidths: [16] });
    expect(saved.runs.map((x: { index: number }) => x.index)).toEqual([0, 2]);
    const done = await run([...ntk, '--resume-from', f('cut.json'), '--json']);
    expect(body(done.out)).toEqual(body(one.out));
  });

  it('refuses foreign, overlapping and mismatched pieces, and the ensemble flags that do not apply, with one line naming the field', async () => {
    const w = [...sym, '--widths', '5,10'];
    expect((await run([...w, '--shard', '0/2', '--out', f('a0.json')])).code).toBe(0);
    expect((await run([...w, '--seed', '5', '--shard', '1/2', '--out', f('b1.json')])).code).toBe(0);
    expect((await run([...ntk, '--shard', '1/3', '--out', f('n1.json')])).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['merge', f('a0.json'), f('b1.json')], /merge: file 2 is from a different grid: setup "seed" differs \(4 vs 5\)/],
      [['merge', f('a0.json'), f('a0.json')], /merge: run index 0 is in files 1 and 2 \(shards must be disjoint\)/],
      [['merge', f('a0.json'), f('n1.json')], /merge: file 2 is sweep "ntk-widths", file 1 "symmetry-widths"/],
      [[...w, '--ensemble', '400', '--resume-from', f('a0.json')], /--resume-from: .* is from a different grid: setup "ensemble" differs \(saved 300, this run 400\)/],
      [[...ntk, '--resume-from', f('a0.json')], /--resume-from: .* is sweep "symmetry-widths", this run "ntk-widths"/],
      [[...w, '--shard', '0/2'], /--shard writes a piece of the sweep: add --out FILE/],
      [[...w, '--checkpoint', f('ck.json')], /^nnsym: error: --checkpoint saves one ensemble; .*--resume-from FILE/],
      [[...w, '--chunk', '100'], /--chunk sets the chunks of one study's ensemble/],
      [[...w, '--threads', '2'], /--threads splits an ensemble .*needs --engine core and no --train/],
      [[...ntk, '--threads', '2'], /--threads splits one width's ensemble/],
      [[...sym, '--resume-from', f('a0.json')], /--resume-from continues a sweep/],
      [[...w, '--shard', '1/2', '--resume-from', f('a0.json'), '--out', f('a0.json')], /^nnsym: error: --out: .*a0\.json holds 1 finished run\(s\) outside this shard \(e\.g\. run index 0\); writing there would drop them/],
      [['symmetry', '--calibrate', 'ci', '--shard', '0/2', '--out', f('cal.json')], /--shard does not apply to --calibrate/],
      [['ntk', '--arch', 'relu-net', '--inputs', '[[1,0]]', '--threads', '2'], /--threads applies to --mode empirical/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n').filter((l) => !/^nnsym: backend/.test(l))).toHaveLength(1);
    }
  });
});

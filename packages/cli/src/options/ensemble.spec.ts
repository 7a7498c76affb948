import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeShardWorkers, initBackend, plugins, runEnsembleStatistic, type EnsemblePartial } from '@nnsym/core';
import { main } from '../main';
import { registerBuiltins } from '../builtins';
import { readEnsemblePartial } from './ensemble';

// `nnsym symmetry`, `nnsym ntk --mode empirical` and `nnsym sample` with the ensemble flags: --threads 2, --shard 0/2 + 1/2 +
// `nnsym merge`, and --checkpoint + interruption + --resume, each equal to one run (small M, in process).
jest.setTimeout(120_000);
afterAll(closeShardWorkers);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}
const dir = mkdtempSync(join(tmpdir(), 'nnsym-ens-'));
const f = (n: string) => join(dir, n);
const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !['nnsym', 'seconds', 'joint', 'elapsedSeconds', 'networksPerSecond'].includes(k)));

/** Interrupt a run after `chunks` chunks through the library (what Ctrl-C leaves in the checkpoint file). */
async function interruptedCheckpoint(path: string): Promise<void> {
  const first = readEnsemblePartial(path, 'test');
  const ac = new AbortController();
  let k = 0;
  let saved: EnsemblePartial | undefined;
  await runEnsembleStatistic({ spec: first.spec, estimator: first.estimator, signal: ac.signal, checkpoint: { every: 1, write: (p) => void (saved = p) } }, (e) => {
    if (e.type === 'progress' && ++k === 3) ac.abort();
  });
  expect(saved?.interrupted).toBe(true);
  writeFileSync(path, JSON.stringify(saved));
}

describe.each([
  ['symmetry', ['symmetry', '--d-out', '3', '--width', '10', '--ensemble', '1200', '--break-mean', '0.5', '--inputs', '[1]', '--orders', '2', '--chunk', '200', '--seed', '2', '--json'], (o: Record<string, unknown>) => o.statistic as number],
  ['ntk --mode empirical', ['ntk', '--arch', 'relu-net', '--mode', 'empirical', '--width', '16', '--ensemble', '40', '--inputs', '[[1,0],[0.6,0.8]]', '--d-in', '2', '--chunk', '8', '--seed', '2', '--json'], (o: Record<string, unknown>) => (o.ntk as number[][] | undefined)?.[0][1] ?? (o.mean as number[])[1]],
  ['sample', ['sample', '--arch', 'tanh-net', '--width', '10', '--ensemble', '600', '--inputs', '[[0.3],[1]]', '--max-print', '0', '--chunk', '50', '--seed', '2', '--json'], (o: Record<string, unknown>) => (o.moments as { variance: number[][] }).variance[1][0]],
])('nnsym %s with the ensemble flags', (name, args, key) => {
  let one: Record<string, unknown>;
  beforeAll(async () => {
    const r = await run(args);
    expect(r.code).toBe(0);
    one = JSON.parse(r.out);
  });

  it('--threads 2 equals one run to float64 rounding', async () => {
    const two = JSON.parse((await run([...args, '--threads', '2'])).out);
    expect(key(two)).toBeCloseTo(key(one), 10);
  });

  it('--shard 0/2 + --shard 1/2 + nnsym merge equals one run', async () => {
    const tag = name.split(' ')[0];
    expect((await run([...args, '--shard', '0/2', '--out', f(`${tag}-0.json`)])).code).toBe(0);
    expect((await run([...args, '--shard', '1/2', '--out', f(`${tag}-1.json`)])).code).toBe(0);
    const m = await run(['merge', f(`${tag}-0.json`), f(`${tag}-1.json`), '--json']);
    expect(m.code).toBe(0);
    expect(key(JSON.parse(m.out))).toBeCloseTo(key(one), 10);
    const bad = await run(['merge', f(`${tag}-0.json`), f(`${tag}-0.json`)]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/chunk 0 is in more than one partial/);
  });

  it('--checkpoint, an interrupted run, then --resume equals the uninterrupted run exactly', async () => {
    const tag = name.split(' ')[0];
    const ck = f(`${tag}-ck.json`);
    expect((await run([...args, '--checkpoint', ck])).code).toBe(0);
    // An existing checkpoint is never replaced silently: --resume continues it, --overwrite starts afresh.
    const again = await run([...args, '--checkpoint', ck]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--checkpoint: checkpoint .* exists: pass --resume to continue it, or --overwrite/);
    expect((await run([...args, '--checkpoint', ck, '--overwrite'])).code).toBe(0);
    await interruptedCheckpoint(ck);
    const r = await run([...args, '--checkpoint', ck, '--resume']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/resuming/);
    expect(strip(JSON.parse(r.out))).toEqual(strip(one));
    const other = await run([...args.map((a, i) => (args[i - 1] === '--seed' ? '3' : a)), '--checkpoint', ck, '--resume']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/--resume: the checkpoint is from a different run/);
  });
});

test('--shard without --out is refused with one line naming --out', async () => {
  await initBackend({ backend: 'cpu' });
  registerBuiltins(plugins);
  const r = await run(['symmetry', '--d-out', '2', '--ensemble', '100', '--shard', '0/2']);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--out/);
});

/**
 * Past one process (issue 11): a Monte-Carlo run split with `--shard i/n` into independent processes and combined
 * with `nnsym merge` equals one unsharded run with the same seed, to float64 rounding.
 *
 * Why it must hold: chunk c of the ensemble is sampled from Rng.derive(seed, 'ensemble', c) whichever process runs
 * it, and networks are dealt into jackknife groups by their global index, so the shards hold disjoint pieces of the
 * very same per-group sums. The only difference is the order of the Chan et al. merges (one process merges chunk by
 * chunk; merge combines shard totals), which changes float64 rounding and nothing else. Tolerance: relative
 * 1e-12 of each statistic's scale (a few hundred ulps; the sums have ~10^3 terms, and a wrong merge -- a chunk
 * counted twice or lost, a mis-weighted mean -- moves estimates by O(1/M) = 1e-3 relative or more).
 *
 * Runs the real CLI (packages/cli/bin/nnsym.js, needs built dists: `nx test @nnsym/tools` builds them first):
 * 3 shards of 20 chunks (7 + 7 + 6, uneven on purpose) as separate processes, merged in a shuffled order, against
 * one run. About 5-10 s on a loaded 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maxRelDiff, readResult, type CorrelatorResultFile } from './support/correlator-results';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'packages', 'cli', 'bin', 'nnsym.js');
const RUN = ['correlators', '--arch', 'gauss-net', '--inputs', '[-0.5,0,0.5]', '--width', '20', '--ensemble', '2000', '--chunk', '100', '--seed', '7', '--order', '2,4', '-q'];

type Result = CorrelatorResultFile;

function nnsym(args: string[], cwd: string): void {
  execFileSync(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
}

const read = readResult;

describe('sharded Monte Carlo (--shard i/n + nnsym merge) equals one run', () => {
  let dir: string;
  let full: Result;
  let merged: Result;
  let shards: Result[];

  beforeAll(() => {
    expect(fs.existsSync(path.join(root, 'packages', 'cli', 'dist', 'main.js'))).toBe(true);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnsym-shards-'));
    for (let i = 0; i < 3; i++) nnsym([...RUN, '--shard', `${i}/3`, '--out', `s${i}.json`], dir);
    nnsym([...RUN, '--out', 'full.json'], dir);
    nnsym(['merge', 's2.json', 's0.json', 's1.json', '--out', 'merged.json', '-q'], dir);
    full = read(path.join(dir, 'full.json'));
    merged = read(path.join(dir, 'merged.json'));
    shards = [0, 1, 2].map((i) => read(path.join(dir, `s${i}.json`)));
  }, 180_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the shards are disjoint, uneven, and cover the ensemble', () => {
    expect(shards.map((s) => s.networks)).toEqual([700, 700, 600]);
    expect(shards.map((s) => s.complete)).toEqual([false, false, false]);
    const chunks = shards.flatMap((s) => s.partial.done).sort((a, b) => a - b);
    expect(chunks).toEqual(Array.from({ length: 20 }, (_, c) => c));
  });

  it('merged counts equal the single run (per jackknife group)', () => {
    expect(merged.complete).toBe(true);
    expect(merged.networks).toBe(2000);
    expect(merged.partial.state.n).toEqual(full.partial.state.n);
  });

  it.each(['2', '4'])('order %s: estimates, standard errors and connected parts agree to float64 rounding', (k) => {
    const a = full.orders[k];
    const b = merged.orders[k];
    expect(b.estimate).toHaveLength(a.estimate.length);
    expect(maxRelDiff(a.estimate, b.estimate)).toBeLessThan(1e-12);
    expect(maxRelDiff(a.stderr, b.stderr)).toBeLessThan(1e-12);
    expect(maxRelDiff(a.connected, b.connected)).toBeLessThan(1e-12);
  });

  it('a single shard alone differs from the full run by Monte-Carlo noise, not rounding (the check can fail)', () => {
    const d = maxRelDiff(full.orders['2'].estimate, shards[0].orders['2'].estimate);
    expect(d).toBeGreaterThan(1e-6);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeShardWorkers } from '@nnsym/core';
import { main } from '../main';

// Worker threads load tfjs and (under jest) transpile the TypeScript sources: a few seconds each.
jest.setTimeout(60_000);
afterAll(closeShardWorkers);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

function maxRel(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, p) => row.forEach((v, d) => (m = Math.max(m, Math.abs(v - b[p][d]) / Math.max(Math.abs(v), 1e-300)))));
  return m;
}

describe('--threads (worker_threads sharding of one run)', () => {
  // 7 chunks of 300 (last 200): thread 0 takes chunks 0,2,4,6, thread 1 takes 1,3,5.
  const sample = ['sample', '--arch', 'tanh-net', '--d-in', '2', '--width', '30', '--ensemble', '2000', '--chunk', '300', '--inputs', '[[0.1,0.2],[-0.5,1]]', '--max-print', '0', '--seed', '5', '--json'];

  it('nnsym sample --threads 2 gives the moments of --threads 1 to float64 rounding', async () => {
    const one = await run(sample);
    const two = await run([...sample, '--threads', '2']);
    expect([one.code, two.code]).toEqual([0, 0]);
    const a = JSON.parse(one.out).moments;
    const b = JSON.parse(two.out).moments;
    expect(JSON.parse(two.out).threads).toBe(2);
    // Same networks, only the float64 summation order differs (a different network would move them ~1e-3).
    for (const k of ['mean', 'variance', 'meanSE', 'varianceSE']) expect(maxRel(a[k], b[k])).toBeLessThan(1e-11);
  });

  it('nnsym correlators --threads 2 gives the estimates of --threads 1 to float64 rounding', async () => {
    const args = ['correlators', '--arch', 'erf-net', '--width', '10', '--ensemble', '3000', '--chunk', '500', '--inputs', '[0.2,0.6,1.0]', '--orders', '2,4', '--seed', '3', '--json'];
    const one = JSON.parse((await run(args)).out);
    const two = JSON.parse((await run([...args, '--threads', '2'])).out);
    expect(two.partial.done).toEqual(one.partial.done);
    for (const n of ['2', '4']) expect(maxRel([two.orders[n].estimate], [one.orders[n].estimate])).toBeLessThan(1e-11);
  });

  it('--threads 2 with --checkpoint (core runner): the checkpoint holds the complete merged partial', async () => {
    const ck = join(mkdtempSync(join(tmpdir(), 'nnsym-thr-')), 'ck.json');
    const r = await run(['correlators', '--arch', 'erf-net', '--ensemble', '400', '--chunk', '100', '--inputs', '[0.2]', '--threads', '2', '--checkpoint', ck, '--json']);
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(ck, 'utf8'));
    expect(saved.complete).toBe(true);
    expect(saved.done).toEqual([0, 1, 2, 3]);
    expect(saved).toEqual(JSON.parse(r.out).partial);
  });
});

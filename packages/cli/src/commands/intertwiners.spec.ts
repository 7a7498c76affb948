import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@nnsym/core';
import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('nnsym intertwiners / compare (end to end through main)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-compare-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('intertwiners --json prints the families and phi of an activation', async () => {
    const r = await run(['intertwiners', '--activation', 'gaussian', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.activation).toBe('gaussian');
    expect(j.families).toEqual({ permutation: true, 'positive-scaling': false, 'sign-flip': true, 'invertible-scaling': false, 'general-linear': false });
    expect(j.phi.kind).toBe('abs');
    expect(j.handDerived.agrees).toBe(true);
    expect(j.nnsym.precision).toMatch(/float64/);
  });

  it('intertwiners: unknown activation is a one-line error, exit 2', async () => {
    const r = await run(['intertwiners', '--activation', 'no-such-act']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^nnsym: error: --activation: unknown activation "no-such-act"/m);
  });

  it('compare on activations files: invariance to a permutation, and dimension errors', async () => {
    const rng = new Rng(1);
    const n = 30;
    const h = Array.from({ length: n }, () => Array.from({ length: 5 }, () => Math.max(0, rng.normal())));
    const perm = [3, 0, 4, 1, 2];
    const hp = h.map((row) => perm.map((k, j) => row[k] * (j + 1)));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ layers: [h] }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ layers: [hp] }));
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ layers: [h.slice(0, 10)] }));
    const r = await run(['compare', '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--metric', 'grelu-cka,grelu-procrustes,cka', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.layers[0].values['grelu-cka']).toBeCloseTo(1, 10);
    expect(j.layers[0].values['grelu-procrustes']).toBeCloseTo(0, 6);
    expect(j.layers[0].values.cka).toBeLessThan(0.999); // unequal scalings are not orthogonal maps
    const bad = await run(['compare', '--a', join(dir, 'a.json'), '--b', join(dir, 'short.json'), '--metric', 'cka']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--b: layer 0 has 10 samples but --a has 30/);
    const layer = await run(['compare', '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--layer', '3']);
    expect(layer.code).toBe(2);
    expect(layer.err).toMatch(/--layer must be a hidden layer in 0..0, got 3/);
    const metric = await run(['compare', '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--metric', 'cca']);
    expect(metric.err).toMatch(/--metric must be one of/);
  });
});

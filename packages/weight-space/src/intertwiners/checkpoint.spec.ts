import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PluginHost, Rng, writeCheckpoint } from '@nnsym/core';
import { zeros } from '@nnsym/numerics';
import { loadMlpCheckpoint } from './checkpoint';
import { forwardMlp } from '../nets/mlp';

describe('loadMlpCheckpoint (trainer checkpoints -> float64 MLP)', () => {
  const host = new PluginHost();
  host.register({
    meta: { id: 'relu', kind: 'activation', description: 'relu', version: '1.0.0' },
    configSchema: z.object({}),
    create: () => ({ id: 'relu', apply: (t: unknown) => t, scalar: (x: number) => Math.max(0, x), traits: {} }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'nnsym-ckpt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rng = new Rng(1);
  const params = [
    { out: 3, in: 2, w: rng.normalArray(6), b: rng.normalArray(3) },
    { out: 2, in: 3, w: rng.normalArray(6), b: rng.normalArray(2) },
  ];
  writeCheckpoint(
    dir,
    {
      fingerprint: {
        arch: 'mlp',
        sizes: [2, 3, 2],
        bias: true,
        activation: 'relu',
        loss: 'xent',
        optimizer: 'adam',
        dataset: 'teacher-student',
        numClasses: 2,
      },
      epoch: 4,
      batch: 0,
      step: 40,
      seed: 0,
      optimizerScalars: {},
      history: [{ epoch: 3, testAccuracy: 0.75 }],
    },
    params,
    [],
  );

  it('reads the parameters in [out, in] layout and computes the same hidden layer by hand', () => {
    const { net, fingerprint, epoch, lastMetrics } = loadMlpCheckpoint(dir, { host, flag: '--a' });
    expect(fingerprint.sizes).toEqual([2, 3, 2]);
    expect(epoch).toBe(4);
    expect(lastMetrics).toEqual({ epoch: 3, testAccuracy: 0.75 });
    const x = zeros(1, 2);
    x.data.set([0.3, -1.2]);
    const h = forwardMlp(net, x).hidden[0];
    for (let i = 0; i < 3; i++) {
      const z0 = params[0].w[i * 2] * 0.3 + params[0].w[i * 2 + 1] * -1.2 + params[0].b[i];
      expect(h.data[i]).toBeCloseTo(Math.max(0, z0), 6); // float32 parameters, float64 arithmetic
    }
  });

  it('names the flag on a missing or corrupt checkpoint', () => {
    expect(() => loadMlpCheckpoint(join(dir, 'nope'), { host, flag: '--b' })).toThrow(/^--b: cannot read/);
    const bad = mkdtempSync(join(tmpdir(), 'nnsym-ckpt-bad-'));
    writeFileSync(join(bad, 'checkpoint.json'), JSON.stringify({ format: 'other' }));
    expect(() => loadMlpCheckpoint(bad, { host, flag: '--b' })).toThrow(/^--b: .* is not an nnsym checkpoint/);
    rmSync(bad, { recursive: true, force: true });
  });
});

/**
 * The out-of-tree fixture (fixtures/external-plugin, plain CommonJS, not a workspace member) loaded through the
 * CLI's plugin loader into a fresh host, and checked by the conformance suites third-party plugins run.
 */
import * as path from 'node:path';
import { createFromPlugin, initBackend, PluginHost, Rng, tf, type Architecture, type Tensor2D } from '@nnsym/core';
import { runPluginConformance } from '@nnsym/core/testing';
import { runGroupActionConformance } from '@nnsym/groups/testing';
import type { GroupActionPlugin } from '@nnsym/groups';
import { loadConfigPlugins, loadPluginModule } from '../src/plugins/load';

const fixture = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'external-plugin');

describe('external plugin fixture', () => {
  const host = new PluginHost();
  let added: string[];

  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    added = loadPluginModule(fixture, process.cwd(), host, '--plugin');
  });

  it('registers one architecture and one group action', () => {
    expect(added.sort()).toEqual(['architecture/ext-softsign-net', 'group-action/ext-reversal']);
  });

  it('loading the same module again adds nothing (no duplicate-id error)', () => {
    expect(loadPluginModule(fixture, process.cwd(), host, 'nnsym.config.json:plugins')).toEqual([]);
  });

  it('both plugins pass the generic plugin conformance suite', () => {
    expect(runPluginConformance(host.kind('architecture').get('ext-softsign-net'), { width: 4, dIn: 2 })).toEqual([]);
    expect(runPluginConformance(host.kind('group-action').get('ext-reversal'), { n: 3 })).toEqual([]);
    expect(() => createFromPlugin(host.kind('group-action').get('ext-reversal'), { n: 1 })).toThrow(/group-action "ext-reversal": config.n: /);
  });

  it('the group action passes the group-action conformance suite (closure, inverse, homomorphism, Haar moments)', () => {
    const plugin = host.kind('group-action').get('ext-reversal') as GroupActionPlugin;
    for (const n of [2, 3, 5]) expect(runGroupActionConformance(plugin, { config: { n } })).toEqual([]);
  });

  it('the architecture maps x [P, d_in] to f [M, P, d_out] and matches a float64 host forward pass', () => {
    const arch = createFromPlugin(host.kind('architecture').get('ext-softsign-net'), { width: 5, dIn: 3, dOut: 2 }) as Architecture;
    expect(arch.layout().map((l) => [l.name, l.shape])).toEqual([
      ['W0', [5, 3]],
      ['b0', [5]],
      ['W1', [2, 5]],
      ['b1', [2]],
    ]);
    const before = tf.memory().numTensors;
    const params = arch.init(new Rng(1), 4);
    const xs = [
      [0.5, -1, 2],
      [0, 0.3, -0.7],
    ];
    const x = tf.tensor2d(xs) as Tensor2D;
    const f = arch.apply(params, x);
    expect(f.shape).toEqual([4, 2, 2]);
    // Reference: f_m(x)_a = sum_j W1[m,a,j] softsign(sum_i W0[m,j,i] x_i + b0[m,j]) + b1[m,a], in float64.
    const host64 = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, Array.from(t.dataSync())]));
    const got = f.dataSync();
    for (let m = 0; m < 4; m++)
      for (let p = 0; p < 2; p++)
        for (let a = 0; a < 2; a++) {
          let s = host64['b1'][m * 2 + a];
          for (let j = 0; j < 5; j++) {
            let z = host64['b0'][m * 5 + j];
            for (let i = 0; i < 3; i++) z += host64['W0'][m * 15 + j * 3 + i] * xs[p][i];
            s += host64['W1'][m * 10 + a * 5 + j] * (z / (1 + Math.abs(z)));
          }
          expect(got[m * 4 + p * 2 + a]).toBeCloseTo(s, 5);
        }
    f.dispose();
    x.dispose();
    for (const t of Object.values(params)) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a config without the plugin loads nothing', () => {
    expect(loadConfigPlugins(__dirname, new PluginHost())).toEqual({ loaded: [] });
  });
});

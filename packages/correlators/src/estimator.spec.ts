import { lastValueFrom, toArray } from 'rxjs';
import { initBackend, type NnsymEvent } from '@nnsym/core';
import { correlators$ } from './run';
import type { CorrelatorPartial, CorrelatorRunSpec } from './partial';
import golden from './__fixtures__/correlators-golden.json';

// correlators$ on core's ensemble runner against the partials of the old correlators$ (see __fixtures__/README.md):
// the same spec gives bit-identical states, on the host path (erf, few inputs) and on the tfjs path.
const specs: Record<string, CorrelatorRunSpec> = {
  'erf-net host path': { arch: 'erf-net', width: 12, dIn: 1, dOut: 1, sigmaW: 1.3, sigmaB: 0.2, parameterization: 'standard', inputs: [[-0.37], [0.1], [0.81]], orders: [2, 4], ensemble: 700, chunkSize: 150, seed: 'golden', groups: 4 },
  'tanh mlp tfjs path': { arch: 'mlp', width: 9, depth: 2, activation: 'tanh', dIn: 2, dOut: 2, sigmaW: 1, sigmaB: 0.3, parameterization: 'ntk', inputs: [[0.33, -0.7], [1.1, 0.2]], orders: [2, 4], ensemble: 500, chunkSize: 120, seed: 9, groups: 5 },
};

beforeAll(() => initBackend({ backend: 'cpu' }));

describe('correlators estimator', () => {
  it.each(Object.keys(specs))('%s: bit-identical to the old correlators$', async (name) => {
    const events = (await lastValueFrom(correlators$({ spec: specs[name] }).pipe(toArray()))) as NnsymEvent[];
    const end = events[events.length - 1];
    if (end.type !== 'run-end') throw new Error('no run-end');
    const p = JSON.parse(JSON.stringify(end.summary.partial)) as CorrelatorPartial;
    // Format version 2 adds the per-network tuple means (state.tupleMeans, tested in tuple-means.spec.ts); every
    // field of version 1 is unchanged, bit for bit.
    expect(p.version).toBe(2);
    const { tupleMeans, ...v1State } = p.state;
    expect(tupleMeans?.ids.length).toBeGreaterThan(0);
    expect({ ...p, version: 1, state: v1State }).toEqual((golden as Record<string, unknown>)[name]);
  });
});

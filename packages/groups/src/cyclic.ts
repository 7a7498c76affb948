import { z } from 'zod';
import type { GroupAction, GroupActionPlugin } from './types';

/**
 * C_n, the cyclic group, acting on R^n by cyclic shifts: element k ∈ {0..n−1} maps x to y with
 * y_{(i+k) mod n} = x_i; composition adds shifts mod n. ρ(k)_{(i+k) mod n, i} = 1.
 *
 * When to use: translation symmetry on a periodic grid of inputs, or cyclic structure of outputs.
 *
 * @example
 * createCyclic(4).act(1, Float64Array.of(1, 2, 3, 4)); // [4, 1, 2, 3]
 */
export function createCyclic(n: number): GroupAction<number> {
  const mod = (k: number) => ((k % n) + n) % n;
  return {
    id: 'cyclic',
    name: `C_${n}`,
    dimension: n,
    actsOn: ['inputs', 'outputs'],
    isCompact: true,
    isFinite: true,
    order: n,
    lieDimension: 0,
    linear: true,
    orthogonal: true,
    samplingMeasure: 'haar',
    identity: () => 0,
    compose: (a, b) => mod(a + b),
    inverse: (a) => mod(-a),
    sample: (rng) => rng.int(n),
    act: (k, x) => {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[mod(i + k)] = x[i];
      return y;
    },
    matrix: (k) => {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) m[mod(i + k) * n + i] = 1;
      return m;
    },
    elements: () => Array.from({ length: n }, (_, k) => k),
    isMember: (k) => Number.isInteger(k) && k >= 0 && k < n,
    // Uniform k: ρ_ji = 1 iff j = i + k mod n, probability 1/n.
    haarMoments: () => ({ mean: new Float64Array(n * n).fill(1 / n), second: new Float64Array(n * n).fill(1 / n) }),
    describe: (k) => ({ shift: k }),
  };
}

/** Plugin `cyclic`: C_n cyclic shifts of R^n. Config `{ n }`. */
export const cyclicPlugin: GroupActionPlugin<{ n: number }> = {
  meta: { id: 'cyclic', kind: 'group-action', description: 'C_n: cyclic shifts of the n coordinates', version: '0.1.0', aliases: ['cyclic-shifts'] },
  configSchema: z.object({ n: z.number().int().positive() }),
  create: ({ n }) => createCyclic(n),
};

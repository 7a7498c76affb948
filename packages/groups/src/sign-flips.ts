import { z } from 'zod';
import { eyeSquare } from '@nnsym/numerics';
import type { GroupAction, GroupActionPlugin } from './types';

/** Largest n for which `elements()` enumerates Z2^n. */
const MAX_ENUMERATED = 12;

/**
 * Z2^n, independent sign flips of the coordinates: element s ∈ {±1}^n, (s·x)_i = s_i x_i, ρ(s) = diag(s).
 * Uniform sampling (each sign a fair coin).
 *
 * When to use: the reflection symmetries of a density that is even in each coordinate (e.g. zero-mean outputs).
 *
 * @example
 * createSignFlips(2).act(Float64Array.of(-1, 1), Float64Array.of(3, 4)); // [-3, 4]
 */
export function createSignFlips(n: number): GroupAction<Float64Array> {
  return {
    id: 'sign-flips',
    name: `Z2^${n}`,
    dimension: n,
    actsOn: ['inputs', 'outputs'],
    isCompact: true,
    isFinite: true,
    order: 2 ** n,
    lieDimension: 0,
    linear: true,
    orthogonal: true,
    samplingMeasure: 'haar',
    identity: () => new Float64Array(n).fill(1),
    compose: (s, t) => s.map((v, i) => v * t[i]),
    inverse: (s) => Float64Array.from(s),
    sample: (rng) => Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1)),
    act: (s, x) => Float64Array.from(x, (v, i) => v * s[i]),
    matrix: (s) => {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) m[i * n + i] = s[i];
      return m;
    },
    elements:
      n <= MAX_ENUMERATED
        ? () => Array.from({ length: 2 ** n }, (_, b) => Float64Array.from({ length: n }, (_, i) => ((b >> i) & 1 ? -1 : 1)))
        : undefined,
    isMember: (s) => s instanceof Float64Array && s.length === n && s.every((v) => v === 1 || v === -1),
    // E[s_i] = 0, s_i² = 1; off-diagonal entries are 0.
    haarMoments: () => {
      return { mean: new Float64Array(n * n), second: eyeSquare(n) };
    },
    describe: (s) => ({ signs: Array.from(s) }),
  };
}

/** Plugin `sign-flips`: Z2^n coordinate sign flips. Config `{ n }`. */
export const signFlipsPlugin: GroupActionPlugin<{ n: number }> = {
  meta: { id: 'sign-flips', kind: 'group-action', description: 'Z2^n: independent sign flips of the n coordinates', version: '0.1.0' },
  configSchema: z.object({ n: z.number().int().positive() }),
  create: ({ n }) => createSignFlips(n),
};

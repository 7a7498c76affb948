import { z } from 'zod';
import type { GroupAction, GroupActionPlugin } from './types';

/** Largest n for which `elements()` enumerates S_n (8! = 40320). */
const MAX_ENUMERATED = 8;

/**
 * S_n, the symmetric group, acting on R^n by permuting coordinates: (p·x)_{p[i]} = x_i, so ρ(p)_{p[i], i} = 1 and
 * (p∘q)[i] = p[q[i]]. Elements are Int32Array permutations; sampling is uniform (Fisher-Yates).
 *
 * When to use: exchangeability of inputs or outputs (e.g. iid output rows of W1 give S_{d_out} output symmetry).
 *
 * @example
 * const s3 = createPermutations(3);
 * s3.act(Int32Array.of(1, 2, 0), Float64Array.of(10, 20, 30)); // [30, 10, 20]
 */
export function createPermutations(n: number): GroupAction<Int32Array> {
  const valid = (p: Int32Array): boolean => {
    if (!(p instanceof Int32Array) || p.length !== n) return false;
    const seen = new Uint8Array(n);
    for (const v of p) {
      if (v < 0 || v >= n || seen[v]) return false;
      seen[v] = 1;
    }
    return true;
  };
  let factorial = 1;
  for (let i = 2; i <= n; i++) factorial *= i;
  return {
    id: 'sym',
    name: `S_${n}`,
    dimension: n,
    actsOn: ['inputs', 'outputs'],
    isCompact: true,
    isFinite: true,
    order: factorial,
    lieDimension: 0,
    linear: true,
    orthogonal: true,
    samplingMeasure: 'haar',
    identity: () => Int32Array.from({ length: n }, (_, i) => i),
    compose: (p, q) => Int32Array.from(q, (qi) => p[qi]),
    inverse: (p) => {
      const inv = new Int32Array(n);
      for (let i = 0; i < n; i++) inv[p[i]] = i;
      return inv;
    },
    sample: (rng) => rng.permutation(n),
    act: (p, x) => {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[p[i]] = x[i];
      return y;
    },
    matrix: (p) => {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) m[p[i] * n + i] = 1;
      return m;
    },
    elements: n <= MAX_ENUMERATED ? () => allPermutations(n) : undefined,
    isMember: (p) => valid(p),
    // Uniform p: P(p[i] = j) = 1/n, and ρ_ji ∈ {0, 1}, so E[ρ] = E[ρ²] = 1/n entrywise.
    haarMoments: () => ({ mean: new Float64Array(n * n).fill(1 / n), second: new Float64Array(n * n).fill(1 / n) }),
    describe: (p) => ({ permutation: Array.from(p) }),
  };
}

/** Every permutation of 0..n−1 (Heap's algorithm). */
export function allPermutations(n: number): Int32Array[] {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  const out: Int32Array[] = [Int32Array.from(a)];
  const c = new Int32Array(n);
  let i = 0;
  while (i < n) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      [a[j], a[i]] = [a[i], a[j]];
      out.push(Int32Array.from(a));
      c[i]++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return out;
}

/** Plugin `sym`: S_n permuting the coordinates of R^n. Config `{ n }`. */
export const permutationsPlugin: GroupActionPlugin<{ n: number }> = {
  meta: { id: 'sym', kind: 'group-action', description: 'S_n: permutations of the n coordinates (uniform sampling)', version: '0.1.0', aliases: ['permutations', 'symmetric'] },
  configSchema: z.object({ n: z.number().int().positive() }),
  create: ({ n }) => createPermutations(n),
};

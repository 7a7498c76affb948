import { z } from 'zod';
import { haarOrthogonal } from '@nnsym/numerics';
import { definingRepMoments, orthogonalMatrixGroup, soGenerators } from './matrix-group';
import type { GroupAction, GroupActionPlugin } from './types';

/** Config of {@link orthogonalPlugin}. */
export interface OrthogonalConfig {
  /** The group acts on R^n. */
  n: number;
}

/**
 * O(n), rotations and reflections of R^n. Haar sampling by QR of a Gaussian matrix with the sign fix (Mezzadri
 * 2007); its Lie algebra is so(n) (the identity component); `exp` only reaches SO(n).
 *
 * When to use: the full isotropy group of a zero-mean isotropic normal layer (a declared O(n) invariance).
 *
 * @example
 * const o3 = createOrthogonal(3);
 * const Q = o3.sample(new Rng(0)); // det ±1, each with probability 1/2
 */
export function createOrthogonal(n: number): GroupAction<Float64Array> {
  return orthogonalMatrixGroup({
    id: 'o',
    name: `O(${n})`,
    n,
    sample: (rng) => haarOrthogonal(n, rng),
    generators: soGenerators(n),
    haarMoments: () => definingRepMoments(n, false),
    elements: n === 1 ? () => [Float64Array.of(1), Float64Array.of(-1)] : undefined,
  });
}

/** Plugin `o`: O(n) acting on R^n. Config `{ n }`. */
export const orthogonalPlugin: GroupActionPlugin<OrthogonalConfig> = {
  meta: {
    id: 'o',
    kind: 'group-action',
    description: 'O(n): rotations and reflections of R^n (Haar sampling, so(n) generators)',
    version: '0.1.0',
    reference: 'arXiv 2106.00694 Sec. 2',
    aliases: ['orthogonal'],
  },
  configSchema: z.object({ n: z.number().int().positive() }),
  create: ({ n }) => createOrthogonal(n),
};

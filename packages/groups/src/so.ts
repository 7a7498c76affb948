import { z } from 'zod';
import { haarSpecialOrthogonal } from '@nnsym/numerics';
import { definingRepMoments, hasUnitDeterminant, orthogonalMatrixGroup, soGenerators } from './matrix-group';
import type { GroupAction, GroupActionPlugin } from './types';

/** Config of {@link specialOrthogonalPlugin}. */
export interface SpecialOrthogonalConfig {
  /** The group acts on R^n. */
  n: number;
}

/**
 * SO(n), rotations of R^n, in its defining representation. Haar sampling by QR of a Gaussian matrix with the sign
 * fix and a determinant fix; Lie algebra so(n) with basis L_ij = E_ij − E_ji; exp by scaling and squaring.
 *
 * When to use: the output symmetry SO(d_out) of 2106.00694 (Sec. 4, zero-mean last layer), or input rotations
 * SO(d_in) with a zero-mean first layer.
 *
 * @example
 * const so = createSpecialOrthogonal(5);
 * const R = so.sample(new Rng(0)); // 5×5 row-major, det +1
 */
export function createSpecialOrthogonal(n: number): GroupAction<Float64Array> {
  return orthogonalMatrixGroup({
    id: 'so',
    name: `SO(${n})`,
    n,
    sample: (rng) => haarSpecialOrthogonal(n, rng),
    generators: soGenerators(n),
    extraMember: (g, tol) => hasUnitDeterminant(g, n, tol),
    haarMoments: () => definingRepMoments(n, true),
    elements: n === 1 ? () => [Float64Array.of(1)] : undefined,
  });
}

/** Plugin `so`: SO(n) acting on R^n. Config `{ n }`. */
export const specialOrthogonalPlugin: GroupActionPlugin<SpecialOrthogonalConfig> = {
  meta: {
    id: 'so',
    kind: 'group-action',
    description: 'SO(n): rotations of R^n (Haar sampling, so(n) generators, exp map)',
    version: '0.1.0',
    aliases: ['rotations', 'special-orthogonal'],
    reference: 'arXiv 2106.00694 Sec. 4',
  },
  configSchema: z.object({ n: z.number().int().positive() }),
  create: ({ n }) => createSpecialOrthogonal(n),
};

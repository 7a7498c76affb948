import { UsageError } from '@nnsym/core';
import { nuclearNorm, centerColumns, frobenius, matmulTN, matScale as scale, type Mat } from '@nnsym/numerics';

/**
 * Orthogonal Procrustes distance between representations `X [n, p]`, `Y [n, q]` of the same inputs
 * (Ding, Denain, Steinhardt 2021; Williams et al. 2021), in float64:
 *
 *   d^2 = min_{Q orthogonal} ||X^ - Y^ Q||_F^2 = 2 - 2 ||X^^T Y^||_*,   X^ = X_c / ||X_c||_F,
 *
 * with `X_c` the column-centred matrix (pass `center: false` to skip centring) and `||.||_*` the nuclear norm;
 * different widths are handled as zero padding. Returns `d` in [0, sqrt 2]: 0 when Y is a rotation and rescaling
 * of X. When to use: a metric (triangle inequality) invariant to the whole orthogonal group, i.e. blind to the
 * activation basis; compare with {@link gReluProcrustes}.
 *
 * @example
 * procrustesDistance(x, y); // 0 for y = x Q with Q orthogonal
 */
export function procrustesDistance(x: Mat, y: Mat, options: { center?: boolean } = {}): number {
  if (x.rows !== y.rows)
    throw new UsageError(`procrustes: representations have different sample counts (${x.rows} vs ${y.rows})`, 'samples');
  const center = options.center ?? true;
  const xc = center ? centerColumns(x) : x;
  const yc = center ? centerColumns(y) : y;
  const nx = frobenius(xc);
  const ny = frobenius(yc);
  if (nx === 0 || ny === 0) return NaN;
  const c = matmulTN(scale(xc, 1 / nx), scale(yc, 1 / ny));
  return Math.sqrt(Math.max(0, 2 - 2 * nuclearNorm(c)));
}

import { NnsymError } from '@nnsym/core';
import type { Mat } from '@nnsym/numerics';

/** Result of {@link linearAssignment}: row `i` is assigned to column `rowToCol[i]`. */
export interface Assignment {
  rowToCol: Int32Array;
  /** Sum of the chosen entries of the (original, unnegated) matrix. */
  total: number;
}

/**
 * The linear assignment problem: choose one distinct column per row to minimise (or maximise) the sum of the
 * chosen entries of `cost [n, m]`, `n <= m`. Shortest augmenting paths with dual potentials (the Jonker-Volgenant
 * / Hungarian scheme, O(n^2 m)), in float64. Used to align neurons up to a permutation (G_relu's permutation part).
 *
 * Derivation sketch: keep potentials u (rows), v (columns) with u_i + v_j <= c_ij (dual feasibility); add one row
 * at a time by Dijkstra on reduced costs c_ij - u_i - v_j >= 0, then update the potentials so that the path's
 * edges are tight and flip the path. After n rows the matching is complete and complementary slackness holds, so
 * it is optimal.
 *
 * @example
 * linearAssignment(matFrom([[4, 1], [2, 3]])).rowToCol; // Int32Array [1, 0]  (1 + 2 = 3)
 */
export function linearAssignment(cost: Mat, options: { maximize?: boolean } = {}): Assignment {
  const n = cost.rows;
  const m = cost.cols;
  if (n > m) throw new NnsymError(`linearAssignment: more rows (${n}) than columns (${m}); transpose the matrix`);
  const sign = options.maximize ? -1 : 1;
  for (let i = 0; i < cost.data.length; i++) {
    if (!Number.isFinite(cost.data[i])) throw new NnsymError('linearAssignment: cost matrix has a non-finite entry');
  }
  const c = (i: number, j: number) => sign * cost.data[i * m + j];
  // 1-based arrays with a virtual column 0 (the classic formulation).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const colToRow = new Int32Array(m + 1); // 0 = free
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    colToRow[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = colToRow[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = c(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[colToRow[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (colToRow[j0] !== 0);
    do {
      const j1 = way[j0];
      colToRow[j0] = colToRow[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (colToRow[j] !== 0) rowToCol[colToRow[j] - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += cost.data[i * m + rowToCol[i]];
  return { rowToCol, total };
}

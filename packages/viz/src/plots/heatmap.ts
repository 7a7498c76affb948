import { baseSpec, finite, type PlotOptions, type PlotSpec } from './spec';

export interface HeatmapOptions extends PlotOptions {
  /** Labels of the rows (top to bottom) and columns (left to right); default 0, 1, 2, ... */
  rowLabels?: string[];
  colLabels?: string[];
  /** Colour legend title (default 'value'). */
  valueTitle?: string;
  /** A diverging scale centred on 0 (correlations, ΔG); default: diverging when values have both signs. */
  diverging?: boolean;
  /** Print the value in each cell (default: when the matrix has at most 12 x 12 cells). */
  showValues?: boolean;
}

/**
 * A heatmap of a matrix: correlator matrices G(x_i, x_j), NNGP/NTK kernels, accuracy over μ x k, similarity
 * matrices. One `rect` mark per finite cell; rows top to bottom in the given order.
 *
 * Shape: `matrix` is rows x cols (ragged rows are allowed; missing and non-finite cells are left blank).
 *
 * @example
 * const svg = await renderSvg(heatmap([[1, 0.6], [0.6, 1]], { title: 'NNGP kernel', rowLabels: ['x1', 'x2'] }));
 */
export function heatmap(matrix: ReadonlyArray<ArrayLike<number>>, opts: HeatmapOptions = {}): PlotSpec {
  const nRows = matrix.length;
  const nCols = Math.max(0, ...matrix.map((r) => r.length));
  const rowLabels = opts.rowLabels ?? Array.from({ length: nRows }, (_, i) => String(i));
  const colLabels = opts.colLabels ?? Array.from({ length: nCols }, (_, j) => String(j));
  const values: { row: string; col: string; value: number; r: number; c: number }[] = [];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < matrix[i].length; j++) {
      const v = matrix[i][j];
      if (!finite(v)) continue;
      values.push({ row: rowLabels[i] ?? String(i), col: colLabels[j] ?? String(j), value: v, r: i, c: j });
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const diverging = opts.diverging ?? (min < 0 && max > 0);
  const span0 = Math.max(Math.abs(min), Math.abs(max), 1e-300);
  const scale = diverging ? { scheme: 'redblue', domain: [-span0, span0], reverse: true } : { scheme: 'viridis' };
  const cell = Math.max(14, Math.min(48, Math.floor(360 / Math.max(1, nCols))));
  const showValues = opts.showValues ?? (nRows <= 12 && nCols <= 12);
  const x = { field: 'col', type: 'ordinal', sort: colLabels, title: opts.xTitle ?? null };
  const y = { field: 'row', type: 'ordinal', sort: rowLabels, title: opts.yTitle ?? null };
  const layer: PlotSpec[] = [
    {
      mark: { type: 'rect' },
      encoding: { x, y, color: { field: 'value', type: 'quantitative', title: opts.valueTitle ?? 'value', scale }, tooltip: [{ field: 'row' }, { field: 'col' }, { field: 'value', format: '.4g' }] },
    },
  ];
  if (showValues) {
    const span = Math.max(Math.abs(min), Math.abs(max));
    layer.push({
      mark: { type: 'text', fontSize: 10 },
      encoding: {
        x,
        y,
        text: { field: 'value', type: 'quantitative', format: '.3~g' },
        color: { condition: { test: diverging ? `abs(datum.value) > ${0.6 * span}` : `datum.value < ${min + 0.45 * (max - min)}`, value: 'white' }, value: 'black' },
      },
    });
  }
  return { ...baseSpec(opts, { width: cell * nCols, height: cell * nRows }), data: { values }, layer };
}

import { baseSpec, finite, scaleOf, type PlotOptions, type PlotSpec } from './spec';

/** One point of a scatter plot. */
export interface ScatterPoint {
  x: number;
  y: number;
  series?: string;
}

export interface ScatterOptions extends PlotOptions {
  /** Draw the line y = x (e.g. measured vs predicted). */
  diagonal?: boolean;
  seriesTitle?: string;
}

/**
 * A scatter plot, one filled `point` mark per finite datum, coloured by series: measured vs predicted
 * correlators, representation similarity of two networks, p-values against their uniform quantiles.
 *
 * @example
 * const svg = await renderSvg(scatter(pairs.map(([a, b]) => ({ x: a, y: b })), { diagonal: true, xTitle: 'GP', yTitle: 'ensemble' }));
 */
export function scatter(data: readonly ScatterPoint[], opts: ScatterOptions = {}): PlotSpec {
  const rows = data.filter((d) => finite(d.x) && finite(d.y)).map((d) => ({ x: d.x, y: d.y, series: d.series ?? '' }));
  const multi = rows.some((r) => r.series !== '');
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'x', scale: scaleOf(opts.xScale, opts.zero) };
  const y = { field: 'y', type: 'quantitative', title: opts.yTitle ?? 'y', scale: scaleOf(opts.yScale, opts.zero) };
  const layer: PlotSpec[] = [
    {
      mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
      encoding: { x, y, color: multi ? { field: 'series', type: 'nominal', title: opts.seriesTitle ?? null, sort: [...new Set(rows.map((r) => r.series))] } : { value: '#4c78a8' }, tooltip: [{ field: 'x' }, { field: 'y' }] },
    },
  ];
  if (opts.diagonal && rows.length > 0) {
    const lo = Math.min(...rows.map((r) => Math.min(r.x, r.y)));
    const hi = Math.max(...rows.map((r) => Math.max(r.x, r.y)));
    layer.push({
      data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
      mark: { type: 'line', color: '#888', strokeDash: [4, 3], strokeWidth: 1 },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
  }
  return { ...baseSpec(opts), data: { values: rows }, layer };
}

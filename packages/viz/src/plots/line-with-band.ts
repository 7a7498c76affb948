import { baseSpec, finite, scaleOf, xAxisOf, type PlotOptions, type PlotSpec } from './spec';

/** One point of a line with an uncertainty band. Give `err` (band y ± err) or `lo`/`hi`; neither draws no band. */
export interface BandPoint {
  x: number;
  y: number;
  /** Half-width of the band, e.g. one standard error. */
  err?: number;
  lo?: number;
  hi?: number;
  /** Series name (one line, band and colour per series). */
  series?: string;
}

export interface LineWithBandOptions extends PlotOptions {
  /** Multiply `err` by this before drawing (e.g. 1.96 for a 95 % band); default 1. */
  errScale?: number;
  /** Draw a point per datum (default true). */
  points?: boolean;
  /** Series drawn dashed without points (e.g. a Gaussian-process prediction). */
  dashed?: string[];
  /** Legend title (default none). */
  seriesTitle?: string;
}

/**
 * A line plot with a shaded error band, one line per series: deviation vs 1/N with standard errors, Noether charges
 * vs time, accuracy vs μ.
 *
 * Layers: `area` (y ± err·errScale, one per series with a band), `line` (one per series), `point` (one per datum,
 * unless `points: false` or the series is dashed). Non-finite values, and non-positive ones on log axes, are dropped.
 *
 * @example
 * const spec = lineWithBand([{ x: 0.01, y: 0.2, err: 0.01 }, { x: 0.02, y: 0.41, err: 0.02 }], { xTitle: '1/N', yTitle: 'deviation' });
 * const svg = await renderSvg(spec);
 */
export function lineWithBand(data: readonly BandPoint[], opts: LineWithBandOptions = {}): PlotSpec {
  const k = opts.errScale ?? 1;
  const dashed = new Set(opts.dashed ?? []);
  const rows = data
    .filter((d) => finite(d.x) && finite(d.y) && (opts.xScale !== 'log' || d.x > 0) && (opts.yScale !== 'log' || d.y > 0))
    .map((d) => {
      const lo = finite(d.lo) ? d.lo : finite(d.err) ? d.y - k * d.err : undefined;
      const hi = finite(d.hi) ? d.hi : finite(d.err) ? d.y + k * d.err : undefined;
      const series = d.series ?? '';
      return { x: d.x, y: d.y, lo, hi, series, dashed: dashed.has(series) };
    });
  const order = [...new Set(rows.map((r) => r.series))];
  const multi = order.length > 1 || rows.some((r) => r.series !== '');
  // Series keep the order of first appearance (k = 0, 2, ..., 10, not the lexical 0, 10, 2, ...).
  const color = multi ? { field: 'series', type: 'nominal', title: opts.seriesTitle ?? null, sort: order } : { value: '#4c78a8' };
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'x', scale: scaleOf(opts.xScale, opts.zero), axis: xAxisOf(opts) };
  const y = { field: 'y', type: 'quantitative', title: opts.yTitle ?? 'y', scale: scaleOf(opts.yScale, opts.zero) };
  const layer: PlotSpec[] = [];
  if (rows.some((r) => r.lo !== undefined && r.hi !== undefined)) {
    layer.push({
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', opacity: 0.22 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: y.title, scale: y.scale }, y2: { field: 'hi' }, color },
    });
  }
  layer.push({
    mark: { type: 'line', strokeWidth: 1.8 },
    encoding: { x, y, color, strokeDash: { field: 'dashed', type: 'nominal', legend: null, scale: { domain: [false, true], range: [[1, 0], [5, 3]] } } },
  });
  if (opts.points !== false) {
    layer.push({
      transform: [{ filter: '!datum.dashed' }],
      mark: { type: 'point', filled: true, size: 28 },
      encoding: { x, y, color, tooltip: [{ field: 'series' }, { field: 'x' }, { field: 'y' }, { field: 'lo' }, { field: 'hi' }] },
    });
  }
  return { ...baseSpec(opts), data: { values: rows }, layer };
}

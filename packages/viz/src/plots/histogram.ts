import { baseSpec, finite, type PlotOptions, type PlotSpec } from './spec';

export interface HistogramOptions extends PlotOptions {
  /** Maximum number of bins (default 30); ignored when `step` is given. */
  maxBins?: number;
  /** Exact bin width, with bins aligned to `extent[0]` (or to nice values). */
  step?: number;
  /** Range covered by the bins (default: the data's). */
  extent?: [number, number];
  /** Normalise to a density (bar area 1) instead of counts. */
  density?: boolean;
}

/**
 * A histogram of a sample (network outputs f(x) over an ensemble, p-values, charge drifts): one `rect` (bar) mark
 * per non-empty bin. Binning is Vega-Lite's `bin` transform (nice boundaries), done when rendering.
 *
 * @example
 * const svg = await renderSvg(histogram(outputs, { xTitle: 'f(x)', maxBins: 40, density: true }));
 */
export function histogram(values: ArrayLike<number>, opts: HistogramOptions = {}): PlotSpec {
  const rows: { v: number }[] = [];
  for (let i = 0; i < values.length; i++) if (finite(values[i])) rows.push({ v: values[i] });
  const bin: Record<string, unknown> = opts.step ? { step: opts.step } : { maxbins: opts.maxBins ?? 30 };
  if (opts.extent) bin['extent'] = opts.extent;
  const n = rows.length;
  const transform: PlotSpec[] = [{ bin: { ...bin }, field: 'v', as: ['b0', 'b1'] }, { aggregate: [{ op: 'count', as: 'count' }], groupby: ['b0', 'b1'] }];
  if (opts.density) transform.push({ calculate: `datum.count / (${n} * (datum.b1 - datum.b0))`, as: 'count' });
  return {
    ...baseSpec(opts),
    data: { values: rows },
    transform,
    mark: { type: 'bar', color: '#4c78a8', binSpacing: 1 },
    encoding: {
      x: { field: 'b0', type: 'quantitative', bin: { binned: true }, title: opts.xTitle ?? 'value' },
      x2: { field: 'b1' },
      y: { field: 'count', type: 'quantitative', title: opts.yTitle ?? (opts.density ? 'density' : 'count') },
      tooltip: [{ field: 'b0', title: 'from' }, { field: 'b1', title: 'to' }, { field: 'count' }],
    },
  };
}

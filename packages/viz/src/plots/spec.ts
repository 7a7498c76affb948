/**
 * A Vega-Lite specification as plain JSON (https://vega.github.io/vega-lite/docs/spec.html). The builders in this
 * folder return one; `renderSvg` turns it into a standalone SVG string; a report or a notebook may also hand it to
 * vega-embed unchanged.
 */
export type PlotSpec = { [key: string]: unknown };

/** Options common to every plot builder. */
export interface PlotOptions {
  title?: string;
  /** Width and height of the plotting area in px (default 360 x 240). */
  width?: number;
  height?: number;
  xTitle?: string;
  yTitle?: string;
  /** Axis scale types (default linear). */
  xScale?: 'linear' | 'log' | 'symlog';
  yScale?: 'linear' | 'log' | 'symlog';
  /** Include zero in the axis domains (default false: the data range). */
  zero?: boolean;
  /** x takes integer values (epochs): integer ticks only. */
  xInteger?: boolean;
}

/**
 * Fonts for headless rendering. Node has no font metrics, so vega estimates text widths; the SVG names a stack of
 * fonts that Debian's `fonts-liberation` and `fonts-dejavu` provide, falling back to any sans-serif font, so the page
 * looks the same in headless Chromium and in a desktop browser.
 */
export const PLOT_FONT = 'Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif';

/** The shared Vega-Lite config: fonts, a white background, quiet grid. */
export const PLOT_CONFIG = {
  font: PLOT_FONT,
  background: 'white',
  padding: 8,
  axis: { labelFont: PLOT_FONT, titleFont: PLOT_FONT, labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFont: PLOT_FONT, titleFont: PLOT_FONT },
  title: { font: PLOT_FONT, fontSize: 13, anchor: 'start' },
  view: { stroke: '#ddd' },
  range: { category: ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d'] },
} as const;

/** The top-level fields every builder shares. */
export function baseSpec(opts: PlotOptions, defaults: { width?: number; height?: number } = {}): PlotSpec {
  const spec: PlotSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: opts.width ?? defaults.width ?? 360,
    height: opts.height ?? defaults.height ?? 240,
    config: PLOT_CONFIG,
  };
  if (opts.title) spec['title'] = opts.title;
  return spec;
}

/** A quantitative scale object from the options. */
export function scaleOf(type: PlotOptions['xScale'], zero: boolean | undefined): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  if (type !== 'log') s['zero'] = Boolean(zero);
  if (type && type !== 'linear') s['type'] = type;
  return s;
}

/** The x axis object from the options (integer ticks for `xInteger`). */
export function xAxisOf(opts: PlotOptions): Record<string, unknown> | undefined {
  return opts.xInteger ? { tickMinStep: 1, format: 'd' } : undefined;
}

/** Drop non-finite numbers (NaN, ±Infinity) that vega would draw as gaps or reject on log scales. */
export function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

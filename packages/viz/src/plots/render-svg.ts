import { vegaRuntime } from './vega-runtime';
import type { PlotSpec } from './spec';

/** Vega-Lite's warnings (e.g. a dropped scale property) would go to the console; a plot is not a log. */
interface Logger {
  level(): number;
  warn(): Logger;
  info(): Logger;
  debug(): Logger;
  error(...args: unknown[]): Logger;
}
const QUIET: Logger = {
  level: () => 0,
  warn: () => QUIET,
  info: () => QUIET,
  debug: () => QUIET,
  error: (...args) => {
    throw new Error(args.map(String).join(' '));
  },
};

/**
 * Render a Vega-Lite spec to a standalone SVG string, in Node, with no browser: Vega-Lite compiles it to Vega, and a
 * vega `View` with the headless renderer `'none'` draws it with `toSVG()`. The SVG has fixed width/height, a white
 * background and the font stack of {@link PLOT_FONT}; it can be inlined into HTML or saved as a file.
 *
 * Throws (a one-line message starting "plot:") when the spec is invalid.
 *
 * @example
 * import { renderSvg, heatmap } from '@nnsym/viz';
 * const svg = await renderSvg(heatmap([[1, 0.5], [0.5, 1]]));
 * writeFileSync('kernel.svg', svg);
 */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const { vega, vegaLite } = vegaRuntime();
  let compiled: unknown;
  try {
    compiled = vegaLite.compile(spec, { logger: QUIET }).spec;
  } catch (e) {
    throw new Error(`plot: invalid Vega-Lite spec: ${(e as Error).message.split('\n')[0]}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

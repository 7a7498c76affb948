import { countMarks, parseSvg } from '../testing/svg';
import { heatmap } from './heatmap';
import { histogram } from './histogram';
import { lineWithBand } from './line-with-band';
import { renderSvg } from './render-svg';
import { scatter } from './scatter';

describe('plots render to standalone SVG in Node', () => {
  it('lineWithBand: one area and one line per series, one point per datum', async () => {
    const data = [1, 2, 3, 4, 5].flatMap((x) => [
      { x, y: 1 / x, err: 0.05, series: 'ensemble' },
      { x, y: 1 / x + 0.01, series: 'GP' },
    ]);
    const svg = await renderSvg(lineWithBand(data, { xTitle: '1/N', yTitle: 'deviation', dashed: ['GP'] }));
    const root = parseSvg(svg);
    expect(root.attrs['width']).toMatch(/^\d+$/);
    expect(countMarks(root, 'area')).toBe(1); // only the ensemble has err
    expect(countMarks(root, 'line')).toBe(2);
    expect(countMarks(root, 'symbol')).toBe(5); // the dashed GP series has no points
    expect(svg).toContain('deviation');
    expect(svg).toContain('Liberation Sans');
  });

  it('lineWithBand drops non-finite points and draws lo/hi bands', async () => {
    const svg = await renderSvg(lineWithBand([{ x: 0, y: 1, lo: 0.5, hi: 1.5 }, { x: 1, y: NaN }, { x: 2, y: 2, lo: 1, hi: 3 }]));
    expect(countMarks(svg, 'symbol')).toBe(2);
    expect(countMarks(svg, 'area')).toBe(1);
  });

  it('heatmap: one rect per finite cell, values printed in small matrices', async () => {
    const m = [
      [1, 0.5, -0.2],
      [0.5, 1, NaN],
    ];
    const svg = await renderSvg(heatmap(m, { rowLabels: ['a', 'b'], colLabels: ['p', 'q', 'r'] }));
    expect(countMarks(svg, 'rect')).toBe(5);
    expect(countMarks(svg, 'text')).toBe(5);
    expect(svg).toContain('>\u22120.2<'); // vega formats minus signs as U+2212
  });

  it('scatter: one symbol per point, plus the diagonal', async () => {
    const pts = Array.from({ length: 17 }, (_, i) => ({ x: i, y: i * i }));
    const svg = await renderSvg(scatter(pts, { diagonal: true }));
    expect(countMarks(svg, 'symbol')).toBe(17);
    expect(countMarks(svg, 'line')).toBe(1);
  });

  it('histogram: one bar per non-empty bin with the right counts', async () => {
    // bins of width 1 on [0, 5): values 0.5 x3, 1.5 x1, 3.5 x2 -> three non-empty bins
    const svg = await renderSvg(histogram([0.5, 0.5, 0.5, 1.5, 3.5, 3.5], { step: 1, extent: [0, 5] }));
    expect(countMarks(svg, 'rect')).toBe(3);
  });

  it('an invalid spec is a one-line error', async () => {
    await expect(renderSvg({ mark: 'no-such-mark' })).rejects.toThrow(/^plot: /);
  });
});

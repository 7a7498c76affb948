import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countMarks, parseSvg } from '../../testing/svg';
import { buildReport } from '../build';
import { loadReportInput, reportInputFromResult as loadReportInputFrom } from '../load';
import { sweepSections } from './correlators-sweep';

// Real `nnsym correlators --json` results; the commands that made them are in __fixtures__/README.md.
const fixture = (f: string) => join(__dirname, '..', '__fixtures__', f);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are untyped CLI JSON, read field by field
type Json = any;
const json = (f: string): Json => JSON.parse(readFileSync(fixture(f), 'utf8'));

async function page(file: string) {
  const html = await buildReport(loadReportInput(fixture(file)));
  const plots = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parseSvg(m[0]));
  return { html, plots, count: (type: 'rect' | 'symbol' | 'line' | 'area') => plots.map((p) => countMarks(p, type)) };
}

type Row = { x: number; y: number; series: string };
/** The data rows of a lineWithBand spec in a section. */
const specRows = (s: { blocks: Json[] }) => s.blocks.find((b) => b.kind === 'plot').spec.data.values as Row[];

describe('correlators report of real CLI results', () => {
  it('Monte Carlo at one width: G2 heatmap, estimate ± stderr vs the dashed GP, scatter, per order', async () => {
    const r = await page('correlators.json');
    expect(r.html).toContain('data-renderer="correlators"');
    // order 2 over 3 inputs: 3 x 3 heatmap, 6 tuples; order 4: 15 tuples. The GP is dashed, without points.
    expect(r.count('rect')[0]).toBe(9);
    expect(r.count('symbol')).toEqual([0, 6, 6, 15, 15]);
    expect(r.count('area')).toEqual([0, 1, 0, 1, 0]);
    expect(r.count('line')).toEqual([0, 2, 1, 2, 1]); // estimate + GP lines; the scatter's diagonal
    expect(r.html).toContain('over input tuples at N = 10, M = 2000');
    expect(r.html).toContain('GP / Wick');
    // the summary's mean deviation ± stderr, as the CLI computed it
    const s = json('correlators.json').orders['4'].summary;
    expect(r.html).toContain(`${s.meanDeviation.toPrecision(3)} ± ${s.meanDeviationStderr.toPrecision(2)}`);
  });

  it('--method exact: the exact values without an error band', async () => {
    const r = await page('correlators-exact.json');
    expect(r.count('area')).toEqual([0, 0, 0, 0, 0]);
    expect(r.count('symbol')).toEqual([0, 6, 6, 15, 15]);
    expect(r.html).toContain('at N = 10 (exact)');
    expect(r.html).not.toContain('(est − GP) / stderr');
  });

  it('--widths sweep (Monte Carlo): deviation vs 1/N with bands and the dashed fit, per order', async () => {
    const r = await page('correlators-sweep.json');
    expect(r.html).toContain('Width sweep, order 4');
    // order 4: 4 widths, one band; order 6: deviation and connected, 4 points and a band each; fits dashed, no points
    expect(r.count('symbol')).toEqual([4, 8]);
    expect(r.count('area')).toEqual([1, 2]);
    expect(r.count('line')).toEqual([2, 4]);
    expect(r.html).toContain('a + c/N^2');
  });

  it('sweep fit lines evaluate the fitted model: for the exact sweep they pass through every point', () => {
    // Exact in 1/N: the mean G4 deviation is exactly b/N (G4 = GP + c/N per tuple), so the fit a + b/N has chi2 ~ 0
    // and its curve must meet the data at each x = 1/N; the renderer's curve is sum_k c_k x^p_k on a grid of 41 points.
    const p = json('correlators-sweep-exact.json');
    const sections = sweepSections(p.sweep);
    const rows = specRows(sections[0]);
    const data = rows.filter((d) => d.series === 'G4 − GP');
    const fit = rows.filter((d) => d.series.startsWith('fit'));
    expect(data).toHaveLength(4);
    expect(fit).toHaveLength(41);
    const f = p.sweep.fits.find((x: Json) => x.order === 4 && x.quantity === 'deviation').fit;
    expect(fit[0].y).toBeCloseTo(f.coefficients[0], 12); // x = 0: the intercept
    // linear interpolation of the straight fit line at each data x
    for (const d of data) {
      const xMax = fit[40].x;
      const y = fit[0].y + ((fit[40].y - fit[0].y) * d.x) / xMax;
      expect(Math.abs(y - d.y)).toBeLessThan(1e-9 * Math.max(1, Math.abs(d.y)));
    }
  });

  it('--widths sweep with --method exact: no error bands, fit lines dashed', async () => {
    const r = await page('correlators-sweep-exact.json');
    expect(r.count('area')).toEqual([0, 0]);
    expect(r.count('symbol')).toEqual([4, 8]);
    expect(r.html).toContain('(exact in 1/N)');
  });

  it('an order carrying exact-in-1/N values beside the Monte Carlo gets a third, dashed curve and a column', async () => {
    // Same spec (erf-net, N = 10, inputs -1, 0, 1): the exact fixture's values attached to the Monte-Carlo result.
    const mc = json('correlators.json');
    const ex = json('correlators-exact.json');
    for (const k of ['2', '4']) mc.orders[k].exact = ex.orders[k].estimate;
    const html = await buildReport(loadReportInputFrom(mc));
    const plots = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parseSvg(m[0]));
    expect(plots.map((p) => countMarks(p, 'line'))).toEqual([0, 3, 1, 3, 1]);
    expect(plots.map((p) => countMarks(p, 'symbol'))).toEqual([0, 6, 6, 15, 15]); // dashed curves have no points
    expect(html).toContain('exact in 1/N at N = 10');
  });
});

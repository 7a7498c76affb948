import { join } from 'node:path';
import { countMarks, parseSvg } from '../testing/svg';
import { buildReport } from './build';
import { loadReportInput } from './load';

const fixture = (f: string) => join(__dirname, '__fixtures__', f);

/** Marks of one type in every plot of a report page. */
async function marks(file: string, type: 'rect' | 'symbol' | 'line') {
  const html = await buildReport(loadReportInput(fixture(file)));
  const renderer = /data-renderer="([^"]+)"/.exec(html)?.[1];
  return { renderer, html, counts: [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => countMarks(parseSvg(m[0]), type)) };
}

describe('reports of real CLI results (see __fixtures__/README.md)', () => {
  it('kernel: a 5 x 5 NNGP heatmap', async () => {
    const r = await marks('kernel.json', 'rect');
    expect(r.renderer).toBe('kernel');
    expect(r.counts).toEqual([25]);
  });

  it('ntk: NTK and NNGP heatmaps over 3 inputs', async () => {
    const r = await marks('ntk.json', 'rect');
    expect(r.renderer).toBe('kernel');
    expect(r.counts).toEqual([9, 9]);
  });

  it('symmetry: the verdict and the predicted unbroken subgroup', async () => {
    const r = await marks('sym.json', 'rect');
    expect(r.renderer).toBe('symmetry');
    expect(r.html).toContain('SO(3): broken');
    expect(r.html).toContain('Stab_SO(3)(m)');
  });

  it('symmetry --widths: statistic and p-value vs width, one point per width', async () => {
    const r = await marks('symw.json', 'symbol');
    expect(r.counts).toEqual([2, 2]);
  });

  it('noether: loss, drift and charge curves; drift vs eta with one point per step size and series', async () => {
    const r = await marks('noether.json', 'line');
    expect(r.renderer).toBe('noether');
    // loss (1 line), drift (1), the 8 charges with the control dashed in the same plot (9 lines), drift vs eta (2 lines)
    expect(r.counts).toEqual([1, 1, 9, 2]);
    expect(r.html).toContain('neuron-rescaling');
  });

  it('train --json log: the per-step loss and 6 epochs of train and test curves', async () => {
    const r = await marks('train.jsonl', 'symbol');
    expect(r.renderer).toBe('train');
    const input = loadReportInput(fixture('train.jsonl'));
    const steps = input.events.filter((e) => e.type === 'batch-end').length;
    expect(r.counts).toEqual([0, 12, 12]); // the per-step plot has no points (over 60 steps)
    expect(steps).toBeGreaterThan(60);
  });
});

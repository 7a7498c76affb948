import { heatmap } from '../../plots/heatmap';
import { lineWithBand } from '../../plots/line-with-band';
import type { ReportBlock, ReportRenderer, ReportSection } from '../types';
import { eventSections } from './event-sections';
import { isRecordArray, recordsTable } from './util';

/**
 * `nnsym experiment init-symmetry`: best test accuracy vs μ per k (band ±1 standard error over seeds) and the
 * accuracy over the μ x k grid as a heatmap, one pair per loss; then the cell table.
 */
export const experimentRenderer: ReportRenderer = {
  meta: { id: 'experiment', description: 'accuracy vs mu per k, accuracy over mu x k heatmaps' },
  // `nnsym merge` of experiment-grid shards gives the same `cells` shape.
  commands: ['experiment', 'merge'],
  matches: (input) => isRecordArray(input.payload['cells']),
  render(input) {
    const cells = input.payload['cells'] as Record<string, unknown>[];
    const out: ReportSection[] = [];
    for (const loss of [...new Set(cells.map((c) => String(c['loss'])))]) {
      const cs = cells.filter((c) => String(c['loss']) === loss && typeof c['bestTestAccuracy'] === 'number');
      const ks = [...new Set(cs.map((c) => Number(c['k'])))].sort((a, b) => a - b);
      const mus = [...new Set(cs.map((c) => Number(c['mu'])))].sort((a, b) => a - b);
      const blocks: ReportBlock[] = [];
      blocks.push({
        kind: 'plot',
        spec: lineWithBand(
          cs.map((c) => ({ x: Number(c['mu']), y: c['bestTestAccuracy'] as number, err: typeof c['bestTestAccuracySe'] === 'number' ? c['bestTestAccuracySe'] : undefined, series: `k = ${c['k']}` })),
          { title: `${loss}: best test accuracy vs μ (band ±1 stderr)`, xTitle: 'μ', yTitle: 'best test accuracy', seriesTitle: 'rows shifted' },
        ),
      });
      const m = ks.map((k) => mus.map((mu) => (cs.find((c) => Number(c['k']) === k && Number(c['mu']) === mu)?.['bestTestAccuracy'] as number | undefined) ?? NaN));
      blocks.push({ kind: 'plot', spec: heatmap(m, { title: `${loss}: best test accuracy over μ x k`, rowLabels: ks.map((k) => `k=${k}`), colLabels: mus.map((mu) => `μ=${mu}`), valueTitle: 'accuracy', diverging: false }) });
      out.push({ title: `Loss ${loss}`, blocks });
    }
    out.push({ title: 'Cells', blocks: [recordsTable(cells)] });
    return [...out, ...eventSections(input.events)];
  },
};

import { heatmap } from '../../plots/heatmap';
import { lineWithBand } from '../../plots/line-with-band';
import type { ReportBlock, ReportRenderer, ReportSection } from '../types';
import { eventSections } from './event-sections';
import { isNumberArray, isNumberMatrix, isRecord, isRecordArray, recordsTable } from './util';

/** Walk the payload: numeric arrays -> line plots, numeric matrices -> heatmaps, arrays of records -> tables. */
function collect(v: unknown, path: string, blocks: ReportBlock[], depth: number): void {
  if (blocks.length >= 40 || depth > 4) return;
  if (isNumberMatrix(v)) {
    blocks.push({ kind: 'plot', spec: heatmap(v, { title: path }), caption: `${path}: ${v.length} x ${Math.max(...v.map((r) => r.length))}` });
  } else if (isNumberArray(v)) {
    if (v.length > 12) blocks.push({ kind: 'plot', spec: lineWithBand(v.map((y, x) => ({ x, y })), { title: path, xTitle: 'index', yTitle: path, points: v.length <= 60 }) });
  } else if (isRecordArray(v)) {
    blocks.push(recordsTable(v, path));
    for (const [i, r] of v.slice(0, 4).entries()) for (const [k, x] of Object.entries(r)) if (typeof x === 'object' && x !== null) collect(x, `${path}[${i}].${k}`, blocks, depth + 1);
  } else if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) collect(x, path ? `${path}.${k}` : k, blocks, depth + 1);
  }
}

/**
 * The fallback for commands without their own renderer: the parameters table (scalars, done by `buildReport`),
 * then every numeric array as a line plot, every numeric matrix as a heatmap, every array of records as a table,
 * and the event-log sections (curves, metrics) when there is a log.
 */
export const genericRenderer: ReportRenderer = {
  meta: { id: 'generic', description: 'any result: tables of numbers, plots of numeric arrays and matrices, event-log curves' },
  commands: [],
  render(input) {
    const blocks: ReportBlock[] = [];
    collect(input.payload, '', blocks, 0);
    const out: ReportSection[] = [];
    if (blocks.length) out.push({ title: 'Data', blocks });
    out.push(...eventSections(input.events));
    return out;
  },
};

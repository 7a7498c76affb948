import { lineWithBand } from '../../plots/line-with-band';
import type { ReportBlock, ReportRenderer, ReportSection } from '../types';
import { eventSections } from './event-sections';
import { isRecordArray, recordsTable } from './util';

/**
 * `nnsym noether`: the charges along training (trace: value per step, one line per charge, at most 8 per plot, the
 * controls dashed in the first),
 * the loss, the per-charge drift table, the symmetry families, and the drift vs learning rate sweep (log-log).
 */
export const noetherRenderer: ReportRenderer = {
  meta: { id: 'noether', description: 'Noether charges vs step, drift table, drift vs learning rate' },
  commands: ['noether'],
  render(input) {
    const p = input.payload;
    const out: ReportSection[] = [];
    const trace = p['trace'];
    if (isRecordArray(trace)) {
      const keys = [...new Set(trace.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'step');
      const drifts = keys.filter((k) => /drift/i.test(k));
      // Controls (quantities that are no charge, e.g. `control:|W0|^2`) go dashed into the first charge plot, for contrast.
      const controls = keys.filter((k) => /^control/i.test(k));
      const charges = keys.filter((k) => k !== 'loss' && !drifts.includes(k) && !controls.includes(k));
      const blocks: ReportBlock[] = [];
      const xy = (k: string) => trace.flatMap((r) => (typeof r[k] === 'number' && typeof r['step'] === 'number' ? [{ x: r['step'] as number, y: r[k] as number, series: k }] : []));
      if (keys.includes('loss')) blocks.push({ kind: 'plot', spec: lineWithBand(xy('loss'), { title: 'Loss', xTitle: 'step', yTitle: 'loss', yScale: 'log', points: false }) });
      if (drifts.length) blocks.push({ kind: 'plot', spec: lineWithBand(drifts.flatMap(xy), { title: 'Relative charge drift', xTitle: 'step', yTitle: 'relative drift', yScale: 'log', points: false }) });
      for (let g = 0; g < Math.max(charges.length, controls.length ? 1 : 0) && g < 24; g += 8) {
        const group = charges.slice(g, g + 8);
        const extra = g === 0 ? controls : [];
        const title = `Charges vs step (${charges.length > 8 ? `${g + 1}-${g + group.length} of ` : ''}${charges.length})${extra.length ? '; dashed: control (no charge)' : ''}`;
        blocks.push({ kind: 'plot', spec: lineWithBand([...group, ...extra].flatMap(xy), { title, xTitle: 'step', yTitle: 'charge', points: false, dashed: extra }) });
      }
      out.push({ title: 'Charges along training', blocks });
    }
    if (isRecordArray(p['quantities'])) out.push({ title: 'Quantities', blocks: [recordsTable(p['quantities'])] });
    if (isRecordArray(p['families'])) out.push({ title: 'Symmetry families', blocks: [recordsTable(p['families'])] });
    if (isRecordArray(p['etaSweep'])) {
      const s = p['etaSweep'];
      const pts = s.flatMap((r) => [
        { x: Number(r['lr']), y: Number(r['maxChargeDrift']), series: 'max charge drift' },
        { x: Number(r['lr']), y: Number(r['controlDrift']), series: 'control drift' },
      ]).filter((d) => d.x > 0 && d.y > 0);
      out.push({ title: 'Drift vs learning rate', blocks: [{ kind: 'plot', spec: lineWithBand(pts, { title: 'Drift vs η (log-log)', xTitle: 'learning rate η', yTitle: 'relative drift', xScale: 'log', yScale: 'log' }) }, recordsTable(s)] });
    }
    return [...out, ...eventSections(input.events)];
  },
};

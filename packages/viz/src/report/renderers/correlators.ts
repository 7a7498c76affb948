import { heatmap } from '../../plots/heatmap';
import { lineWithBand, type BandPoint } from '../../plots/line-with-band';
import { scatter } from '../../plots/scatter';
import type { ReportBlock, ReportRenderer, ReportSection } from '../types';
import { eventSections } from './event-sections';
import { isNumberArray, isRecord, isRecordArray, recordsTable } from './util';

/** One order of a correlator result, read tolerantly from the payload. */
interface OrderBlock {
  order: number;
  tuples: number[][];
  estimate: number[];
  stderr?: number[];
  gp?: number[];
  /** Exact finite-width values (exact-in-1/N engine), when the result carries them beside a Monte-Carlo estimate. */
  exact?: number[];
  width?: number;
}

function num(v: unknown): number[] | undefined {
  return isNumberArray(v) ? v : undefined;
}

/** Orders from `payload.orders` (array or map by order) or `payload.correlators`. */
export function readOrders(p: Record<string, unknown>): OrderBlock[] {
  const raw = p['orders'] ?? p['correlators'];
  const list: Record<string, unknown>[] = isRecordArray(raw) ? raw : isRecord(raw) ? Object.entries(raw).map(([k, v]) => ({ order: Number(k), ...(isRecord(v) ? v : {}) })) : [];
  const out: OrderBlock[] = [];
  for (const o of list) {
    const estimate = num(o['estimate'] ?? o['values'] ?? o['mean']);
    if (!estimate) continue;
    const rawTuples = o['tuples'] ?? o['indices'];
    const tuples = Array.isArray(rawTuples) && rawTuples.length === estimate.length ? rawTuples.map((t) => (Array.isArray(t) ? t.map(Number) : [Number(t)])) : estimate.map((_, i) => [i]);
    out.push({ order: Number(o['order'] ?? o['n'] ?? tuples[0].length), tuples, estimate, stderr: num(o['stderr'] ?? o['se']), gp: num(o['gp'] ?? o['prediction'] ?? o['reference']), exact: num(o['exact']) });
  }
  return out;
}

function orderSection(o: OrderBlock): ReportSection {
  const blocks: ReportBlock[] = [];
  const label = (t: number[]) => `(${t.join(',')})`;
  if (o.order === 2 && o.tuples.every((t) => t.length === 2)) {
    const n = 1 + Math.max(...o.tuples.flat());
    if (n <= 40) {
      const m = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
      o.tuples.forEach(([i, j], k) => {
        m[i][j] = o.estimate[k];
        if (Number.isNaN(m[j][i])) m[j][i] = o.estimate[k];
      });
      blocks.push({ kind: 'plot', spec: heatmap(m, { title: 'G⁽²⁾(x_i, x_j), ensemble estimate', valueTitle: 'G2' }) });
    }
  }
  const pts: BandPoint[] = o.estimate.map((y, i) => ({ x: i, y, err: o.stderr?.[i], series: 'ensemble' }));
  if (o.gp) pts.push(...o.gp.map((y, i) => ({ x: i, y, series: 'GP (N → ∞)' })));
  const exactName = `exact at N${o.width ? ` = ${o.width}` : ''}`;
  if (o.exact) pts.push(...o.exact.map((y, i) => ({ x: i, y, series: exactName })));
  if (o.estimate.length <= 400) {
    blocks.push({
      kind: 'plot',
      spec: lineWithBand(pts, { title: `G⁽${o.order}⁾ over input tuples (band: ±1 stderr)`, xTitle: 'tuple index', yTitle: `G${o.order}`, dashed: ['GP (N → ∞)', exactName] }),
    });
  }
  const gp = o.gp;
  if (gp) {
    blocks.push({ kind: 'plot', spec: scatter(o.estimate.map((y, i) => ({ x: gp[i], y })), { title: 'Ensemble vs GP', xTitle: 'GP', yTitle: 'ensemble', diagonal: true }) });
  }
  const rows = o.tuples.slice(0, 100).map((t, i) => {
    const z = o.gp && o.stderr && o.stderr[i] > 0 ? (o.estimate[i] - o.gp[i]) / o.stderr[i] : null;
    return [label(t), o.estimate[i], o.stderr?.[i] ?? null, o.gp?.[i] ?? null, z, ...(o.exact ? [o.exact[i] ?? null] : [])];
  });
  blocks.push({ kind: 'table', columns: ['tuple', 'estimate', 'stderr', 'GP', '(est − GP) / stderr', ...(o.exact ? [exactName] : [])], rows, caption: o.tuples.length > 100 ? `first 100 of ${o.tuples.length} tuples` : undefined });
  return { title: `Order ${o.order}`, blocks };
}

/**
 * `nnsym correlators`: per order, the estimated n-point functions over input tuples with standard-error bands, the
 * Gaussian-process (N → ∞) prediction (and the exact finite-N values when an order carries `exact`), their scatter, the G⁽²⁾ matrix as a heatmap, and a width sweep
 * (deviation from the GP vs 1/N) when the result has one (`sweep` or `widths`: records with width, deviation,
 * stderr).
 */
export const correlatorsRenderer: ReportRenderer = {
  meta: { id: 'correlators', description: 'correlators per order: estimate ± stderr vs the GP, G2 heatmap, deviation vs 1/N' },
  commands: ['correlators'],
  render(input) {
    const p = input.payload;
    const width = typeof p['width'] === 'number' ? p['width'] : undefined;
    const out = readOrders(p).map((o) => orderSection({ ...o, width }));
    const sweep = p['sweep'] ?? p['widths'];
    if (isRecordArray(sweep)) {
      const pts = sweep.flatMap((r) => {
        const w = Number(r['width'] ?? r['N']);
        const y = Number(r['deviation'] ?? r['value']);
        return Number.isFinite(w) && w > 0 && Number.isFinite(y) ? [{ x: 1 / w, y, err: typeof r['stderr'] === 'number' ? r['stderr'] : undefined, series: String(r['order'] ?? r['series'] ?? 'deviation') }] : [];
      });
      const blocks: ReportBlock[] = [];
      if (pts.length) blocks.push({ kind: 'plot', spec: lineWithBand(pts, { title: 'Deviation from the GP vs 1/N (band: ±1 stderr)', xTitle: '1/N', yTitle: 'deviation', zero: true }) });
      blocks.push(recordsTable(sweep));
      out.push({ title: 'Width sweep', blocks });
    }
    return [...out, ...eventSections(input.events)];
  },
};

import { histogram } from '../../plots/histogram';
import { lineWithBand } from '../../plots/line-with-band';
import type { ReportBlock, ReportRenderer, ReportSection } from '../types';
import { eventSections } from './event-sections';
import { isRecord, isRecordArray } from './util';

const COLUMNS = ['group', 'on', 'verdict', 'predicted', 'agree', 'pValue', 'statistic', 'dof', 'effectSize', 'networks', 'unbrokenSubgroup'];

function verdictRow(r: Record<string, unknown>): unknown[] {
  return COLUMNS.map((c) => r[c] ?? null);
}

function verdictBlocks(r: Record<string, unknown>): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  const verdict = String(r['verdict'] ?? '?');
  const agree = typeof r['agree'] === 'boolean' ? r['agree'] : null;
  blocks.push({
    kind: 'verdict',
    label: `${r['group'] ?? 'group'}: ${verdict}`,
    ok: agree,
    text: `predicted ${String(r['predicted'] ?? '–')}; ${agree === null ? 'no prediction to compare' : agree ? 'measurement agrees with the prediction' : 'measurement DISAGREES with the prediction'}; p = ${typeof r['pValue'] === 'number' ? r['pValue'].toPrecision(3) : '–'}`,
  });
  if (isRecord(r['perOrder'])) {
    const rows = Object.entries(r['perOrder']).map(([order, s]) => [order, ...(isRecord(s) ? [s['statistic'], s['dof'], s['pValue']] : [null, null, null])]);
    blocks.push({ kind: 'table', title: 'Per order', columns: ['order', 'statistic', 'dof', 'pValue'], rows });
  }
  if (isRecord(r['unbroken'])) {
    const u = r['unbroken'];
    blocks.push({ kind: 'verdict', label: `unbroken subgroup ${String(r['unbrokenSubgroup'] ?? u['group'] ?? '')}: ${String(u['verdict'])}`, ok: typeof u['agree'] === 'boolean' ? u['agree'] : null, text: `p = ${typeof u['pValue'] === 'number' ? u['pValue'].toPrecision(3) : '–'}` });
  }
  return blocks;
}

/**
 * `nnsym symmetry`: the verdict table (group, measured verdict, predicted, agreement, p-value, statistic), per-order
 * statistics and the unbroken subgroup; for `--widths` the p-value vs width; for `--repeat` the histogram of
 * p-values (uniform under the null: the calibration check) and the "broken" rate.
 */
export const symmetryRenderer: ReportRenderer = {
  meta: { id: 'symmetry', description: 'symmetry verdicts, per-order statistics, p-values vs width and their calibration' },
  commands: ['symmetry'],
  render(input) {
    const p = input.payload;
    const out: ReportSection[] = [];
    if (isRecordArray(p['results'])) {
      const rs = p['results'];
      out.push({ title: 'Verdicts', blocks: [{ kind: 'table', columns: COLUMNS, rows: rs.map(verdictRow) }, ...rs.flatMap(verdictBlocks)] });
    } else if (isRecordArray(p['sweep'])) {
      const rs = p['sweep'];
      out.push({
        title: 'Width sweep',
        blocks: [
          { kind: 'plot', spec: lineWithBand(rs.map((r) => ({ x: Number(r['width']), y: Number(r['statistic']) })), { title: 'Test statistic vs width', xTitle: 'width N', yTitle: 'statistic', xScale: 'log', yScale: 'log' }) },
          { kind: 'plot', spec: lineWithBand(rs.map((r) => ({ x: Number(r['width']), y: Number(r['pValue']) })), { title: 'p-value vs width', xTitle: 'width N', yTitle: 'p-value', xScale: 'log', zero: true }) },
          { kind: 'table', columns: ['width', ...COLUMNS], rows: rs.map((r) => [r['width'], ...verdictRow(r)]) },
        ],
      });
    } else if (Array.isArray(p['pValues'])) {
      const pv = p['pValues'] as number[];
      out.push({
        title: 'Calibration over repeated ensembles',
        blocks: [
          { kind: 'verdict', label: `"broken" rate ${Number(p['brokenRate']).toFixed(3)} ± ${Number(p['brokenRateStderr']).toFixed(3)}`, ok: null, text: `α = ${String(p['alpha'])}; predicted ${String(p['predicted'])}` },
          { kind: 'plot', spec: histogram(pv, { title: 'p-values (uniform under an unbroken symmetry)', xTitle: 'p-value', step: 0.05, extent: [0, 1] }) },
        ],
      });
    } else if ('verdict' in p) {
      out.push({ title: 'Verdict', blocks: [{ kind: 'table', columns: COLUMNS, rows: [verdictRow(p)] }, ...verdictBlocks(p)] });
    }
    return [...out, ...eventSections(input.events)];
  },
};

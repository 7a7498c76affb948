import { heatmap } from '../../plots/heatmap';
import { lineWithBand, type BandPoint } from '../../plots/line-with-band';
import { scatter } from '../../plots/scatter';
import type { ReportBlock, ReportRenderer, ReportSection } from '../types';
import { legacySweepSection, pm, sweepSections } from './correlators-sweep';
import { eventSections } from './event-sections';
import { isNumberArray, isRecord, isRecordArray } from './util';

/** One order of a correlator result (`nnsym correlators --json`: `orders["4"]`), read tolerantly from the payload. */
interface OrderBlock {
  order: number;
  tuples: number[][];
  estimate: number[];
  stderr?: number[];
  gp?: number[];
  /** Per tuple (G − G_GP)/G_GP and its standard error. */
  deviation?: number[];
  deviationStderr?: number[];
  /** Connected correlator (G − Wick(G2) for n = 4; the 2008.08601 connected 6-pt piece for n = 6) and its stderr. */
  connected?: number[];
  connectedStderr?: number[];
  /** Exact finite-width values (exact-in-1/N engine), when the result carries them beside a Monte-Carlo estimate. */
  exact?: number[];
  summary?: Record<string, unknown>;
}

/** What the whole result says about how it was computed. */
interface RunInfo {
  exact: boolean;
  width?: number;
  networks?: number;
}

function num(v: unknown): number[] | undefined {
  return isNumberArray(v) ? v : undefined;
}

/** Orders from `payload.orders` (map by order, as the CLI prints it, or a list) or `payload.correlators`. */
export function readOrders(p: Record<string, unknown>): OrderBlock[] {
  const raw = p['orders'] ?? p['correlators'];
  const list: Record<string, unknown>[] = isRecordArray(raw) ? raw : isRecord(raw) ? Object.entries(raw).map(([k, v]) => ({ order: Number(k), ...(isRecord(v) ? v : {}) })) : [];
  const out: OrderBlock[] = [];
  for (const o of list) {
    const estimate = num(o['estimate'] ?? o['values'] ?? o['mean']);
    if (!estimate) continue;
    const rawTuples = o['tuples'] ?? o['indices'];
    const tuples = Array.isArray(rawTuples) && rawTuples.length === estimate.length ? rawTuples.map((t) => (Array.isArray(t) ? t.map(Number) : [Number(t)])) : estimate.map((_, i) => [i]);
    out.push({
      order: Number(o['order'] ?? o['n'] ?? tuples[0].length),
      tuples,
      estimate,
      stderr: num(o['stderr'] ?? o['se']),
      gp: num(o['gp'] ?? o['prediction'] ?? o['reference']),
      deviation: num(o['deviation']),
      deviationStderr: num(o['deviationStderr']),
      connected: num(o['connected']),
      connectedStderr: num(o['connectedStderr']),
      exact: num(o['exact']),
      summary: isRecord(o['summary']) ? o['summary'] : undefined,
    });
  }
  return out.sort((a, b) => a.order - b.order);
}

function g2Heatmap(o: OrderBlock): ReportBlock | undefined {
  if (o.order !== 2 || !o.tuples.every((t) => t.length === 2)) return undefined;
  const n = 1 + Math.max(...o.tuples.flat());
  if (n > 40) return undefined;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  o.tuples.forEach(([i, j], k) => {
    m[i][j] = o.estimate[k];
    if (Number.isNaN(m[j][i])) m[j][i] = o.estimate[k];
  });
  return { kind: 'plot', spec: heatmap(m, { title: 'G⁽²⁾(x_i, x_j)', valueTitle: 'G2' }) };
}

function orderSection(o: OrderBlock, run: RunInfo): ReportSection {
  const blocks: ReportBlock[] = [];
  const hm = g2Heatmap(o);
  if (hm) blocks.push(hm);
  const atN = run.width !== undefined ? ` at N = ${run.width}` : '';
  // Short series names (the legend truncates long labels); width and ensemble size go into the title.
  const estName = run.exact ? 'exact' : 'Monte Carlo';
  const gpName = 'GP / Wick';
  const exactName = 'exact in 1/N';
  const hasErr = !run.exact && !!o.stderr?.some((e) => e > 0);
  const pts: BandPoint[] = o.estimate.map((y, i) => ({ x: i, y, err: hasErr ? o.stderr?.[i] : undefined, series: estName }));
  if (o.gp) pts.push(...o.gp.map((y, i) => ({ x: i, y, series: gpName })));
  if (o.exact) pts.push(...o.exact.map((y, i) => ({ x: i, y, series: exactName })));
  if (o.estimate.length <= 400) {
    const title = `G⁽${o.order}⁾ over input tuples${atN}${run.exact ? ' (exact)' : run.networks ? `, M = ${run.networks}` : ''}${hasErr ? ' (band: ±1 stderr)' : ''}`;
    blocks.push({ kind: 'plot', spec: lineWithBand(pts, { title, xTitle: 'tuple index (table below)', yTitle: `G${o.order}`, dashed: [gpName, exactName] }) });
  }
  const gp = o.gp;
  if (gp) {
    blocks.push({ kind: 'plot', spec: scatter(o.estimate.map((y, i) => ({ x: gp[i], y })), { title: `${run.exact ? 'Exact' : 'Ensemble'} vs GP`, xTitle: 'GP', yTitle: run.exact ? 'exact' : 'ensemble', diagonal: true }) });
  }
  if (o.summary) {
    const s = o.summary;
    blocks.push({
      kind: 'table',
      title: 'Summary over tuples',
      columns: ['mean (G − GP)/GP', 'mean |G − GP|/GP', ...(o.order >= 4 ? ['mean connected / GP'] : []), ...(run.exact ? [] : ['noise floor', 'max |z|'])],
      rows: [[pm(s['meanDeviation'], s['meanDeviationStderr']), pm(s['meanAbsDeviation'], s['meanAbsDeviationStderr']), ...(o.order >= 4 ? [pm(s['meanConnectedDeviation'], s['meanConnectedDeviationStderr'])] : []), ...(run.exact ? [] : [pm(s['background']), pm(s['maxAbsZ'])])]],
      caption: run.exact ? undefined : 'noise floor: the mean |deviation| expected from the standard errors alone; z = (G − GP)/stderr',
    });
  }
  const label = (t: number[]) => `(${t.join(',')})`;
  const rows = o.tuples.slice(0, 100).map((t, i) => {
    const z = o.gp && o.stderr && o.stderr[i] > 0 ? (o.estimate[i] - o.gp[i]) / o.stderr[i] : null;
    return [
      label(t),
      pm(o.estimate[i], hasErr ? o.stderr?.[i] : undefined),
      o.gp?.[i] ?? null,
      ...(hasErr ? [z] : []),
      ...(o.deviation ? [pm(o.deviation[i], o.deviationStderr?.[i])] : []),
      ...(o.connected && o.order >= 4 ? [pm(o.connected[i], o.connectedStderr?.[i])] : []),
      ...(o.exact ? [o.exact[i] ?? null] : []),
    ];
  });
  blocks.push({
    kind: 'table',
    columns: ['tuple', run.exact ? `exact${atN}` : 'estimate ± stderr', 'GP (N → ∞)', ...(hasErr ? ['(est − GP) / stderr'] : []), ...(o.deviation ? ['(G − GP)/GP'] : []), ...(o.connected && o.order >= 4 ? ['connected'] : []), ...(o.exact ? [`${exactName}${atN}`] : [])],
    rows,
    caption: o.tuples.length > 100 ? `first 100 of ${o.tuples.length} tuples` : undefined,
  });
  return { title: `Order ${o.order}`, blocks };
}

/**
 * `nnsym correlators`: renders the command's `--json` result (issue 4's contract:
 * `{"orders": {"4": {"tuples", "estimate", "stderr", "gp", "connected", "deviation", "summary"}}, "width", "method"}`).
 * Per order: the G⁽²⁾ matrix as a heatmap, the estimate ± stderr over input tuples against the Wick/GP prediction
 * (and the exact-in-1/N values when an order carries `exact`), exact-or-ensemble vs GP scatter and tables. With
 * `--method exact` the estimate is exact, drawn without a band. A `--widths` sweep (`sweep: { rows, fits }`) gives,
 * per order, the mean relative deviation vs 1/N with its error band and the fitted line (see `sweepSections`).
 * Older guessed shapes (`orders` as a list, `sweep` as `[{ width, deviation, stderr }]`) are still read. A merge of
 * correlator shards (`nnsym merge ... --json`, command `merge`) is rendered the same way.
 */
export const correlatorsRenderer: ReportRenderer = {
  meta: { id: 'correlators', description: 'correlators per order: estimate ± stderr vs the GP (and exact in 1/N), G2 heatmap; sweeps: deviation vs 1/N with the fit' },
  // `nnsym merge` of correlator shards gives the correlators result shape (plus `partial`, `mergedFrom`): same page.
  commands: ['correlators', 'merge'],
  matches: (input) => input.provenance.command !== 'merge' || readOrders(input.payload).length > 0,
  render(input) {
    const p = input.payload;
    const run: RunInfo = { exact: p['method'] === 'exact', width: typeof p['width'] === 'number' ? p['width'] : undefined, networks: typeof p['networks'] === 'number' ? p['networks'] : undefined };
    const out = readOrders(p).map((o) => orderSection(o, run));
    const sweep = p['sweep'] ?? p['widths'];
    if (isRecord(sweep)) out.push(...sweepSections(sweep));
    else if (isRecordArray(sweep)) out.push(legacySweepSection(sweep));
    return [...out, ...eventSections(input.events)];
  },
};

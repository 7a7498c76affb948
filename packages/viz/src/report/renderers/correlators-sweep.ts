import { lineWithBand, type BandPoint } from '../../plots/line-with-band';
import type { ReportBlock, ReportSection } from '../types';
import { isNumberArray, isRecord, isRecordArray, recordsTable } from './util';

/** `a ± b` with 3 significant digits (`a` alone when b is 0 or missing, e.g. the exact method). */
export function pm(v: unknown, e?: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const s = v.toPrecision(3);
  return typeof e === 'number' && Number.isFinite(e) && e > 0 ? `${s} ± ${e.toPrecision(2)}` : s;
}

/** One fit of a sweep quantity against 1/N: `y = Σ_k coefficients[k] · (1/N)^powers[k]`. */
interface SweepFit {
  order: number;
  quantity: string;
  model: string;
  powers: number[];
  coefficients: number[];
  stderr?: number[];
  chi2?: number;
  dof?: number;
  slope?: number;
  slopeStderr?: number;
}

function readFits(raw: unknown): SweepFit[] {
  if (!isRecordArray(raw)) return [];
  return raw.flatMap((f) => {
    const fit = isRecord(f['fit']) ? f['fit'] : f;
    const powers = fit['powers'];
    const coefficients = fit['coefficients'];
    if (!isNumberArray(powers) || !isNumberArray(coefficients) || powers.length !== coefficients.length) return [];
    const slope = isRecord(f['slope']) ? f['slope'] : {};
    return [{
      order: Number(f['order']),
      quantity: String(f['quantity'] ?? 'deviation'),
      model: String(f['model'] ?? ''),
      powers,
      coefficients,
      stderr: isNumberArray(fit['stderr']) ? fit['stderr'] : undefined,
      chi2: typeof fit['chi2'] === 'number' ? fit['chi2'] : undefined,
      dof: typeof fit['dof'] === 'number' ? fit['dof'] : undefined,
      slope: typeof slope['slope'] === 'number' ? slope['slope'] : undefined,
      slopeStderr: typeof slope['slopeStderr'] === 'number' ? slope['slopeStderr'] : undefined,
    }];
  });
}

/** The fitted curve on 41 points of 1/N in [0, xMax] (a dashed series). */
function fitCurve(f: SweepFit, xMax: number, series: string): BandPoint[] {
  return Array.from({ length: 41 }, (_, i) => {
    const x = (xMax * i) / 40;
    return { x, y: f.coefficients.reduce((s, c, k) => s + c * x ** f.powers[k], 0), series };
  });
}

/**
 * Sections of a width sweep as `nnsym correlators --widths` prints it: `sweep.rows` (per width, per order: the mean
 * relative deviation from the GP `meanDeviation ± meanDeviationStderr` and, for order ≥ 6, the connected one) and
 * `sweep.fits` (least-squares fits against 1/N, e.g. `a + b/N`, and `a + c/N²` for the connected 6-pt function).
 * Per order: the deviation vs 1/N with its ±1 stderr band and the fitted line dashed; then the tables.
 */
export function sweepSections(sweep: Record<string, unknown>): ReportSection[] {
  const rows = isRecordArray(sweep['rows']) ? sweep['rows'] : [];
  if (!rows.length) return [];
  const exact = sweep['method'] === 'exact';
  const fits = readFits(sweep['fits']);
  const orders = [...new Set(rows.flatMap((r) => (isRecord(r['orders']) ? Object.keys(r['orders']) : [])))].map(Number).sort((a, b) => a - b);
  const xs = rows.map((r) => 1 / Number(r['width'])).filter((x) => Number.isFinite(x) && x > 0);
  const xMax = Math.max(...xs);
  const out: ReportSection[] = [];
  for (const n of orders) {
    const pts: BandPoint[] = [];
    const dashed: string[] = [];
    const quantities: [string, string, string][] = [['deviation', 'meanDeviation', 'meanDeviationStderr']];
    if (n >= 6) quantities.push(['connected', 'meanConnectedDeviation', 'meanConnectedDeviationStderr']);
    for (const [q, key, errKey] of quantities) {
      const name = q === 'deviation' ? `G${n} − GP` : `G${n} connected`;
      for (const r of rows) {
        const o = isRecord(r['orders']) ? r['orders'][String(n)] : undefined;
        if (!isRecord(o) || typeof o[key] !== 'number') continue;
        const err = o[errKey];
        pts.push({ x: 1 / Number(r['width']), y: o[key], err: typeof err === 'number' && err > 0 ? err : undefined, series: name });
      }
      const f = fits.find((x) => x.order === n && x.quantity === q);
      if (f) {
        const model = f.model.replace(/ /g, '').replace('N^2', 'N²');
        const fname = q === 'connected' ? `conn. fit ${model}` : `fit ${model}`;
        pts.push(...fitCurve(f, xMax, fname));
        dashed.push(fname);
      }
    }
    if (!pts.length) continue;
    const title = `G⁽${n}⁾: mean (G − G_GP)/G_GP vs 1/N${exact ? ' (exact in 1/N)' : ' (band: ±1 stderr)'}`;
    out.push({ title: `Width sweep, order ${n}`, blocks: [{ kind: 'plot', spec: lineWithBand(pts, { title, xTitle: '1/N', yTitle: 'relative deviation from GP', zero: true, dashed }) }] });
  }
  const blocks: ReportBlock[] = [];
  blocks.push({
    kind: 'table',
    title: 'Mean relative deviation from the GP per width',
    columns: ['N', ...(exact ? [] : ['networks']), ...orders.flatMap((n) => (n >= 6 ? [`G${n} − GP`, `G${n} connected`] : [`G${n} − GP`]))],
    rows: rows.map((r) => {
      const o = (n: number) => (isRecord(r['orders']) && isRecord(r['orders'][String(n)]) ? (r['orders'][String(n)] as Record<string, unknown>) : {});
      return [
        r['width'],
        ...(exact ? [] : [r['networks'] ?? null]),
        ...orders.flatMap((n) => {
          const d = pm(o(n)['meanDeviation'], o(n)['meanDeviationStderr']);
          return n >= 6 ? [d, pm(o(n)['meanConnectedDeviation'], o(n)['meanConnectedDeviationStderr'])] : [d];
        }),
      ];
    }),
  });
  if (fits.length) {
    blocks.push({
      kind: 'table',
      title: 'Fits against 1/N (coefficients in the order of the model’s terms) and the log-log slope of |deviation| vs N',
      columns: ['order', 'quantity', 'model', 'coefficients', 'χ² / dof', 'log-log slope'],
      rows: fits.map((f) => [
        f.order,
        f.quantity,
        f.model,
        f.coefficients.map((c, k) => pm(c, f.stderr?.[k])).join('; '),
        f.chi2 !== undefined && f.dof ? (f.chi2 / f.dof).toPrecision(3) : null,
        pm(f.slope, f.slopeStderr),
      ]),
    });
  }
  out.push({ title: 'Width sweep tables', blocks });
  return out;
}

/** The tolerant reading of a sweep given as records `{ width, deviation, stderr, order? }` (older guessed format). */
export function legacySweepSection(sweep: Record<string, unknown>[]): ReportSection {
  const pts = sweep.flatMap((r) => {
    const w = Number(r['width'] ?? r['N']);
    const y = Number(r['deviation'] ?? r['value']);
    return Number.isFinite(w) && w > 0 && Number.isFinite(y) ? [{ x: 1 / w, y, err: typeof r['stderr'] === 'number' ? r['stderr'] : undefined, series: String(r['order'] ?? r['series'] ?? 'deviation') }] : [];
  });
  const blocks: ReportBlock[] = [];
  if (pts.length) blocks.push({ kind: 'plot', spec: lineWithBand(pts, { title: 'Deviation from the GP vs 1/N (band: ±1 stderr)', xTitle: '1/N', yTitle: 'deviation', zero: true }) });
  blocks.push(recordsTable(sweep));
  return { title: 'Width sweep', blocks };
}

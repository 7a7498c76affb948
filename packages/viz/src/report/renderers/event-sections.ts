import type { NnsymEvent } from '@nnsym/core';
import { lineWithBand, type BandPoint } from '../../plots/line-with-band';
import type { ReportBlock, ReportSection } from '../types';

const MAX_POINTS = 2000;

/** Keep at most `max` evenly spaced points (long logs would make huge SVGs). */
function thin<T>(xs: T[], max = MAX_POINTS): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]);
}

/**
 * Sections drawn from an event log, for any command: loss per step (batch-end), per-epoch metrics (epoch-end:
 * loss/testLoss and accuracy/testAccuracy curves), every `metric` stream by name (one line per value key), progress
 * and errors; the run-end summary unless `runEnd: false` (when the result already carries it).
 *
 * @example
 * const sections = eventSections(input.events);
 */
export function eventSections(events: readonly NnsymEvent[], options: { runEnd?: boolean } = {}): ReportSection[] {
  const out: ReportSection[] = [];
  const batches = events.flatMap((e) => (e.type === 'batch-end' ? [e] : []));
  const epochs = events.flatMap((e) => (e.type === 'epoch-end' ? [e] : []));
  const curves: ReportBlock[] = [];
  if (batches.length) {
    curves.push({ kind: 'plot', spec: lineWithBand(thin(batches).map((b) => ({ x: b.step, y: b.loss })), { title: 'Training loss per step', xTitle: 'step', yTitle: 'loss', points: batches.length <= 60 }) });
  }
  if (epochs.length) {
    const pts = (keys: string[]): BandPoint[] => epochs.flatMap((e) => keys.filter((k) => typeof e.metrics[k] === 'number').map((k) => ({ x: e.epoch + 1, y: e.metrics[k], series: k })));
    const loss = pts(['loss', 'testLoss']);
    const acc = pts(['accuracy', 'testAccuracy']);
    if (loss.length) curves.push({ kind: 'plot', spec: lineWithBand(loss, { title: 'Loss per epoch', xTitle: 'epoch', yTitle: 'loss', xInteger: true }) });
    if (acc.length) curves.push({ kind: 'plot', spec: lineWithBand(acc, { title: 'Accuracy per epoch', xTitle: 'epoch', yTitle: 'accuracy', xInteger: true }) });
    const keys = [...new Set(epochs.flatMap((e) => Object.keys(e.metrics)))];
    curves.push({ kind: 'table', title: 'Epochs', columns: ['epoch', ...keys], rows: epochs.map((e) => [e.epoch + 1, ...keys.map((k) => e.metrics[k])]) });
  }
  if (curves.length) out.push({ title: 'Training curves', blocks: curves });
  const metrics = events.flatMap((e) => (e.type === 'metric' ? [e] : []));
  const names = [...new Set(metrics.map((m) => m.name))];
  for (const name of names) {
    const ms = thin(metrics.filter((m) => m.name === name));
    const keys = [...new Set(ms.flatMap((m) => Object.keys(m.values)))];
    const blocks: ReportBlock[] = [];
    // One plot per group of up to 8 series, so that many charges stay readable.
    for (let g = 0; g < keys.length && g < 32; g += 8) {
      const group = keys.slice(g, g + 8);
      blocks.push({
        kind: 'plot',
        spec: lineWithBand(
          ms.flatMap((m) => group.filter((k) => typeof m.values[k] === 'number').map((k) => ({ x: m.step, y: m.values[k], series: k }))),
          { title: `${name}${keys.length > 8 ? ` (${g + 1}-${Math.min(keys.length, g + 8)} of ${keys.length})` : ''}`, xTitle: 'step', yTitle: name, points: ms.length <= 40 },
        ),
      });
    }
    out.push({ title: `Metric: ${name}`, blocks });
  }
  const errors = events.flatMap((e) => (e.type === 'error' ? [e] : []));
  if (errors.length) out.push({ title: 'Errors', blocks: [{ kind: 'table', columns: ['message', 'step', 'cause'], rows: errors.map((e) => [e.message, e.step ?? null, e.cause ?? null]) }] });
  const end = [...events].reverse().find((e) => e.type === 'run-end');
  if (end && end.type === 'run-end' && options.runEnd !== false) {
    const rows = Object.entries(end.summary).filter(([, v]) => v === null || typeof v !== 'object');
    out.push({ title: end.interrupted ? 'Run end (interrupted)' : 'Run end', blocks: [{ kind: 'table', columns: ['summary', 'value'], rows }] });
  }
  return out;
}

import { lineWithBand, type BandPoint } from '../../plots/line-with-band';
import type { ReportRenderer, ReportSection } from '../types';
import { eventSections } from './event-sections';
import { isRecordArray } from './util';

/**
 * `nnsym train` (a result, its `--json` event log, or a run directory): loss per step, loss and accuracy per
 * epoch (train and test), the epoch table and the run summary. From a result alone the curves come from its
 * per-epoch `history`.
 */
export const trainRenderer: ReportRenderer = {
  meta: { id: 'train', description: 'training curves: loss per step, loss and accuracy per epoch (train/test)' },
  commands: ['train'],
  render(input) {
    const hasResult = Object.keys(input.payload).length > 0;
    if (input.events.some((e) => e.type === 'epoch-end' || e.type === 'batch-end')) return eventSections(input.events, { runEnd: !hasResult });
    const h = input.payload['history'];
    const out: ReportSection[] = [];
    if (isRecordArray(h)) {
      const pts = (keys: string[]): BandPoint[] => h.flatMap((e, i) => keys.filter((k) => typeof e[k] === 'number').map((k) => ({ x: typeof e['epoch'] === 'number' ? e['epoch'] + 1 : i + 1, y: e[k] as number, series: k })));
      out.push({
        title: 'Training curves',
        blocks: [
          { kind: 'plot', spec: lineWithBand(pts(['loss', 'testLoss']), { title: 'Loss per epoch', xTitle: 'epoch', yTitle: 'loss', xInteger: true }) },
          { kind: 'plot', spec: lineWithBand(pts(['accuracy', 'testAccuracy']), { title: 'Accuracy per epoch', xTitle: 'epoch', yTitle: 'accuracy', xInteger: true }) },
        ],
      });
    }
    return [...out, ...eventSections(input.events)];
  },
};

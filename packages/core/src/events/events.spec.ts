import { filter, from, lastValueFrom, toArray } from 'rxjs';
import { isEvent, parseEvent, type NnsymEvent } from './events';

describe('events', () => {
  const log: NnsymEvent[] = [
    { type: 'run-start', command: 'train', config: { width: 8 }, seed: 1, backend: 'wasm', time: '2026-01-01T00:00:00Z' },
    { type: 'epoch-start', epoch: 0, epochs: 1 },
    { type: 'batch-end', epoch: 0, batch: 0, step: 0, loss: 2.3, size: 64 },
    { type: 'epoch-end', epoch: 0, epochs: 1, metrics: { loss: 2.1 } },
    { type: 'checkpoint', path: 'ckpt.json', epoch: 0 },
    { type: 'run-end', summary: { loss: 2.1 } },
  ];

  it('isEvent narrows a stream to one type', async () => {
    const ends = await lastValueFrom(from(log).pipe(filter(isEvent('epoch-end')), toArray()));
    expect(ends).toEqual([log[3]]);
    expect(ends[0].metrics.loss).toBe(2.1);
  });

  it('parseEvent reads back each JSON line', () => {
    for (const e of log) expect(parseEvent(JSON.stringify(e))).toEqual(e);
  });

  it('parseEvent rejects invalid JSON and unknown types with one line', () => {
    expect(() => parseEvent('{"type":')).toThrow(/^not an nnsym event: invalid JSON/);
    expect(() => parseEvent('{"type":"epoch-middle"}')).toThrow(/^not an nnsym event: missing or unknown "type"/);
    expect(() => parseEvent('null')).toThrow(/missing or unknown "type"/);
    expect(() => parseEvent('[1]')).toThrow(/missing or unknown "type"/);
  });
});

import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { PluginHost } from '../registry/kinds';
import { registerNnPlugins } from '../nn/register-all';
import type { NnsymEvent } from '../events/events';
import { createFromPlugin } from '../registry/plugin';
import { teacherStudentDataset } from '../datasets/teacher-student';
import type { Dataset } from '../datasets/types';
import { registerTrainPlugins } from './register-all';
import { trainMlp, type TrainConfig } from './trainer';
import type { HostParams } from './types';

let ds: Dataset;
const host = new PluginHost();
registerNnPlugins(host);
registerTrainPlugins(host);

beforeAll(async () => {
  await initBackend();
  ds = await createFromPlugin(teacherStudentDataset, { d: 8, hidden: 6, classes: 3, nTrain: 256, nTest: 64, seed: 1 }).load();
});

const base = (over: Partial<TrainConfig> = {}): TrainConfig => ({ dataset: ds, hidden: [6], epochs: 2, batchSize: 32, optimizer: 'adam', lr: 0.01, seed: 7, host, ...over });
const run = (c: TrainConfig) => lastValueFrom(trainMlp(c).pipe(toArray()));
const flat = (p: HostParams) => p.flatMap((L) => [...L.w, ...(L.b ?? [])]);

describe('trainMlp', () => {
  it('is a cold stream: run-start, epoch-start, batch-end..., epoch-end, run-end; nothing before subscribe', async () => {
    let finished = 0;
    const obs = trainMlp(base({ onFinish: () => finished++ }));
    await new Promise((r) => setTimeout(r, 20));
    expect(finished).toBe(0);
    const ev = await lastValueFrom(obs.pipe(toArray()));
    expect(finished).toBe(1);
    expect(ev[0].type).toBe('run-start');
    expect(ev[1]).toEqual({ type: 'epoch-start', epoch: 0, epochs: 2 });
    expect(ev.filter((e) => e.type === 'batch-end')).toHaveLength(16);
    const ends = ev.filter((e): e is Extract<NnsymEvent, { type: 'epoch-end' }> => e.type === 'epoch-end');
    expect(ends.map((e) => e.epoch)).toEqual([0, 1]);
    expect(ends[1].metrics['testAccuracy']).toBeGreaterThan(0.5); // 3 balanced-ish classes: chance is ~1/3
    const last = ev[ev.length - 1];
    expect(last.type).toBe('run-end');
    expect(last.type === 'run-end' && last.summary['testAccuracy']).toBe(ends[1].metrics['testAccuracy']);
  });

  it('same seed, same run; the tensor count is flat across steps and back to the start at the end', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    let a: HostParams = [];
    let b: HostParams = [];
    const ev = await lastValueFrom(
      trainMlp(base({ onFinish: (p) => (a = p) })).pipe(toArray()),
    );
    ev.forEach(() => undefined);
    await new Promise<void>((resolve) =>
      trainMlp(base({ onFinish: (p) => (b = p) })).subscribe({ next: (e) => e.type === 'batch-end' && counts.push(tf.memory().numTensors), complete: () => resolve() }),
    );
    expect(flat(a)).toEqual(flat(b));
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checkpoint + resume gives bit-identical parameters to an uninterrupted run (adam and sgd momentum)', async () => {
    for (const opt of [{ optimizer: 'adam' }, { optimizer: 'sgd', optimizerConfig: { momentum: 0.9 }, lr: 0.05 }]) {
      let straight: HostParams = [];
      let resumed: HostParams = [];
      await run(base({ ...opt, epochs: 3, lrDecay: 0.7, onFinish: (p) => (straight = p) }));
      const dir = mkdtempSync(join(tmpdir(), 'nnsym-ck-'));
      await run(base({ ...opt, epochs: 1, lrDecay: 0.7, checkpointDir: dir }));
      const ev = await run(base({ ...opt, epochs: 3, lrDecay: 0.7, checkpointDir: dir, resume: true, onFinish: (p) => (resumed = p) }));
      expect(ev[0].type === 'run-start' && ev[0].config['startEpoch']).toBe(1);
      expect(ev.filter((e) => e.type === 'epoch-end')).toHaveLength(2);
      expect(flat(resumed)).toEqual(flat(straight));
    }
  });

  it('an abort (Ctrl-C) saves a checkpoint mid-epoch, ends with run-end interrupted, and resumes to the same result', async () => {
    let straight: HostParams = [];
    await run(base({ onFinish: (p) => (straight = p) }));
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-int-'));
    const ctl = new AbortController();
    const ev: NnsymEvent[] = [];
    await new Promise<void>((resolve) =>
      trainMlp(base({ checkpointDir: dir, signal: ctl.signal })).subscribe({
        next: (e) => {
          ev.push(e);
          if (e.type === 'batch-end' && e.step === 11) ctl.abort();
        },
        complete: () => resolve(),
      }),
    );
    const last = ev[ev.length - 1];
    expect(last).toMatchObject({ type: 'run-end', interrupted: true });
    expect(ev[ev.length - 2]).toMatchObject({ type: 'checkpoint', epoch: 1, step: 11 });
    let resumed: HostParams = [];
    await run(base({ checkpointDir: dir, resume: true, onFinish: (p) => (resumed = p) }));
    expect(flat(resumed)).toEqual(flat(straight));
  });

  it('refuses to resume from a checkpoint of another model, naming the difference, and leaves it untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-other-'));
    await run(base({ epochs: 1, checkpointDir: dir }));
    const bytes = readFileSync(join(dir, 'checkpoint.bin'));
    const mtime = statSync(join(dir, 'checkpoint.json')).mtimeMs;
    await expect(run(base({ hidden: [5], checkpointDir: dir, resume: true }))).rejects.toThrow(/--resume: the checkpoint in .* is of another model: sizes 8-6-3 \(checkpoint\) vs 8-5-3 \(this run\)/);
    await expect(run(base({ loss: 'mse-onehot', checkpointDir: dir, resume: true }))).rejects.toThrow(/loss "xent" \(checkpoint\) vs "mse-onehot" \(this run\)/);
    expect(readFileSync(join(dir, 'checkpoint.bin')).equals(bytes)).toBe(true);
    expect(statSync(join(dir, 'checkpoint.json')).mtimeMs).toBe(mtime);
  });

  it('ends a diverging run with an error event naming the step and the cause, and no run-end', async () => {
    const before = tf.memory().numTensors;
    const ev = await run(base({ optimizer: 'sgd', lr: 1e30, loss: 'mse-onehot' }));
    const last = ev[ev.length - 1];
    expect(last.type).toBe('error');
    if (last.type !== 'error') return;
    expect(last.step).toBeGreaterThan(0);
    expect(last.cause).toMatch(/NaN loss|Infinity loss/);
    expect(last.message).toContain(`at step ${last.step}`);
    expect(ev.some((e) => e.type === 'run-end')).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs hooks at step 0 and every k steps as metric events (parameters in [out, in] layout)', async () => {
    const ev = await run(base({ epochs: 1, hooks: [{ name: 'norm', every: 4, compute: ({ params }) => ({ w1: Math.hypot(...params()[1].w), rows: params()[1].out }) }] }));
    const m = ev.filter((e): e is Extract<NnsymEvent, { type: 'metric' }> => e.type === 'metric');
    expect(m.map((e) => e.step)).toEqual([0, 4, 8]);
    expect(m[0].values['rows']).toBe(3);
    expect(m[0].values['w1']).not.toBe(m[2].values['w1']);
  });

  it('trains the input-dependent gauss activation (one hidden layer) and refuses it with two', async () => {
    const before = tf.memory().numTensors;
    const ev = await run(base({ activation: 'gauss', hidden: [16], epochs: 3, preVariance: { sigmaW: 1, sigmaB: 1 } }));
    const ends = ev.filter((e): e is Extract<NnsymEvent, { type: 'epoch-end' }> => e.type === 'epoch-end');
    expect(ev[0].type === 'run-start' && ev[0].config['activation']).toBe('gauss(sw=1,sb=1)');
    expect(ends).toHaveLength(3);
    expect(ends[2].metrics['loss']).toBeLessThan(ends[0].metrics['loss']);
    expect(ends[2].metrics['testAccuracy']).toBeGreaterThan(0.5); // chance is ~1/3
    expect(tf.memory().numTensors).toBe(before);
    await expect(run(base({ activation: 'gauss', hidden: [6, 6] }))).rejects.toThrow(/needs exactly one hidden layer/);
  });

  it('gradient-flow with a full batch decreases the training loss monotonically', async () => {
    const ev = await run(base({ optimizer: 'gradient-flow', optimizerConfig: { method: 'heun', adaptive: true, tol: 1e-4 }, lr: 0.5, batchSize: 256, epochs: 6, loss: 'mse-onehot' }));
    const losses = ev.filter((e) => e.type === 'batch-end').map((e) => (e.type === 'batch-end' ? e.loss : NaN));
    expect(losses).toHaveLength(6);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });
});

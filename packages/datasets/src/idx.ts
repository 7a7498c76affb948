import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '@nnsym/core';
import { sourceKey, withCache } from './cache';
import { readIdxPair } from './idx-format';
import type { Dataset, DatasetPlugin } from '@nnsym/core';

/** Config of the `idx` dataset: a directory with MNIST-style file names, or four explicit paths. */
export interface IdxDatasetConfig {
  /** Directory holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images..., t10k-labels.... */
  dir?: string;
  trainImages?: string;
  trainLabels?: string;
  testImages?: string;
  testLabels?: string;
  /** Number of classes (default: 1 + the largest label). */
  numClasses?: number;
}

function findFile(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`, base.replace('-idx', '.idx'), `${base.replace('-idx', '.idx')}.gz`]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new UsageError(`dataset "idx": ${dir} has no ${base} or ${base}.gz`, 'dir');
}

/**
 * Any MNIST-style data set in IDX (or IDX.gz) files, e.g. the original Fashion-MNIST or KMNIST downloads: a
 * directory with the four standard file names, or explicit `trainImages`/`trainLabels`/`testImages`/`testLabels`.
 * Images [n, rows, cols] of bytes (scale 1/255); labels [n]. Cached like the packaged sets.
 *
 * @example
 * await createFromPlugin(idxDataset, { dir: '/data/kmnist' }).load();
 * // CLI: nnsym train --dataset idx:/data/kmnist
 */
export const idxDataset: DatasetPlugin<IdxDatasetConfig> = {
  meta: { id: 'idx', kind: 'dataset', description: 'MNIST-style IDX / IDX.gz files from a directory (config dir) or four paths', version: '1.0.0' },
  configSchema: z
    .object({
      dir: z.string().min(1).optional(),
      trainImages: z.string().min(1).optional(),
      trainLabels: z.string().min(1).optional(),
      testImages: z.string().min(1).optional(),
      testLabels: z.string().min(1).optional(),
      numClasses: z.number().int().min(2).max(256).optional(),
    })
    .strict()
    .refine((c) => c.dir !== undefined || (c.trainImages && c.trainLabels && c.testImages && c.testLabels), { message: 'give dir, or all of trainImages, trainLabels, testImages, testLabels' }),
  create: (config) => ({
    id: 'idx',
    async load(options = {}) {
      const dir = config.dir ? resolve(config.dir) : undefined;
      const pick = (explicit: string | undefined, base: string) => (explicit ? resolve(explicit) : findFile(dir as string, base));
      const files = [
        pick(config.trainImages, 'train-images-idx3-ubyte'),
        pick(config.trainLabels, 'train-labels-idx1-ubyte'),
        pick(config.testImages, 't10k-images-idx3-ubyte'),
        pick(config.testLabels, 't10k-labels-idx1-ubyte'),
      ];
      for (const f of files) if (!existsSync(f)) throw new UsageError(`dataset "idx": no such file ${f}`, 'dir');
      return withCache(options.cacheDir, sourceKey('idx', files, 'v1'), (): Dataset => {
        const tr = readIdxPair(files[0], files[1]);
        const te = readIdxPair(files[2], files[3]);
        if (tr.rows * tr.cols !== te.rows * te.cols) throw new UsageError(`dataset "idx": train images are ${tr.rows}x${tr.cols} but test images ${te.rows}x${te.cols}`, 'dir');
        let maxLabel = 0;
        for (const y of [tr.y, te.y]) for (let i = 0; i < y.length; i++) if (y[i] > maxLabel) maxLabel = y[i];
        const numClasses = config.numClasses ?? maxLabel + 1;
        if (maxLabel >= numClasses) throw new UsageError(`dataset "idx": label ${maxLabel} >= numClasses ${numClasses}`, 'numClasses');
        return {
          id: 'idx',
          numClasses,
          inputShape: [tr.rows, tr.cols],
          source: `IDX files ${files.join(', ')}`,
          train: { n: tr.n, d: tr.rows * tr.cols, x: tr.x, scale: 1 / 255, y: tr.y },
          test: { n: te.n, d: te.rows * te.cols, x: te.x, scale: 1 / 255, y: te.y },
        };
      });
    },
  }),
};

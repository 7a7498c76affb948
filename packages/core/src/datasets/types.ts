import type { Plugin } from '../registry/plugin';
import { Rng } from '../rng/rng';

/**
 * One split of a classification data set, stored compactly on the host: `n` rows of `d` features, row-major.
 * Images are kept as bytes (`Uint8Array`, multiply by `scale = 1/255` to get [0, 1]); synthetic sets as
 * `Float32Array` with `scale = 1`. Batches are gathered from here into float32 tensors of shape [B, d].
 */
export interface DataSplit {
  /** Number of examples. */
  readonly n: number;
  /** Features per example (784 for 28x28 images). */
  readonly d: number;
  /** Features, row-major [n, d]. */
  readonly x: Uint8Array | Float32Array;
  /** Multiply `x` by this to get the model's input (1/255 for bytes). */
  readonly scale: number;
  /**
   * Added after scaling: the model's input is `x * scale + offset` [0]. Set by `normalizeDataset` (inputs
   * `(pixel / 255 - mean) / std`); loaders and the cache leave it out.
   */
  readonly offset?: number;
  /** Class labels in [0, numClasses), length n. */
  readonly y: Uint8Array;
}

/** A loaded classification data set: a train and a test split with the same feature count. */
export interface Dataset {
  /** Plugin id that produced it, e.g. `fashion-mnist`. */
  readonly id: string;
  readonly numClasses: number;
  /** Shape of one example before flattening, e.g. [28, 28]. */
  readonly inputShape: readonly number[];
  readonly train: DataSplit;
  readonly test: DataSplit;
  /** Where the data came from (path or package@version) and how it was split; recorded in results. */
  readonly source: string;
  /** Whether it was read from nnsym's binary cache. */
  readonly cached?: boolean;
}

/** Options every dataset loader accepts. */
export interface DatasetLoadOptions {
  /** Cache directory (default `$NNSYM_CACHE_DIR` or `~/.cache/nnsym`); `false` disables the cache. */
  cacheDir?: string | false;
}

/** What a dataset plugin creates: something that loads the data (possibly from the cache). */
export interface DatasetSource {
  readonly id: string;
  load(options?: DatasetLoadOptions): Promise<Dataset>;
}

/** A dataset plugin (kind `dataset`). */
export type DatasetPlugin<C = unknown> = Plugin<'dataset', C, DatasetSource>;

/**
 * A fixed random subset of `limit` examples of a split (for `--limit-train` / `--limit-test`): rows
 * `Rng.derive(0, 'subset', n).permutation(n)[0..limit)`, kept in that order. Independent of the run's seed, so
 * every run with the same limit sees the same examples; a random subset rather than the first rows because
 * some sets (Fashion-MNIST here) are stored ordered by class. Returns the split itself when `limit >= n`.
 */
export function limitSplit(split: DataSplit, limit: number | undefined): DataSplit {
  if (limit === undefined || limit >= split.n) return split;
  const perm = Rng.derive(0, 'subset', split.n).permutation(split.n);
  const d = split.d;
  const x = split.x instanceof Uint8Array ? new Uint8Array(limit * d) : new Float32Array(limit * d);
  const y = new Uint8Array(limit);
  for (let i = 0; i < limit; i++) {
    const j = perm[i];
    x.set(split.x.subarray(j * d, (j + 1) * d), i * d);
    y[i] = split.y[j];
  }
  return { n: limit, d, x, scale: split.scale, ...(split.offset !== undefined ? { offset: split.offset } : {}), y };
}

import type { Plugin } from '../registry/plugin';

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

/** Copy the first `limit` examples of a split (for `--limit-train`); returns the split itself if smaller. */
export function limitSplit(split: DataSplit, limit: number | undefined): DataSplit {
  if (limit === undefined || limit >= split.n) return split;
  return { n: limit, d: split.d, x: split.x.subarray(0, limit * split.d), scale: split.scale, y: split.y.subarray(0, limit) };
}

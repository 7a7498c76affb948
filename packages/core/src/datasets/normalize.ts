import { UsageError } from '../errors';
import type { DataSplit, Dataset } from './types';

/**
 * Input normalisation of a data set, `(x * scale - mean) / std` per feature, the form of torchvision's
 * `Normalize((mean,), (std,))` after `ToTensor()` (which gives pixel / 255). It is applied in the data pipeline
 * (the affine map a split carries as `scale` and `offset`, used when batches are gathered), never in the model.
 */
export interface InputNormalization {
  mean: number;
  std: number;
}

/**
 * Named normalisations. `fashion-mnist-paper`: the constants of keeganstoner/nn-symmetry's
 * `symmetry_breaking_parameters.py` (arXiv 2106.00694), `Normalize((0.1307,), (0.3081,))`; these are MNIST's
 * pixel mean and sd (the authors kept them for Fashion-MNIST, whose own are about 0.2860 and 0.3530).
 * `paper` is an alias of it.
 */
export const NORMALIZATION_PRESETS: Readonly<Record<string, InputNormalization>> = {
  'fashion-mnist-paper': { mean: 0.1307, std: 0.3081 },
  paper: { mean: 0.1307, std: 0.3081 },
  mnist: { mean: 0.1307, std: 0.3081 },
};

/**
 * Parse `MEAN,STD` or a preset name ({@link NORMALIZATION_PRESETS}); `none` gives undefined. Errors name `flag`.
 *
 * @example
 * parseNormalization('paper')          // { mean: 0.1307, std: 0.3081 }
 * parseNormalization('0.286,0.353')    // { mean: 0.286, std: 0.353 }
 */
export function parseNormalization(value: string, flag = '--normalize'): InputNormalization | undefined {
  const v = value.trim();
  if (v === 'none') return undefined;
  const preset = NORMALIZATION_PRESETS[v];
  if (preset) return { ...preset };
  const parts = v.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !nums.every(Number.isFinite)) {
    throw new UsageError(`${flag}: expected MEAN,STD (two numbers) or one of ${Object.keys(NORMALIZATION_PRESETS).join(', ')}, none; got "${value}"`, flag);
  }
  if (!(nums[1] > 0)) throw new UsageError(`${flag}: STD must be > 0, got ${parts[1]}`, flag);
  return { mean: nums[0], std: nums[1] };
}

/** A split whose model input is `(x * scale - mean) / std`: same storage, new `scale` and `offset`. */
export function normalizeSplit(split: DataSplit, norm: InputNormalization): DataSplit {
  const offset = split.offset ?? 0;
  return { ...split, scale: split.scale / norm.std, offset: (offset - norm.mean) / norm.std };
}

/**
 * The data set with inputs normalised as `(x_raw * scale - mean) / std` (for images: (pixel / 255 - mean) / std),
 * on both splits, and the normalisation named in `source`. `undefined` returns the data set unchanged.
 *
 * @example
 * const ds = normalizeDataset(await loadDataset('fashion-mnist'), { mean: 0.1307, std: 0.3081 });
 */
export function normalizeDataset(ds: Dataset, norm: InputNormalization | undefined): Dataset {
  if (!norm) return ds;
  return { ...ds, train: normalizeSplit(ds.train, norm), test: normalizeSplit(ds.test, norm), source: `${ds.source}; inputs (x - ${norm.mean}) / ${norm.std}` };
}

/** A one-line description, recorded in results: `(x - 0.1307) / 0.3081` or `none`. */
export function describeNormalization(norm: InputNormalization | undefined): string {
  return norm ? `(x - ${norm.mean}) / ${norm.std}` : 'none';
}

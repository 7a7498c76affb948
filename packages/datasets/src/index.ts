// Public entry of @nnsym/datasets: the file-backed dataset plugins (mnist, fashion-mnist, idx), the IDX format,
// the on-disk cache and loading by id. The Dataset contract (types, limitSplit, normalisation) and the synthetic
// teacher-student set stay in @nnsym/core, which the trainer needs without any data package.
export { parseIdx, readIdx, readIdxPair, encodeIdx } from './idx-format';
export type { IdxArray } from './idx-format';
export { cacheDir, readCache, writeCache, withCache, sourceKey } from './cache';
export { mnistDataset } from './mnist';
export { fashionMnistDataset, splitFashionClasses, FASHION_TEST_PER_CLASS } from './fashion-mnist';
export { idxDataset } from './idx';
export type { IdxDatasetConfig } from './idx';
export { registerDatasetPlugins } from './register-all';
export { loadDataset } from './load';

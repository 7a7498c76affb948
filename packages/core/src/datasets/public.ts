// Named re-exports of the datasets area.
export type { DataSplit, Dataset, DatasetLoadOptions, DatasetSource, DatasetPlugin } from './types';
export { limitSplit } from './types';
export { parseIdx, readIdx, readIdxPair, encodeIdx } from './idx-format';
export type { IdxArray } from './idx-format';
export { cacheDir, readCache, writeCache, withCache, sourceKey } from './cache';
export { mnistDataset } from './mnist';
export { fashionMnistDataset, splitFashionClasses, FASHION_TEST_PER_CLASS } from './fashion-mnist';
export { idxDataset } from './idx';
export type { IdxDatasetConfig } from './idx';
export { teacherStudentDataset, drawTeacher, teacherStudentSplit } from './teacher-student';
export type { TeacherStudentConfig } from './teacher-student';
export { registerDatasetPlugins } from './register-all';
export { loadDataset } from './load';
export { normalizeDataset, normalizeSplit, parseNormalization, describeNormalization, NORMALIZATION_PRESETS } from './normalize';
export type { InputNormalization } from './normalize';

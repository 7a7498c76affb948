// Named re-exports of the datasets contract kept in core (the file-backed datasets are @nnsym/datasets).
export type { DataSplit, Dataset, DatasetLoadOptions, DatasetSource, DatasetPlugin } from './types';
export { limitSplit } from './types';
export { teacherStudentDataset, drawTeacher, teacherStudentSplit } from './teacher-student';
export type { TeacherStudentConfig } from './teacher-student';
export { normalizeDataset, normalizeSplit, parseNormalization, describeNormalization, NORMALIZATION_PRESETS } from './normalize';
export type { InputNormalization } from './normalize';

import { z } from 'zod';
import { Rng } from '../rng/rng';
import type { DataSplit, Dataset, DatasetPlugin } from './types';

/** Config of the synthetic teacher-student set. */
export interface TeacherStudentConfig {
  /** Input dimension. */
  d: number;
  /** Teacher width (one ReLU hidden layer). */
  hidden: number;
  classes: number;
  nTrain: number;
  nTest: number;
  /** Seed of the teacher and of the inputs. */
  seed: number;
}

/**
 * Label inputs with a fixed random teacher: x ~ N(0, I_d), label = argmax_c f(x)_c with
 * f(x) = W1 relu(W0 x), W0 ~ N(0, 1/d) [hidden, d], W1 ~ N(0, 1/hidden) [classes, hidden]. Computed on the host in
 * float64; the features are stored as float32. Pure function of the config (no tfjs).
 */
export function teacherStudentSplit(c: TeacherStudentConfig, n: number, stream: string, teacher: { w0: Float64Array; w1: Float64Array }): DataSplit {
  const rng = Rng.derive(c.seed, 'teacher-student', stream);
  const x = new Float32Array(n * c.d);
  const y = new Uint8Array(n);
  const h = new Float64Array(c.hidden);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c.d; k++) x[i * c.d + k] = rng.normal();
    for (let j = 0; j < c.hidden; j++) {
      let s = 0;
      for (let k = 0; k < c.d; k++) s += teacher.w0[j * c.d + k] * x[i * c.d + k];
      h[j] = s > 0 ? s : 0;
    }
    let best = 0;
    let bestV = -Infinity;
    for (let o = 0; o < c.classes; o++) {
      let s = 0;
      for (let j = 0; j < c.hidden; j++) s += teacher.w1[o * c.hidden + j] * h[j];
      if (s > bestV) {
        bestV = s;
        best = o;
      }
    }
    y[i] = best;
  }
  return { n, d: c.d, x, scale: 1, y };
}

/** Draw the teacher's weights for a config. */
export function drawTeacher(c: TeacherStudentConfig): { w0: Float64Array; w1: Float64Array } {
  const rng = Rng.derive(c.seed, 'teacher-student', 'teacher');
  return { w0: rng.fillNormal(new Float64Array(c.hidden * c.d), 0, 1 / Math.sqrt(c.d)), w1: rng.fillNormal(new Float64Array(c.classes * c.hidden), 0, 1 / Math.sqrt(c.hidden)) };
}

/**
 * Synthetic teacher-student classification data (Gardner & Derrida 1989; Saad & Solla 1995 for the
 * two-layer case): a random ReLU teacher labels Gaussian inputs. Cheap to generate, so it is not cached; same
 * seed, same data.
 *
 * @example
 * const ds = await createFromPlugin(teacherStudentDataset, { d: 20, classes: 3 }).load();
 */
export const teacherStudentDataset: DatasetPlugin<TeacherStudentConfig> = {
  meta: { id: 'teacher-student', kind: 'dataset', description: 'synthetic: Gaussian inputs labelled by a random one-hidden-layer ReLU teacher (argmax)', version: '1.0.0', reference: 'Saad & Solla, PRE 52 (1995) 4225' },
  configSchema: z
    .object({
      d: z.number().int().positive().default(50),
      hidden: z.number().int().positive().default(20),
      classes: z.number().int().min(2).max(256).default(10),
      nTrain: z.number().int().positive().default(10000),
      nTest: z.number().int().positive().default(2000),
      seed: z.number().int().default(0),
    })
    .strict(),
  create: (config) => ({
    id: 'teacher-student',
    async load(): Promise<Dataset> {
      const teacher = drawTeacher(config);
      return {
        id: 'teacher-student',
        numClasses: config.classes,
        inputShape: [config.d],
        source: `teacher-student d=${config.d} hidden=${config.hidden} classes=${config.classes} seed=${config.seed}`,
        train: teacherStudentSplit(config, config.nTrain, 'train', teacher),
        test: teacherStudentSplit(config, config.nTest, 'test', teacher),
      };
    },
  }),
};

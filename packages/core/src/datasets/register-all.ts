import type { PluginHost } from '../registry/kinds';
import { fashionMnistDataset } from './fashion-mnist';
import { idxDataset } from './idx';
import { mnistDataset } from './mnist';
import { teacherStudentDataset } from './teacher-student';

/** Register the built-in dataset plugins: mnist, fashion-mnist, idx, teacher-student. */
export function registerDatasetPlugins(host: PluginHost): void {
  for (const p of [mnistDataset, fashionMnistDataset, idxDataset, teacherStudentDataset]) {
    if (!host.kind('dataset').has(p.meta.id)) host.register(p);
  }
}

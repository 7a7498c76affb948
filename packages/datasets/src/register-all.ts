import { teacherStudentDataset, type PluginHost } from '@nnsym/core';
import { fashionMnistDataset } from './fashion-mnist';
import { idxDataset } from './idx';
import { mnistDataset } from './mnist';

/** Register the built-in dataset plugins: mnist, fashion-mnist, idx (and teacher-student, which core also registers). */
export function registerDatasetPlugins(host: PluginHost): void {
  for (const p of [mnistDataset, fashionMnistDataset, idxDataset, teacherStudentDataset]) {
    if (!host.kind('dataset').has(p.meta.id)) host.register(p);
  }
}

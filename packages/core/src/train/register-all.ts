import type { PluginHost } from '../registry/kinds';
import { teacherStudentDataset } from '../datasets/teacher-student';
import { xentLossPlugin } from './losses/xent';
import { mseOnehotLossPlugin } from './losses/mse-onehot';
import { mseOnecoldLossPlugin } from './losses/mse-onecold';
import { sgdOptimizer } from './optimizers/sgd';
import { adamOptimizer } from './optimizers/adam';
import { gradientFlowOptimizer } from './optimizers/gradient-flow';
import type { AnyPlugin } from '../registry/plugin';

/** Register the synthetic teacher-student dataset (the file-backed ones are @nnsym/datasets), optimisers (sgd, adam, gradient-flow) and losses (xent, mse-onehot, mse-onecold). */
export function registerTrainPlugins(host: PluginHost): void {
  const items: AnyPlugin[] = [xentLossPlugin, mseOnehotLossPlugin, mseOnecoldLossPlugin, sgdOptimizer, adamOptimizer, gradientFlowOptimizer, teacherStudentDataset];
  for (const p of items) if (!host.kind(p.meta.kind).has(p.meta.id)) host.register(p);
}

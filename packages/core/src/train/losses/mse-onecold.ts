import { z } from 'zod';
import { tf } from '../../tf';
import type { Tensor2D } from '../../tf';
import type { LossPlugin } from '../types';
import { mseLoss } from './mse';

/**
 * MSE to "one-cold" targets t = 1 - e_y (all ones except a zero at the true class); predicted class = argmin.
 * The targets have mean (C-1)/C along (1,...,1), the direction a mean shift of the output rows points in
 * (arXiv 2106.00694, Sec. 4). Shapes: out [B, C].
 */
export const mseOnecoldLoss = mseLoss('mse-onecold', (oh) => tf.sub(1, oh) as Tensor2D, (out) => tf.argMin(out, 1));

/** Plugin of {@link mseOnecoldLoss}. */
export const mseOnecoldLossPlugin: LossPlugin = {
  meta: { id: 'mse-onecold', kind: 'loss', description: 'MSE to one-cold targets 1 - onehot (mean over B*C); predicted class = argmin', version: '1.0.0', reference: 'arXiv 2106.00694' },
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  create: () => mseOnecoldLoss,
};

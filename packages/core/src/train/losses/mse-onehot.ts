import { z } from 'zod';
import { tf } from '../../tf';
import type { LossPlugin } from '../types';
import { mseLoss } from './mse';

/** MSE to one-hot targets t = e_y; predicted class = argmax (arXiv 2106.00694, Sec. 4). Shapes: out [B, C]. */
export const mseOnehotLoss = mseLoss('mse-onehot', (oh) => oh, (out) => tf.argMax(out, 1));

/** Plugin of {@link mseOnehotLoss}. */
export const mseOnehotLossPlugin: LossPlugin = {
  meta: { id: 'mse-onehot', kind: 'loss', description: 'MSE to one-hot targets (mean over B*C); predicted class = argmax', version: '1.0.0', reference: 'arXiv 2106.00694' },
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  create: () => mseOnehotLoss,
};

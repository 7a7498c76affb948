import { z } from 'zod';
import { tf } from '../../tf';
import type { Loss, LossPlugin } from '../types';

/**
 * Softmax cross-entropy, mean over the batch: L = -(1/B) sum_b log softmax(out_b)_{y_b}.
 * Gradient (closed form): dL/dout = (softmax(out) - onehot(y)) / B. Prediction: argmax.
 * Shapes: out [B, C], labels int32 [B].
 */
export const xentLoss: Loss = {
  id: 'xent',
  valueAndGrad(out, labels, numClasses) {
    return tf.tidy(() => {
      const B = out.shape[0];
      const oh = tf.oneHot(labels, numClasses).toFloat();
      const logp = tf.logSoftmax(out);
      const loss = tf.neg(tf.sum(tf.mul(oh, logp))).div(B);
      const grad = tf.sub(tf.exp(logp), oh).div(B) as typeof out;
      return { loss, grad };
    });
  },
  value(out, labels, numClasses) {
    return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.oneHot(labels, numClasses).toFloat(), tf.logSoftmax(out)))).div(out.shape[0]));
  },
  predict: (out) => tf.argMax(out, 1),
};

/** Plugin of {@link xentLoss}. */
export const xentLossPlugin: LossPlugin = {
  meta: { id: 'xent', kind: 'loss', description: 'softmax cross-entropy, mean over the batch; predicted class = argmax', version: '1.0.0' },
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  create: () => xentLoss,
};

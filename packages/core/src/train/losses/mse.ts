import { tf } from '../../tf';
import type { Tensor1D, Tensor2D } from '../../tf';
import type { Loss } from '../types';

/**
 * Mean squared error to a target built from the labels, averaged over all B*C entries (PyTorch's
 * `nn.MSELoss()` default): L = (1/(B C)) sum_{b,c} (out_bc - t_bc)^2, so dL/dout = 2 (out - t) / (B C).
 * Shared by `mse-onehot` (t = onehot(y), predict argmax) and `mse-onecold` (t = 1 - onehot(y), predict argmin).
 */
export function mseLoss(id: string, target: (oh: Tensor2D) => Tensor2D, predict: (out: Tensor2D) => Tensor1D): Loss {
  return {
    id,
    valueAndGrad(out, labels, numClasses) {
      return tf.tidy(() => {
        const t = target(tf.oneHot(labels, numClasses).toFloat() as Tensor2D);
        const diff = tf.sub(out, t);
        const n = out.shape[0] * out.shape[1];
        return { loss: tf.sum(tf.square(diff)).div(n), grad: diff.mul(2 / n) as Tensor2D };
      });
    },
    value(out, labels, numClasses) {
      return tf.tidy(() => tf.mean(tf.square(tf.sub(out, target(tf.oneHot(labels, numClasses).toFloat() as Tensor2D)))));
    },
    predict,
  };
}

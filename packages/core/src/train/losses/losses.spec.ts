import { tf } from '../../tf';
import type { Tensor, Tensor1D, Tensor2D } from '../../tf';
import { initBackend } from '../../backend/backend';
import { xentLoss } from './xent';
import { mseOnehotLoss } from './mse-onehot';
import { mseOnecoldLoss } from './mse-onecold';

beforeAll(async () => {
  await initBackend();
});

const run = (loss: typeof xentLoss, out: number[][], labels: number[], C: number) =>
  tf.tidy(() => {
    const o = tf.tensor2d(out) as Tensor2D;
    const y = tf.tensor1d(labels, 'int32') as Tensor1D;
    const { loss: l, grad } = loss.valueAndGrad(o, y, C);
    // The gradient of `value` by autodiff, an independent route to the same derivative.
    const auto = tf.grad((z: Tensor) => loss.value(z as Tensor2D, y, C))(o);
    return { value: l.dataSync()[0], plain: loss.value(o, y, C).dataSync()[0], grad: Array.from(grad.dataSync()), auto: Array.from(auto.dataSync()), pred: Array.from(loss.predict(o).dataSync()) };
  });

describe('losses against hand-computed values', () => {
  it('xent: softmax([0, ln 3]) = [1/4, 3/4]; softmax([0, 0]) = [1/2, 1/2]', () => {
    // Row 1, label 1: -ln(3/4); row 2, label 0: -ln(1/2). Mean over B = 2.
    // dL/dout = (softmax - onehot) / B = [[1/4, -1/4], [-1/2, 1/2]] / 2.
    const r = run(xentLoss, [[0, Math.log(3)], [0, 0]], [1, 0], 2);
    expect(r.value).toBeCloseTo((Math.log(4 / 3) + Math.log(2)) / 2, 6);
    expect(r.plain).toBeCloseTo(r.value, 6);
    [0.125, -0.125, -0.25, 0.25].forEach((g, i) => expect(r.grad[i]).toBeCloseTo(g, 6));
    r.auto.forEach((g, i) => expect(g).toBeCloseTo(r.grad[i], 6));
    expect(r.pred).toEqual([1, 0]);
  });

  it('mse-onehot: diff = out - e_y, mean over B*C, gradient 2 diff / (B C)', () => {
    // out [[1,2],[0,0.5]], labels [1,0] -> t [[0,1],[1,0]], diff [[1,1],[-1,0.5]]: sum of squares 3.25, / 4 = 0.8125.
    const r = run(mseOnehotLoss, [[1, 2], [0, 0.5]], [1, 0], 2);
    expect(r.value).toBeCloseTo(0.8125, 6);
    [0.5, 0.5, -0.5, 0.25].forEach((g, i) => expect(r.grad[i]).toBeCloseTo(g, 6));
    r.auto.forEach((g, i) => expect(g).toBeCloseTo(r.grad[i], 6));
    expect(r.pred).toEqual([1, 1]);
  });

  it('mse-onecold: target 1 - e_y, predicted class = argmin', () => {
    // t [[1,0],[0,1]], diff [[0,2],[0,-0.5]]: sum of squares 4.25, / 4 = 1.0625; gradient diff / 2.
    const r = run(mseOnecoldLoss, [[1, 2], [0, 0.5]], [1, 0], 2);
    expect(r.value).toBeCloseTo(1.0625, 6);
    [0, 1, 0, -0.25].forEach((g, i) => expect(r.grad[i]).toBeCloseTo(g, 6));
    r.auto.forEach((g, i) => expect(g).toBeCloseTo(r.grad[i], 6));
    expect(r.pred).toEqual([0, 0]);
  });
});

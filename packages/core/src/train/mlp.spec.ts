import { tf } from '../tf';
import type { Tensor, Tensor1D, Tensor2D } from '../tf';
import { initBackend } from '../backend/backend';
import { kernelBlas } from '../backend/blas/state';
import { PluginHost } from '../registry/kinds';
import { registerNnPlugins } from '../nn/register-all';
import { Rng } from '../rng/rng';
import { resolveActivation } from './activation';
import { defaultMlpInit, mlpForward, mlpLossAndGrads, mlpShapes, paramsToTensors, tensorsToParams } from './mlp';
import { xentLoss } from './losses/xent';
import { mseOnecoldLoss } from './losses/mse-onecold';

beforeAll(async () => {
  await initBackend();
});

const host = new PluginHost();
registerNnPlugins(host);

describe('explicit MLP backward pass', () => {
  it.each([
    ['relu', true, xentLoss],
    ['tanh', false, mseOnecoldLoss],
  ] as const)('matches tf.grad of the forward pass (%s, bias %s) to ~1e-6', (actId, bias, loss) => {
    const act = resolveActivation(actId, host);
    const shapes = mlpShapes({ sizes: [7, 6, 5, 4], bias });
    const tensors = paramsToTensors(defaultMlpInit(shapes, 3));
    const rng = new Rng(9);
    const x = tf.tensor2d(rng.normalArray(8 * 7), [8, 7]) as Tensor2D;
    const y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32') as Tensor1D;
    const before = tf.memory().numTensors;
    const r = mlpLossAndGrads(tensors, shapes, act, loss, x, y, 4);
    // The reference: autodiff through the forward pass and the loss's differentiable `value`.
    const auto = tf.grads((...ts: Tensor[]) => loss.value(mlpForward(ts, shapes, act, x), y, 4))(tensors);
    expect(r.grads.length).toBe(tensors.length);
    let maxScale = 0;
    r.grads.forEach((g, i) => {
      expect(g.shape).toEqual(tensors[i].shape);
      const a = g.dataSync();
      const b = auto[i].dataSync();
      for (let k = 0; k < a.length; k++) {
        expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-6);
        maxScale = Math.max(maxScale, Math.abs(b[k]));
      }
    });
    expect(maxScale).toBeGreaterThan(1e-3); // the check is not vacuous
    tf.dispose([r.loss, r.correct, ...r.grads, ...auto]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, ...tensors]);
  });

  it('gauss (input-dependent): forward is W1 exp(W0 x + b0 - q(x)) + b1 with q = sb^2 + sw^2 |x|^2 / d, and the explicit backward matches tf.grad', () => {
    const sw = 1.5;
    const sb = 0.5;
    const act = resolveActivation('gauss', host, { sigmaW: sw, sigmaB: sb, bias: true });
    expect(act.needsContext).toBe(true);
    const shapes = mlpShapes({ sizes: [5, 6, 3], bias: true });
    const params = defaultMlpInit(shapes, 4, { sw, sb });
    const tensors = paramsToTensors(params);
    const rng = new Rng(11);
    const xs = rng.normalArray(4 * 5);
    const x = tf.tensor2d(xs, [4, 5]) as Tensor2D;
    const y = tf.tensor1d([0, 1, 2, 0], 'int32') as Tensor1D;
    // Reference on the host in float64, written from the definition (arXiv 2008.08601 eq. 2.14).
    const [L0, L1] = params;
    const out = tf.tidy(() => mlpForward(tensors, shapes, act, x).dataSync());
    for (let p = 0; p < 4; p++) {
      let x2 = 0;
      for (let k = 0; k < 5; k++) x2 += xs[p * 5 + k] ** 2;
      const q = sb * sb + (sw * sw * x2) / 5;
      const h = Array.from({ length: 6 }, (_, j) => {
        let z = (L0.b as Float32Array)[j];
        for (let k = 0; k < 5; k++) z += L0.w[j * 5 + k] * xs[p * 5 + k];
        return Math.exp(z - q);
      });
      for (let c = 0; c < 3; c++) {
        let f = (L1.b as Float32Array)[c];
        for (let j = 0; j < 6; j++) f += L1.w[c * 6 + j] * h[j];
        expect(Math.abs(out[p * 3 + c] - f)).toBeLessThan(1e-5 * (1 + Math.abs(f)));
      }
    }
    const before = tf.memory().numTensors;
    const r = mlpLossAndGrads(tensors, shapes, act, xentLoss, x, y, 3);
    const auto = tf.grads((...ts: Tensor[]) => xentLoss.value(mlpForward(ts, shapes, act, x), y, 3))(tensors);
    let maxScale = 0;
    r.grads.forEach((g, i) => {
      const a = g.dataSync();
      const b = auto[i].dataSync();
      for (let k = 0; k < a.length; k++) {
        expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-6 * (1 + Math.abs(b[k])));
        maxScale = Math.max(maxScale, Math.abs(b[k]));
      }
    });
    expect(maxScale).toBeGreaterThan(1e-3);
    tf.dispose([r.loss, r.correct, ...r.grads, ...auto]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, ...tensors]);
  });

  it('transposes as matMul flags (BLAS path) give the explicit-transpose gradients to within the float32 bound of each product', () => {
    // 1 hidden layer, relu, xent: the forward pass and dz1 = dL/dout are the same tensors on both paths, so
    //   dWt1: |diff| <= 2 g_B (|a1|^T |dz1|),   da: |diff| <= 2 g_C (|dz1| |Wt1|^T) =: E,
    //   dWt0: |diff| <= 2 g_B (|x|^T |dz0|) + (1 + g_B) |x|^T (1[z0 > 0] E)
    // (g_n = n u / (1 - n u), u = 2^-24: Higham's bound for any summation order); db0 = sum_b dz0: <= g_B sum|dz0| + sum E.
    if (!kernelBlas()) {
      console.info('mlp.spec: no BLAS library loaded; the flags path is the same kernels (still checked)');
    }
    const act = resolveActivation('relu', host);
    const B = 48;
    const C = 10;
    const shapes = mlpShapes({ sizes: [130, 40, C], bias: true });
    const tensors = paramsToTensors(defaultMlpInit(shapes, 5));
    const rng = new Rng(13);
    const x = tf.tensor2d(rng.normalArray(B * 130), [B, 130]) as Tensor2D;
    const y = tf.tensor1d(
      Array.from({ length: B }, (_, i) => i % C),
      'int32',
    ) as Tensor1D;
    const flagged = mlpLossAndGrads(tensors, shapes, act, xentLoss, x, y, C, { transposeFlags: true });
    const explicit = mlpLossAndGrads(tensors, shapes, act, xentLoss, x, y, C, { transposeFlags: false });
    const u = 2 ** -24;
    const g = (n: number) => (n * u) / (1 - n * u);
    const bounds = tf.tidy(() => {
      const z0 = tf.add(tf.matMul(x, tensors[0] as Tensor2D), tensors[1]);
      const a1 = tf.relu(z0) as Tensor2D;
      const out = tf.add(tf.matMul(a1, tensors[2] as Tensor2D), tensors[3]);
      const dz1 = tf.abs(xentLoss.valueAndGrad(out as Tensor2D, y, C).grad) as Tensor2D;
      const mask = tf.cast(tf.greater(z0, 0), 'float32');
      const E = tf.mul(tf.matMul(dz1, tf.abs(tf.transpose(tensors[2]))), 2 * g(C));
      const dz0 = tf.mul(mask, tf.abs(tf.matMul(dz1, tf.transpose(tensors[2])))) as Tensor2D;
      const ax = tf.abs(tf.transpose(x)) as Tensor2D;
      const me = tf.mul(mask, E) as Tensor2D;
      return [
        tf.add(tf.mul(tf.matMul(ax, dz0), 2 * g(B)), tf.mul(tf.matMul(ax, me), 1 + g(B))),
        tf.add(tf.mul(tf.sum(dz0, 0), g(B)), tf.sum(me, 0)),
        tf.mul(tf.matMul(tf.transpose(a1), dz1), 2 * g(B)),
        tf.mul(tf.sum(dz1, 0), 0),
      ].map((t) => t.dataSync());
    });
    let scale = 0;
    flagged.grads.forEach((gr, i) => {
      const a = gr.dataSync();
      const b = explicit.grads[i].dataSync();
      expect(gr.shape).toEqual(explicit.grads[i].shape);
      // + 2 ulps of the result for the final float32 rounding of each side
      for (let k = 0; k < a.length; k++) {
        expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(bounds[i][k] * (1 + 1e-6) + 4 * u * Math.abs(b[k]));
        scale = Math.max(scale, Math.abs(b[k]));
      }
    });
    expect(scale).toBeGreaterThan(1e-3);
    tf.dispose([flagged.loss, flagged.correct, ...flagged.grads, explicit.loss, explicit.correct, ...explicit.grads, x, y, ...tensors]);
  });

  it('stores W transposed internally and returns it in the [out, in] convention', () => {
    const shapes = mlpShapes({ sizes: [3, 2], bias: true });
    const p = [{ out: 2, in: 3, w: new Float32Array([1, 2, 3, 4, 5, 6]), b: new Float32Array([0.5, -0.5]) }];
    const t = paramsToTensors(p);
    expect(t[0].shape).toEqual([3, 2]);
    expect(Array.from(t[0].dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    const back = tensorsToParams(t, shapes);
    expect(Array.from(back[0].w)).toEqual([1, 2, 3, 4, 5, 6]);
    // f(x) = W x + b for x = (1, 0, -1): (1 - 3 + 0.5, 4 - 6 - 0.5).
    const out = tf.tidy(() => Array.from(mlpForward(t, shapes, resolveActivation('relu', host), tf.tensor2d([[1, 0, -1]])).dataSync()));
    expect(out).toEqual([-1.5, -2.5]);
    tf.dispose(t);
  });
});

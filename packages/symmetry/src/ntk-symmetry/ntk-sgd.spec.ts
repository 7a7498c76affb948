import { initBackend, Rng, tf, type Tensor, type Tensor2D, type Tensor3D, type Variable } from '@nnsym/core';
import { mlpStructuredNtk } from '@nnsym/ntk';
import { createNtkSgd } from './ntk-sgd';

/**
 * Independent check of the claim in ntk-sgd.ts: one step of `ntk-sgd` on standard-parameterised variables is one GD
 * step in the NTK parameterisation, so the function moves by the NTK-parameterisation kernel:
 *   Δf(x_i) = −η Σ_j Θ_ntk(x_i, x_j) c_j + O(η²)   for the "loss" L = Σ_j c_j f(x_j).
 * Θ_ntk comes from `mlpStructuredNtk` with parameterization 'ntk' on ω = W √fan_in / σ_w, β = b / σ_b (closed-form
 * layer Jacobians, no shared code with the optimiser); Δf from the SP forward pass before and after the step.
 */
describe('ntk-sgd', () => {
  beforeAll(async () => {
    await initBackend();
  });
  it('moves the function by −η Θ_ntk c (first order)', () => {
    const [d, N, sw, sb, eta] = [3, 16, 1.3, 0.7, 1e-3];
    const rng = new Rng(7);
    const P = 4;
    const X = Array.from({ length: P }, () => Array.from({ length: d }, () => rng.normal()));
    const c = Float32Array.from({ length: P }, () => rng.normal());
    // SP variables in the trainer's layout: Wt [in, out], b [out]; W ~ N(0, sw²/fan_in), b ~ N(0, sb²).
    const w0 = rng.normalArray(d * N, 0, sw / Math.sqrt(d));
    const b0 = rng.normalArray(N, 0, sb);
    const w1 = rng.normalArray(N, 0, sw / Math.sqrt(N));
    const b1 = rng.normalArray(1, 0, sb);
    const vars: Variable[] = [tf.variable(tf.tensor2d(w0, [d, N])), tf.variable(tf.tensor1d(b0)), tf.variable(tf.tensor2d(w1, [N, 1])), tf.variable(tf.tensor1d(b1))];
    const x = tf.tensor2d(X);
    const forward = (ps: Tensor[]) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, ps[0] as Tensor2D), ps[1])), ps[2] as Tensor2D), ps[3]);
    const f0 = forward(vars).dataSync().slice();
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(forward(vars).reshape([P]), tf.tensor1d(c))) as tf.Scalar, vars);
    const opt = createNtkSgd({ sigmaW: sw, sigmaB: sb });
    opt.step({ params: vars, grads: vars.map((v) => grads[v.name]), lr: eta, step: 0, gradAt: () => [] });
    const f1 = forward(vars).dataSync();
    // Θ_ntk at the initial parameters, in the NTK parameterisation.
    const W0 = tf.tensor3d(Float32Array.from(w0, (v) => (v * Math.sqrt(d)) / sw), [1, d, N]) as Tensor3D;
    const W1 = tf.tensor3d(Float32Array.from(w1, (v) => (v * Math.sqrt(N)) / sw), [1, N, 1]) as Tensor3D;
    const B0 = tf.tensor2d(Float32Array.from(b0, (v) => v / sb), [1, N]);
    const B1 = tf.tensor2d(Float32Array.from(b1, (v) => v / sb), [1, 1]);
    const theta = mlpStructuredNtk({ weights: [W0, W1], biases: [B0, B1], phi: (z) => tf.relu(z), parameterization: 'ntk', sigmaW: sw, sigmaB: sb }, X, { mode: 'trace' }).mean;
    for (let i = 0; i < P; i++) {
      let pred = 0;
      let scale = 0;
      for (let j = 0; j < P; j++) {
        pred -= eta * theta[i * P + j] * c[j];
        scale += eta * Math.abs(theta[i * P + j] * c[j]);
      }
      // Second-order term O(η² Θ²) ~ 1e-5 relative here, float32 rounding of f (|f| ~ 1) ~ 1e-7 absolute.
      expect(Math.abs(f1[i] - f0[i] - pred)).toBeLessThan(0.02 * scale + 3e-6);
    }
    tf.dispose([...vars, x, W0, W1, B0, B1, ...Object.values(grads)]);
  });
});

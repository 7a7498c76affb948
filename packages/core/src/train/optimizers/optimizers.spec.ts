import { tf } from '../../tf';
import type { Tensor, Variable } from '../../tf';
import { initBackend } from '../../backend/backend';
import { createSgd } from './sgd';
import { createAdam } from './adam';
import { createGradientFlow } from './gradient-flow';
import type { Optimizer } from '../types';
import { stepDecay } from '../schedule';
import { Rng } from '../../rng/rng';
import { heapSimdKernels } from '../../backend/wasm-heap';

beforeAll(async () => {
  await initBackend();
});

/** Apply `opt` to one scalar parameter with the given gradients (fixed, not a function of theta). */
function steps(opt: Optimizer, theta0: number, grads: number[], lr: number): number[] {
  const init = tf.scalar(theta0);
  const p: Variable = tf.variable(init);
  init.dispose();
  const out: number[] = [];
  grads.forEach((g, step) => {
    const gt = tf.scalar(g);
    opt.step({ params: [p], grads: [gt], lr, step, gradAt: () => [tf.scalar(g)] }); // gradAt unused by sgd/adam
    gt.dispose();
    out.push(p.dataSync()[0]);
  });
  p.dispose();
  opt.dispose();
  return out;
}

/** Integrate the flow of L = a theta^2 / 2 (gradient a theta) for time lr per step. */
function flow(opt: Optimizer, theta0: number, a: number, lr: number, n: number): number {
  const init = tf.scalar(theta0);
  const p: Variable = tf.variable(init);
  init.dispose();
  for (let s = 0; s < n; s++) {
    const g = tf.mul(p, a);
    opt.step({ params: [p], grads: [g], lr, step: s, gradAt: (ps: Tensor[]) => [tf.mul(ps[0], a)] });
    g.dispose();
  }
  const v = p.dataSync()[0];
  p.dispose();
  return v;
}

describe('optimiser steps against hand-computed values', () => {
  it('sgd without momentum: theta - lr g', () => {
    expect(steps(createSgd({ momentum: 0, nesterov: false }), 1, [2, 1], 0.1).map((x) => +x.toFixed(6))).toEqual([0.8, 0.7]);
  });

  it('sgd with momentum 0.9: v1 = g1 = 2, theta1 = 0.8; v2 = 0.9*2 + 1 = 2.8, theta2 = 0.8 - 0.28 = 0.52', () => {
    const r = steps(createSgd({ momentum: 0.9, nesterov: false }), 1, [2, 1], 0.1);
    expect(r[0]).toBeCloseTo(0.8, 6);
    expect(r[1]).toBeCloseTo(0.52, 6);
  });

  it('sgd with Nesterov: theta1 = 1 - 0.1 (2 + 0.9*2) = 0.62; theta2 = 0.62 - 0.1 (1 + 0.9*2.8) = 0.268', () => {
    const r = steps(createSgd({ momentum: 0.9, nesterov: true }), 1, [2, 1], 0.1);
    expect(r[0]).toBeCloseTo(0.62, 6);
    expect(r[1]).toBeCloseTo(0.268, 6);
  });

  it('adam: two steps by hand', () => {
    // t=1, g=2: m=0.2, v=0.004; mhat=2, vhat=4: theta = 1 - 0.1*2/(2+1e-8) = 0.9.
    // t=2, g=1: m=0.28, v=0.004996; mhat=0.28/0.19, vhat=0.004996/0.001999: theta = 0.9 - 0.1*mhat/(sqrt(vhat)+1e-8).
    const mhat = 0.28 / 0.19;
    const vhat = 0.004996 / (1 - 0.999 * 0.999);
    const r = steps(createAdam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }), 1, [2, 1], 0.1);
    expect(r[0]).toBeCloseTo(0.9, 6);
    expect(r[1]).toBeCloseTo(0.9 - (0.1 * mhat) / (Math.sqrt(vhat) + 1e-8), 6);
  });

  it('gradient flow: Heun is the 2nd-order Taylor step, Euler sub-steps are (1 - a h)^n, adaptive tracks exp(-a t)', () => {
    // One Heun step on theta' = -theta with h = 0.1: theta (1 - h + h^2/2) = 0.905.
    expect(flow(createGradientFlow({ method: 'heun', substeps: 1, adaptive: false, tol: 1, maxSubsteps: 10 }), 1, 1, 0.1, 1)).toBeCloseTo(
      0.905,
      6,
    );
    // Euler with 10 sub-steps of 0.01 over one step of 0.1: 0.99^10.
    expect(
      flow(createGradientFlow({ method: 'euler', substeps: 10, adaptive: false, tol: 1, maxSubsteps: 100 }), 1, 1, 0.1, 1),
    ).toBeCloseTo(Math.pow(0.99, 10), 6);
    // Adaptive Heun, tol 1e-7, flow time 2 in two steps of 1 with a = 2: exp(-4) to ~float32 accuracy x sub-steps.
    const gf = createGradientFlow({ method: 'heun', substeps: 1, adaptive: true, tol: 1e-7, maxSubsteps: 10000 });
    expect(Math.abs(flow(gf, 1, 2, 1, 2) - Math.exp(-4))).toBeLessThan(2e-5);
  });

  it('optimisers hold no tensors beyond their slots across steps', () => {
    for (const opt of [
      createSgd({ momentum: 0.9, nesterov: false }),
      createAdam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }),
      createGradientFlow({ method: 'heun', substeps: 3, adaptive: true, tol: 1e-6, maxSubsteps: 50 }),
    ]) {
      const before = tf.memory().numTensors;
      flow(opt, 1, 1, 0.1, 1);
      const after1 = tf.memory().numTensors;
      flow(opt, 1, 1, 0.1, 5);
      expect(tf.memory().numTensors).toBe(after1);
      opt.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('adam: the fused in-place step (wasm heap; SIMD kernel and JS loop) equals the tfjs-kernel step bit for bit over several steps', () => {
    expect(tf.getBackend()).toBe('wasm'); // the fused path exists only there; elsewhere both runs take the kernels
    const shapes = [[37, 23], [23], [23, 5], [5], []];
    const rng = new Rng(5);
    const init = shapes.map((s) =>
      rng.normalArray(
        s.reduce((a, b) => a * b, 1),
        0,
        0.5,
      ),
    );
    // Gradients spanning magnitudes (so v, sqrt and eps all matter), exact zeros included, a new draw every step.
    const grads = Array.from({ length: 6 }, (_, step) =>
      shapes.map((s, i) => {
        const n = s.reduce((a, b) => a * b, 1);
        return Float32Array.from({ length: n }, (_, j) => (j % 7 === 0 ? 0 : rng.normal() * Math.pow(10, ((i + j + step) % 9) - 6)));
      }),
    );
    const lrs = [1e-3, 1e-3, 3e-2, 1e-4, 0.7, 1e-3];
    const run = (fused: boolean, simd = true) => {
      const opt = createAdam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, { fused, simd });
      const vars = init.map((a, i) => {
        const t = tf.tensor(a, shapes[i]);
        const v = tf.variable(t);
        t.dispose();
        return v;
      });
      const ids = vars.map((v) => v.dataId);
      const trace: Float32Array[][] = [];
      grads.forEach((gs, step) => {
        const g = gs.map((a, i) => tf.tensor(a, shapes[i]));
        opt.step({ params: vars, grads: g, lr: lrs[step], step, gradAt: () => [] });
        tf.dispose(g);
        trace.push(vars.map((v) => Float32Array.from(v.dataSync() as Float32Array)));
      });
      const inPlace = vars.every((v, i) => v.dataId === ids[i]);
      const slots = opt.getState().slots;
      vars.forEach((v) => v.dispose());
      opt.dispose();
      return { trace, slots, inPlace };
    };
    const before = tf.memory().numTensors;
    expect(heapSimdKernels()).toBeDefined(); // Node 20's wasm has SIMD: the kernel must instantiate
    const a = run(true);
    const b = run(false);
    const c = run(true, false); // the JS loop alone (no SIMD)
    expect(tf.memory().numTensors).toBe(before);
    expect(a.inPlace).toBe(true); // the fused path ran (the kernel path re-assigns new tensors)
    expect(c.inPlace).toBe(true);
    expect(b.inPlace).toBe(false);
    c.trace.forEach((step, s) => step.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(b.trace[s][i]))));
    let moved = 0;
    a.trace.forEach((step, s) =>
      step.forEach((x, i) => {
        expect(Array.from(x)).toEqual(Array.from(b.trace[s][i]));
        for (let j = 0; j < x.length; j++) if (x[j] !== init[i][j]) moved++;
      }),
    );
    expect(moved).toBeGreaterThan(1000); // the parameters did change
    expect(a.slots.length).toBe(2 * shapes.length);
    a.slots.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(b.slots[i])));
  });

  it('adam: a parameter whose data is shared (a clone) takes the kernel path and leaves the clone alone', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const p = tf.variable(t);
    const c = tf.clone(p); // shares p's data: an in-place write would change c too
    t.dispose();
    const g = tf.tensor1d([1, -1, 0.5]);
    const opt = createAdam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    opt.step({ params: [p], grads: [g], lr: 0.1, step: 0, gradAt: () => [] });
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    const r = Array.from(p.dataSync());
    [0.9, 2.1, 2.9].forEach((x, i) => expect(r[i]).toBeCloseTo(x, 6));
    tf.dispose([p, c, g]);
    opt.dispose();
  });

  it('step decay: lr gamma^floor(e / every)', () => {
    const s = stepDecay(1e-3, 0.7);
    expect([0, 1, 2].map(s)).toEqual([1e-3, 1e-3 * 0.7, 1e-3 * 0.7 * 0.7]);
    expect([0, 1, 2, 3].map(stepDecay(1, 0.5, 2))).toEqual([1, 1, 0.5, 0.5]);
    expect(() => stepDecay(0)).toThrow(/lr must be a positive number/);
  });
});

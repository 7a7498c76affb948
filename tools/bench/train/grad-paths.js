#!/usr/bin/env node
/**
 * Why the trainer writes its backward pass by hand: time one loss+gradient evaluation of a 784-H-10 ReLU MLP
 * (batch 128, xent) three ways on the default backend (wasm here), interleaved, medians:
 *   explicit   - core's mlpLossAndGrads: explicit tf.transpose, every matMul non-transposed;
 *   autodiff   - tf.grads of the forward pass (tfjs's matMul gradient uses transposeA/transposeB matMuls);
 *   transposed - the explicit pass written with matMul(a, b, transposeA, transposeB) instead of tf.transpose.
 * Also checks that the three agree (max |difference|).
 *
 *   node tools/bench/train/grad-paths.js [--hidden 512] [--reps 30] [--rounds 5]
 */
const path = require('node:path');
const root = path.resolve(__dirname, '../../..');
const args = process.argv.slice(2);
const flag = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const hidden = Number(flag('--hidden', '512'));
const reps = Number(flag('--reps', '30'));
const rounds = Number(flag('--rounds', '5'));

(async () => {
  const core = require(path.join(root, 'packages/core/dist/index.js'));
  const { tf } = core;
  const info = await core.initBackend();
  const act = (core.registerCorePlugins(core.plugins), core.resolveActivation('relu'));
  const shapes = core.mlpShapes({ sizes: [784, hidden, 10], bias: true });
  const ps = core.paramsToTensors(core.defaultMlpInit(shapes, 0));
  const rng = new core.Rng(1);
  const x = tf.tensor2d(rng.normalArray(128 * 784), [128, 784]);
  const y = tf.tensor1d(Int32Array.from({ length: 128 }, () => rng.int(10)), 'int32');
  const loss = core.xentLoss;
  const explicit = () => {
    const r = core.mlpLossAndGrads(ps, shapes, act, loss, x, y, 10);
    tf.dispose([r.loss, r.correct]);
    return r.grads;
  };
  const autodiff = () => tf.grads((...t) => loss.value(core.mlpForward(t, shapes, act, x), y, 10))(ps);
  // Same algebra as mlpLossAndGrads, with the transposes folded into matMul flags.
  const transposed = () =>
    tf.tidy(() => {
      const z0 = tf.add(tf.matMul(x, ps[0]), ps[1]);
      const a1 = tf.relu(z0);
      const out = tf.add(tf.matMul(a1, ps[2]), ps[3]);
      const { grad } = loss.valueAndGrad(out, y, 10);
      const g2 = tf.matMul(a1, grad, true, false);
      const g3 = tf.sum(grad, 0);
      const dz0 = tf.mul(tf.matMul(grad, ps[2], false, true), tf.step(z0));
      return [tf.matMul(x, dz0, true, false), tf.sum(dz0, 0), g2, g3];
    });
  const ways = { explicit, autodiff, transposed };
  const ref = explicit();
  for (const [name, f] of Object.entries(ways)) {
    const g = f();
    const d = Math.max(...g.map((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, ref[i]))).dataSync()[0])));
    process.stderr.write(`${name}: max |grad - explicit| = ${d.toExponential(2)}\n`);
    tf.dispose(g);
  }
  const times = { explicit: [], autodiff: [], transposed: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, f] of Object.entries(ways)) {
      f().forEach((t) => t.dispose()); // warm
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) {
        const g = f();
        g[0].dataSync();
        tf.dispose(g);
      }
      times[name].push(Number(process.hrtime.bigint() - t0) / 1e6 / reps);
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const base = med(times.explicit);
  console.log(`784-${hidden}-10, batch 128, ${core.describeBackend(info)}: ms per loss+gradient (median of ${rounds} x ${reps})`);
  for (const k of Object.keys(times)) console.log(`  ${k.padEnd(11)} ${med(times[k]).toFixed(2)} ms  (${(med(times[k]) / base).toFixed(2)}x explicit)`);
})();

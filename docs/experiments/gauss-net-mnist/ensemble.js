#!/usr/bin/env node
// Ensemble accuracy of Gauss-net MNIST runs: averages the softmax outputs of the final parameters of every
// checkpoint directory given on the command line and scores the MNIST test set (10k). Also prints each member's
// accuracy (re-computed from its checkpoint, which must agree with the run's own final testAccuracy).
// Usage (after building, from the repo root):
//   node docs/experiments/gauss-net-mnist/ensemble.js 3 1 /tmp/gauss-mnist/seed-1 ... /tmp/gauss-mnist/seed-5
// Arguments: sigma_w, sigma_b of the Gauss-net normalisation q(x) (as in --init normal:sw=..,sb=..), then dirs.
// Precision: float32 forward passes (tfjs), float64 accumulation of probabilities and counts on the host.
'use strict';
const core = require('../../../packages/core/dist/index.js');
const { tf } = core;

(async () => {
  const [swArg, sbArg, ...dirs] = process.argv.slice(2);
  const sigmaW = Number(swArg);
  const sigmaB = Number(sbArg);
  if (!Number.isFinite(sigmaW) || !Number.isFinite(sigmaB) || dirs.length === 0) {
    console.error('usage: ensemble.js SW SB CHECKPOINT_DIR...');
    process.exit(2);
  }
  core.registerCorePlugins(core.plugins);
  await core.initBackend();
  const ds = await core.loadDataset('mnist');
  const test = ds.test;
  const x = tf.tidy(() => tf.mul(tf.tensor2d(Float32Array.from(test.x), [test.n, test.d]), test.scale));
  const probSum = new Float64Array(test.n * ds.numClasses);
  const members = [];
  for (const dir of dirs) {
    const ck = core.readCheckpoint(dir);
    const fp = ck.meta.fingerprint;
    const shapes = core.mlpShapes({ sizes: fp.sizes, bias: fp.bias });
    const act = core.resolveActivation(fp.activation.replace(/\(.*$/, ''), core.plugins, { sigmaW, sigmaB, bias: fp.bias });
    const tensors = core.paramsToTensors(ck.params);
    const p = tf.tidy(() => tf.softmax(core.mlpForward(tensors, shapes, act, x)).dataSync());
    tf.dispose(tensors);
    let correct = 0;
    for (let i = 0; i < test.n; i++) {
      let best = 0;
      for (let c = 0; c < ds.numClasses; c++) {
        probSum[i * ds.numClasses + c] += p[i * ds.numClasses + c];
        if (p[i * ds.numClasses + c] > p[i * ds.numClasses + best]) best = c;
      }
      if (best === test.y[i]) correct++;
    }
    members.push({ dir, activation: fp.activation, epoch: ck.meta.epoch, testAccuracy: correct / test.n });
  }
  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    let best = 0;
    for (let c = 1; c < ds.numClasses; c++) if (probSum[i * ds.numClasses + c] > probSum[i * ds.numClasses + best]) best = c;
    if (best === test.y[i]) correct++;
  }
  x.dispose();
  console.log(JSON.stringify({ members, ensembleSize: dirs.length, ensembleTestAccuracy: correct / test.n, precision: 'float32 forward (tfjs), float64 host sums' }, null, 1));
})();

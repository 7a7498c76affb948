#!/usr/bin/env node
/**
 * Diagnostic behind docs/experiments/noether.md ("The NTK from time-translation symmetry"): why RK4's energy-balance
 * error stalls on the relu net. For the `nnsym noether --arch relu-net --width 16 --optimizer flow --ntk-energy` set-up
 * (seed 0, n = 128, flow time 20) at eta = 0.02, 0.01, 0.005 it prints, per checkpoint, the relative error of the run's
 * dL/dt against -r^T Θ r / n^2, the pre-activation sign flips from t-1 to t and t to t+1, and min |z| over the
 * 128 x 16 pre-activations at t (how close the path runs to the relu kink).
 *
 *   node tools/scripts/noether-relu-kink.js
 *
 * Needs the built packages (npx nx build weight-space).
 */
const ws = require('@nnsym/weight-space');
const { lastValueFrom, toArray } = require('rxjs');
const { trackNoether, randomMlp64, teacherData, ntkEnergyObserver } = ws;
(async () => {
  const seed = 0; // the CLI's default seed
  const act = { id: 'relu', f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) };
  const tanh = { id: 'tanh', f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 };
  const net = randomMlp64([4, 16, 2], act, { seed: `${seed}:student` });
  const data = teacherData([4, 16, 2], tanh, 128, 'mse', seed);
  for (const lr of [0.02, 0.01, 0.005]) {
    const steps = Math.round(20 / lr);
    const obs = ntkEnergyObserver(net, data, 'mse', lr, steps, 8);
    // the pre-activations z = W_0 x + b_0 at steps c-1, c, c+1 around each checkpoint c
    const at = Array.from({ length: 8 }, (_, i) => Math.round(((i + 0.5) * steps) / 8));
    const pat = new Map();
    const watch = {
      observe(step, theta) {
        if (!at.some((c) => Math.abs(step - c) <= 1)) return;
        const W = theta.subarray(0, 64),
          b = theta.subarray(64, 80);
        const sig = [];
        for (let s = 0; s < 128; s++)
          for (let j = 0; j < 16; j++) {
            let z = b[j];
            for (let k = 0; k < 4; k++) z += W[j * 4 + k] * data.X[s * 4 + k];
            sig.push(z);
          }
        pat.set(step, sig);
      },
    };
    await lastValueFrom(trackNoether({ net, data, loss: 'mse', optimizer: 'flow', lr, steps, observers: [obs, watch] }).pipe(toArray()));
    for (const p of obs.report().points) {
      const a = pat.get(p.step - 1),
        b = pat.get(p.step),
        c = pat.get(p.step + 1);
      let f1 = 0,
        f2 = 0,
        mz = Infinity;
      for (let i = 0; i < a.length; i++) {
        f1 += a[i] > 0 !== b[i] > 0;
        f2 += b[i] > 0 !== c[i] > 0;
        mz = Math.min(mz, Math.abs(b[i]));
      }
      console.log(lr, p.step, p.relativeError.toExponential(2), 'flips t-1->t', f1, 't->t+1', f2, 'min|z|', mz.toExponential(2));
    }
  }
})();

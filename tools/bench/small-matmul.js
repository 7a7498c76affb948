#!/usr/bin/env node
/**
 * Batched small matmuls, wasm kernel vs one sgemm per matrix (BLAS, 1 thread): the measurement behind
 * SMALL_BATCHED_MNK in packages/core/src/backend/blas/heap-gemm.ts. Calls the BLAS loop directly (bypassing the
 * threshold) so both sides are timed on every shape. Medians of 5 rounds, interleaved.
 *
 *   node tools/bench/small-matmul.js
 */
const os = require('node:os');
const core = require('@nnsym/core');
const { tf } = core;

const CASES = [
  [1000, 1, 100, 6], // ensemble readout [M, 1, N] x [M, N, P]
  [1000, 8, 3, 100], // ensemble first layer [M, P, d_in] x [M, d_in, N] (tanh-net bench)
  [1000, 8, 100, 1], // ensemble readout [M, P, N] x [M, N, 1]
  [1000, 4, 8, 4],
  [1000, 8, 8, 8],
  [1000, 8, 16, 8],
  [1000, 16, 16, 16],
  [300, 32, 32, 32],
  [100, 64, 64, 64],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const info = await core.initBackend({ blas: 'auto' });
  if (!info.blas.enabled) throw new Error(`no BLAS: ${info.blas.reason}`);
  core.setBlasThreads(1);
  const { planGemm, runGemm } = require(require.resolve('@nnsym/core').replace(/index\.js$/, 'backend/blas/heap-gemm.js'));
  const { findBlas } = require(require.resolve('@nnsym/core').replace(/index\.js$/, 'backend/blas/library.js'));
  const lib = findBlas().lib;
  lib.setThreads(1);
  console.log(`small batched matmuls, µs per matrix (load ${os.loadavg()[0].toFixed(2)}); ${core.describeBackend(info)} at 1 thread`);
  for (const [B, m, k, n] of CASES) {
    const a = tf.randomNormal([B, m, k]);
    const b = tf.randomNormal([B, k, n]);
    const be = tf.backend();
    const plan = planGemm(a.shape, b.shape, false, false);
    const blasOnce = () => {
      const out = be.makeOutput(plan.outShape, 'float32');
      runGemm(lib, be, plan, a, b, out, false, false, 0);
      be.disposeData(out.dataId);
    };
    const wasmOnce = () => tf.matMul(a, b).dispose();
    await core.initBackend({ blas: 'off' });
    const reps = Math.max(3, Math.round(3e6 / (B * (m * n * k + 500))));
    const time = (f) => {
      f();
      const t = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) f();
      return Number(process.hrtime.bigint() - t) / 1e3 / reps / B;
    };
    const w = [];
    const s = [];
    for (let r = 0; r < 5; r++) {
      w.push(time(wasmOnce));
      s.push(time(blasOnce));
    }
    console.log(`  B ${B} ${m}x${k}x${n} (mnk ${m * n * k}): wasm ${median(w).toFixed(2)}, blas ${median(s).toFixed(2)}`);
    tf.dispose([a, b]);
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

#!/usr/bin/env node
/**
 * Where a bench workload's nnsym time goes, by tfjs kernel: wraps the engine's runKernel with a wall-clock timer
 * (kernels are synchronous on the wasm backend, so a kernel's wall time is its cost) and reports the total per
 * kernel name, the share of the run, and the host time outside kernels.
 *
 *   node tools/bench/profile-kernels.js ntk-mlp            # BLAS path (default)
 *   node tools/bench/profile-kernels.js train-mlp --blas off
 */
const path = require('node:path');
const core = require('@nnsym/core');

async function main() {
  const args = process.argv.slice(2);
  const id = args[0];
  const blas = args.includes('--blas') ? args[args.indexOf('--blas') + 1] : 'auto';
  const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 3;
  const w = require(path.join(__dirname, 'workloads', `${id}.js`));
  const info = await core.initBackend({ blas });
  const params = { ...w.params };
  if (w.setup) await w.setup(params);
  await w.js(params); // warm-up
  const engine = core.tf.engine();
  const orig = engine.runKernel.bind(engine);
  const by = new Map();
  let depth = 0;
  engine.runKernel = (name, inputs, attrs) => {
    if (depth > 0) return orig(name, inputs, attrs);
    depth++;
    const t = process.hrtime.bigint();
    try {
      return orig(name, inputs, attrs);
    } finally {
      depth--;
      const e = by.get(name) ?? { ms: 0, calls: 0 };
      e.ms += Number(process.hrtime.bigint() - t) / 1e6;
      e.calls++;
      by.set(name, e);
    }
  };
  const t0 = process.hrtime.bigint();
  let units = 0;
  for (let r = 0; r < reps; r++) units += (await w.js(params)).units;
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  engine.runKernel = orig;
  const rows = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`${id} on ${core.describeBackend(info)}: ${reps} runs, ${(total / reps).toFixed(1)} ms per run (${units / reps} ${w.unit}s), ${((100 * inKernels) / total).toFixed(0)}% in kernels`);
  for (const [name, e] of rows.slice(0, 15)) console.log(`  ${name.padEnd(22)} ${(e.ms / reps).toFixed(2).padStart(9)} ms/run  ${String(Math.round(e.calls / reps)).padStart(6)} calls/run  ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`);
  console.log(`  ${'(outside kernels)'.padEnd(22)} ${((total - inKernels) / reps).toFixed(2).padStart(9)} ms/run`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

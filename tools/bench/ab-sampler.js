#!/usr/bin/env node
/**
 * A/B of the normal sampler in one process: the ensemble workloads (threads 1, BLAS 1 thread) with the wasm fast path of
 * Rng.fillNormal on and off (the same draws either way), throughput per CPU-second (process.cpuUsage), 6 interleaved
 * rounds, medians. Needs built dists. `node tools/bench/ab-sampler.js` (docs/performance.md, "Fast paths after the BLAS path").
 */
const core = require('@nnsym/core');
const { setWasmNormal } = require('../../packages/core/dist/rng/rng.js');
(async () => {
  await core.initBackend({ blas: 'auto' });
  core.setBlasThreads(1);
  for (const id of ['ensemble-tanh', 'correlators-gauss']) {
    const w = require('./workloads/' + id + '.js');
    const params = { ...w.params, threads: 1 };
    if (w.setup) await w.setup(params);
    await w.js(params);
    const res = { on: [], off: [] };
    for (let r = 0; r < 6; r++) for (const on of [true, false]) {
      setWasmNormal(on);
      const t = process.cpuUsage();
      const out = await w.js(params);
      const c = process.cpuUsage(t);
      res[on ? 'on' : 'off'].push(out.units / ((c.user + c.system) / 1e6));
    }
    const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
    console.log(id, 'networks per CPU-second: wasm sampler', med(res.on).toFixed(0), 'JS sampler', med(res.off).toFixed(0), 'ratio', (med(res.on) / med(res.off)).toFixed(2));
  }
})();

#!/usr/bin/env node
/**
 * A/B of the correlator accumulator's push in one process, robust to machine load (CPU time, interleaved rounds,
 * medians): the current CorrelatorAccumulator against the one at git revision REV (default 54bd19a, the
 * network-at-a-time loop), transpiled from `git show REV:packages/correlators/src/accumulator.ts`. Both compute the
 * same bits (checked first). Three measurements:
 *   cold: CPU ms of the first 3 pushes of 7939 networks (the bench's chunks) in fresh child processes, alternating;
 *   push: warm ns per network (CPU), the bench's layout (6 points, G2 + G4, 16 groups, the Gauss-net tuple means);
 *   run:  the bench workload (correlators-gauss, threads 1, wasm path) per CPU-second, the push swapped per run.
 * Needs built dists. `node tools/bench/ab-accumulator.js [REV]` (docs/performance.md, "Correlator accumulator").
 */
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const ts = require('typescript');
const root = path.resolve(__dirname, '../..');
const REV = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : '54bd19a';
const { CorrelatorAccumulator, correlatorLayout, tupleMeansFor, kernelFor } = require('@nnsym/correlators');

function oldAccumulator() {
  const src = execFileSync('git', ['show', `${REV}:packages/correlators/src/accumulator.ts`], { cwd: root, encoding: 'utf8' });
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const m = { exports: {} };
  new Function('module', 'exports', 'require', js)(m, m.exports, require);
  return m.exports.CorrelatorAccumulator;
}

const INPUTS = [[-1], [-0.6], [-0.2], [0.2], [0.6], [1]];
const layout = correlatorLayout(6, 1, [2, 4]);
const spec = { arch: 'gauss-net', width: 100, dIn: 1, dOut: 1, sigmaW: 1, sigmaB: 1, parameterization: 'standard', inputs: INPUTS };
const fs = tupleMeansFor(layout, kernelFor(spec).kernel);
const M = 7939;
const outputs = Float32Array.from({ length: M * 6 }, (_, i) => Math.sin(i * 1.37) * 1.2 + 0.1 * Math.cos(i * 0.01));
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e3; // ms
};
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (process.argv.includes('--cold')) {
  const Cls = process.argv.includes('old') ? oldAccumulator() : CorrelatorAccumulator;
  const acc = new Cls(layout, { groups: 16, tupleMeans: fs });
  const t = [];
  for (let c = 0; c < 3; c++) {
    const t0 = cpu();
    acc.push(outputs, M, c * M);
    t.push(cpu() - t0);
  }
  process.stdout.write(JSON.stringify(t));
  process.exit(0);
}

(async () => {
  const Old = oldAccumulator();
  // same bits
  const a = new Old(layout, { groups: 16, tupleMeans: fs });
  const b = new CorrelatorAccumulator(layout, { groups: 16, tupleMeans: fs });
  for (let c = 0; c < 4; c++) {
    a.push(outputs, M - 5 * c, c * M + 3);
    b.push(outputs, M - 5 * c, c * M + 3);
  }
  const same = ['mean', 'm2', 'tMean', 'tM2'].every((k) => a[k].every((v, i) => Object.is(v, b[k][i])));
  console.log(`revision ${REV} vs working tree: bit-identical state: ${same}`);
  if (!same) process.exit(1);

  const cold = { old: [], new: [] };
  for (let r = 0; r < 4; r++) {
    for (const arm of r % 2 ? ['new', 'old'] : ['old', 'new']) {
      const out = execFileSync(process.execPath, [__filename, REV, '--cold', arm], { cwd: root, encoding: 'utf8' });
      cold[arm].push(JSON.parse(out));
    }
  }
  for (const arm of ['old', 'new']) console.log(`cold ${arm}: CPU ms of pushes 1, 2, 3 (4 processes): ${cold[arm].map((t) => t.map((x) => x.toFixed(0)).join('/')).join('  ')}; median sum ${med(cold[arm].map((t) => t[0] + t[1] + t[2])).toFixed(0)}`);

  const push = { old: [], new: [] };
  const R = 12;
  for (let r = 0; r < 8; r++) {
    for (const arm of r % 2 ? ['new', 'old'] : ['old', 'new']) {
      const acc = new (arm === 'old' ? Old : CorrelatorAccumulator)(layout, { groups: 16, tupleMeans: fs });
      acc.push(outputs, M, 0);
      const t0 = cpu();
      for (let c = 1; c <= R; c++) acc.push(outputs, M, c * M);
      push[arm].push(((cpu() - t0) * 1e6) / (R * M));
    }
  }
  console.log(`push, warm, ns per network (CPU), 8 rounds: old ${med(push.old).toFixed(0)} [${push.old.map((x) => x.toFixed(0)).join(' ')}], new ${med(push.new).toFixed(0)} [${push.new.map((x) => x.toFixed(0)).join(' ')}]: ${(med(push.old) / med(push.new)).toFixed(2)}x`);

  // the bench workload in this process, threads 1 (workers would load their own copy), wasm path
  const core = require('@nnsym/core');
  await core.initBackend({ blas: 'off' });
  const w = require('./workloads/correlators-gauss.js');
  const params = { ...w.params, threads: 1 };
  w.setup(params);
  const proto = CorrelatorAccumulator.prototype;
  const impl = { new: { push: proto.push, scratch: proto.scratch }, old: { push: Old.prototype.push, scratch: Old.prototype.scratch } };
  const use = (arm) => Object.assign(proto, impl[arm]); // each run makes fresh accumulators, so the scratch buffers follow
  for (const arm of ['old', 'new']) {
    use(arm);
    await w.js(params);
  }
  const run = { old: [], new: [] };
  for (let r = 0; r < 6; r++) {
    for (const arm of r % 2 ? ['new', 'old'] : ['old', 'new']) {
      use(arm);
      const t0 = cpu();
      const out = await w.js(params);
      run[arm].push(out.units / ((cpu() - t0) / 1e3));
    }
  }
  use('new');
  console.log(`correlators-gauss (threads 1, wasm), networks per CPU-second, 6 rounds: old ${med(run.old).toFixed(0)}, new ${med(run.new).toFixed(0)}: ${(med(run.new) / med(run.old)).toFixed(2)}x`);
  process.exit(0);
})();

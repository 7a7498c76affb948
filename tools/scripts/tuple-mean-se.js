#!/usr/bin/env node
/**
 * Calibration of the standard errors of means over tuples (issue 16, item 6): over R independent ensembles of one
 * heavy-tailed case, the empirical SD of each mean over tuples against the errors the result reports, both the exact
 * per-network error sd(s_m)/√M ("per-network") and the delete-one-group jackknife over B groups ("jackknife-B",
 * the fallback, computed on the same ensembles by reading each partial as format version 1).
 *
 *   node tools/scripts/tuple-mean-se.js [--arch relu-net] [--act relu] [--width 4] [--sigma-b 0] [--M 2000]
 *        [--repeats 200] [--orders 2,4,6] [--inputs 0.4,0.9,1.5] [--groups 16] [--json out.json]
 *
 * Columns per quantity and estimator: SD of the estimate over the R ensembles (with its 95% CI, chi-square), the
 * ratio rms(SE)/SD (1 for an unbiased variance estimate; 95% bootstrap CI over the ensembles), the median of SE/SD,
 * and the coverage of the exact-in-N value (single-neuron closed form/quadrature) by estimate ± 1.96 SE.
 * Needs the built packages (npx nx run-many -t build -p correlators).
 */
const path = require('node:path');
const { writeFileSync } = require('node:fs');
const root = path.resolve(__dirname, '../..');
const core = require(path.join(root, 'packages/core/dist/index.js'));
const corr = require(path.join(root, 'packages/correlators/dist/index.js'));
const { lastValueFrom } = require(path.join(root, 'node_modules/rxjs'));

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const arch = flag('--arch', 'relu-net');
const act = flag('--act', 'relu');
const width = Number(flag('--width', '4'));
const sigmaB = Number(flag('--sigma-b', '0'));
const M = Number(flag('--M', '2000'));
const R = Number(flag('--repeats', '200'));
const groups = Number(flag('--groups', '16'));
const orders = flag('--orders', '2,4,6').split(',').map(Number);
const inputs = flag('--inputs', '0.4,0.9,1.5').split(',').map((v) => [Number(v)]);
const jsonOut = flag('--json', undefined);

function quantiles(xs, qs) {
  const s = [...xs].sort((a, b) => a - b);
  return qs.map((q) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]);
}
const sd = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const rms = (xs) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);
// chi-square quantiles for the SD's CI (Wilson-Hilferty)
const chi2q = (p, k) => {
  const z = p < 0.5 ? -1.959963984540054 : 1.959963984540054;
  return k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
};

async function main() {
  await core.initBackend({ backend: 'cpu' });
  corr.registerCorrelatorPlugins(core.plugins);
  const ex = corr.exactCorrelators(corr.neuronFamily(act, { sigmaW: 1, sigmaB, dIn: 1 }), inputs, { orders });
  const base = { arch, width, dIn: 1, dOut: 1, sigmaW: 1, sigmaB, parameterization: 'standard', inputs, orders, ensemble: M, chunkSize: Math.min(M, 5000), groups };
  const kernel = corr.kernelFor(base);
  const truth = corr.exactResult(ex, arch, width, inputs, kernel);
  const quantities = [];
  for (const n of orders) {
    quantities.push({ n, key: 'meanDeviation', label: `mean (G${n}-GP)/GP` });
    if (n >= 4) quantities.push({ n, key: 'meanConnectedDeviation', label: `mean G${n}_c/GP` });
  }
  const rows = quantities.map(() => ({ est: [], pn: [], jk: [] }));
  const t0 = Date.now();
  for (let r = 0; r < R; r++) {
    const spec = { ...base, seed: `tuple-mean-se:${r}` };
    const end = await lastValueFrom(corr.correlators$({ spec }));
    const partial = end.summary.partial;
    const v1 = JSON.parse(JSON.stringify(partial));
    v1.version = 1;
    delete v1.state.tupleMeans;
    const a = corr.finalizeCorrelators(partial, kernel);
    const b = corr.finalizeCorrelators(v1, kernel);
    quantities.forEach((q, i) => {
      const sa = a.orders[String(q.n)].summary;
      const sb = b.orders[String(q.n)].summary;
      if (sa.stderrEstimators[q.key] !== 'per-network') throw new Error(`${q.label}: not per-network (${sa.stderrEstimators[q.key]})`);
      rows[i].est.push(sa[q.key]);
      rows[i].pn.push(sa[`${q.key}Stderr`]);
      rows[i].jk.push(sb[`${q.key}Stderr`]);
    });
    if ((r + 1) % 20 === 0) process.stderr.write(`${r + 1}/${R} ensembles, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const rng = new core.Rng('tuple-mean-se-bootstrap');
  const out = [];
  console.log(`${arch}, sigma_b = ${sigmaB}, N = ${width}, inputs ${JSON.stringify(inputs.map((x) => x[0]))}, orders ${orders.join(',')}, M = ${M} per ensemble, ${R} ensembles (seeds "tuple-mean-se:0..${R - 1}")`);
  console.log('| quantity | exact value | SD over ensembles [95% CI] | estimator | rms(SE)/SD [95% CI] | median SE/SD [10%, 90%] | coverage of exact ±1.96 SE |');
  console.log('|---|---|---|---|---|---|---|');
  quantities.forEach((q, i) => {
    const { est, pn, jk } = rows[i];
    const s = sd(est);
    const ci = [s * Math.sqrt((R - 1) / chi2q(0.975, R - 1)), s * Math.sqrt((R - 1) / chi2q(0.025, R - 1))];
    const exact = truth.orders[String(q.n)].summary[q.key];
    for (const [name, se] of [['per-network', pn], [`jackknife-${groups}`, jk]]) {
      const ratio = rms(se) / s;
      const boots = [];
      for (let b = 0; b < 1000; b++) {
        const idx = Array.from({ length: R }, () => Math.floor(rng.uniform() * R));
        boots.push(rms(idx.map((k) => se[k])) / sd(idx.map((k) => est[k])));
      }
      const [lo, hi] = quantiles(boots, [0.025, 0.975]);
      const rel = se.map((e) => e / s);
      const [q10, q50, q90] = quantiles(rel, [0.1, 0.5, 0.9]);
      const cover = est.filter((e, k) => Math.abs(e - exact) <= 1.96 * se[k]).length / R;
      const f = (v) => v.toPrecision(3);
      console.log(`| ${q.label} | ${exact.toPrecision(4)} | ${s.toPrecision(3)} [${f(ci[0])}, ${f(ci[1])}] | ${name} | ${f(ratio)} [${f(lo)}, ${f(hi)}] | ${f(q50)} [${f(q10)}, ${f(q90)}] | ${(100 * cover).toFixed(1)}% |`);
      out.push({ quantity: q.label, order: q.n, key: q.key, exact, sd: s, sdCI: ci, estimator: name, rmsRatio: ratio, rmsRatioCI: [lo, hi], medianRatio: q50, ratio10: q10, ratio90: q90, coverage: cover });
    }
  });
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ arch, act, width, sigmaB, M, repeats: R, groups, orders, inputs, rows: out }, null, 1));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

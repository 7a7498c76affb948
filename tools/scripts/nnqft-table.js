#!/usr/bin/env node
/**
 * Tables and plots of the NN-QFT M = 10⁶ grid (tools/scripts/nnqft-grid.js) for docs/experiments/nn-qft.md.
 *
 *   node tools/scripts/nnqft-table.js [DIR=docs/experiments/data/nn-qft-1e6] [--doc docs/experiments/nn-qft.md]
 *        [--images docs/images] [--no-plots]
 *
 * Reads DIR/<family>-N<width>.json (Monte Carlo, --groups 10) and DIR/<family>-exact.json (--method exact), and
 * replaces the text between `<!-- nnqft-1e6:begin -->` and `<!-- nnqft-1e6:end -->` in the doc with one table per
 * family; writes IMAGES/nn-qft-1e6-<family>.svg (needs a built @nnsym/viz). Widths without a finished file are
 * listed as missing.
 *
 * The paper's quantities (2008.08601, the authors' free_theory.py) per order n and width:
 *   m_n        = mean over tuples t of |Ḡ_t − G_GP,t| / G_GP,t, Ḡ the mean over all M networks (= nnsym's
 *                summary.meanAbsDeviation; the authors average the 10 chunk means, the same number for equal chunks)
 *   background = mean over t of sd_g(Ḡ_{g,t}) / G_GP,t, sd the population SD (numpy's default, ddof = 0) of the 10
 *                sub-ensemble means Ḡ_{g,t} (M/10 networks each). Here the 10 sub-ensembles are the accumulator's
 *                10 interleaved groups (network index mod 10), read from the partial state of the --out file.
 * and what the 1/N fits should use: the signed mean deviation D_n = mean_t (Ḡ_t − G_GP,t)/G_GP,t and the mean
 * connected 6-pt G6_c/G6_GP, with their exact per-network standard errors, against the exact-in-N values.
 */
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '../..');
const argv = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && ['--doc', '--images'].includes(argv[i - 1])));
const dir = path.resolve(positional[0] ?? path.join(root, 'docs/experiments/data/nn-qft-1e6'));
const docPath = path.resolve(flag('--doc', path.join(root, 'docs/experiments/nn-qft.md')));
const imgDir = path.resolve(flag('--images', path.join(root, 'docs/images')));
const plots = !argv.includes('--no-plots');

const FAMILIES = [
  ['relu', 'relu-net (σ_b = 0, x = 0.2 … 1.2)'],
  ['erf', 'erf-net (σ_b = 1, x = −1 … 1)'],
  ['gauss', 'Gauss-net (σ_b = 1, x = −0.01 … 0.01)'],
];
const WIDTHS = [2, 3, 4, 5, 10, 20, 50, 100, 500, 1000];
const ORDERS = [2, 4, 6];

const read = (f) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  } catch {
    return undefined;
  }
};

function decode(s, length) {
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== length * 8) throw new Error(`partial state has ${buf.byteLength / 8} values, expected ${length}`);
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** The 10-chunk statistics of one Monte-Carlo result, per order. */
function chunkStats(res) {
  const st = res.partial.state;
  const B = st.groups;
  const S = st.statCount;
  const mean = decode(st.mean, B * S);
  const out = {};
  let offset = 0; // stats vector: orders 2, 4, 6 concatenated in their tuple order (correlators' layout)
  for (const n of ORDERS) {
    const o = res.orders[n];
    const T = o.tuples.length;
    const total = st.n.reduce((a, b) => a + b, 0);
    let bg = 0;
    let maxRel = 0;
    for (let t = 0; t < T; t++) {
      let m = 0;
      for (let g = 0; g < B; g++) m += st.n[g] * mean[g * S + offset + t];
      m /= total;
      // the groups' weighted mean is the full-ensemble estimate: checks the offsets and the decoding
      maxRel = Math.max(maxRel, Math.abs(m - o.estimate[t]) / Math.abs(o.estimate[t]));
      let u = 0;
      for (let g = 0; g < B; g++) u += mean[g * S + offset + t];
      u /= B;
      let v = 0;
      for (let g = 0; g < B; g++) v += (mean[g * S + offset + t] - u) ** 2;
      bg += Math.sqrt(v / B) / Math.abs(o.gp[t]);
    }
    if (maxRel > 1e-9) throw new Error(`${res.arch} N=${res.width} order ${n}: group means do not combine to the estimate (rel ${maxRel})`);
    out[n] = { background: bg / T, groups: B, groupSize: st.n };
    offset += T;
  }
  if (offset !== S) throw new Error(`stats vector has ${S} entries, orders 2,4,6 account for ${offset}`);
  return out;
}

const sig = (x, d = 3) => {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? Number(x.toPrecision(d)).toString() : x.toExponential(d - 1).replace('e+', 'e');
};
const pm = (x, e) => `${sig(x)} ± ${sig(e, 2)}`;
const z = (x, e, ref) => (e > 0 ? ((x - ref) / e).toFixed(1) : '–');

const timings = new Map();
try {
  for (const line of fs.readFileSync(path.join(dir, 'timings.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    timings.set(r.label, r);
  }
} catch {
  /* no timings yet */
}

const data = {};
const lines = [];
for (const [fam, label] of FAMILIES) {
  const ex = read(`${fam}-exact.json`);
  const exAt = (w) => ex?.results.find((r) => r.width === w)?.orders;
  const rows = [];
  const missing = [];
  for (const w of WIDTHS) {
    const mc = read(`${fam}-N${w}.json`);
    if (!mc || mc.complete !== true) {
      missing.push(w);
      continue;
    }
    rows.push({ w, mc, cs: chunkStats(mc), ex: exAt(w), t: [...timings.values()].find((r) => r.label.startsWith(`${fam} N=${w} `)) });
  }
  data[fam] = { rows, ex, exAt };
  const M = rows[0]?.mc.networks;
  lines.push(`**${label}** — ${rows.length ? `M = ${M.toLocaleString('en')} networks per width, 10 sub-ensembles of ${(M / 10).toLocaleString('en')}` : 'no Monte-Carlo width finished yet'}${missing.length ? `; not yet run: N = ${missing.join(', ')}` : ''}`);
  lines.push('');
  if (!rows.length) continue;
  lines.push('The paper\'s quantities (m_n = mean |Ḡ − G_GP|/G_GP over tuples, jackknife-10 error; bg = the 10-chunk background; 3·se = its expectation from all 10⁶ networks, 3·mean(se/G_GP); "exact" = m_n of the exact-in-N correlators):');
  lines.push('');
  lines.push('| N | m2 | bg2 | m4 | exact m4 | bg4 | 3·se4 | m6 | exact m6 | bg6 | 3·se6 | wall s (load) |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const o = r.mc.orders;
    const s = (n) => o[n].summary;
    lines.push(
      `| ${r.w} | ${pm(s(2).meanAbsDeviation, s(2).meanAbsDeviationStderr)} | ${sig(r.cs[2].background)} | ${pm(s(4).meanAbsDeviation, s(4).meanAbsDeviationStderr)} | ${sig(r.ex?.[4].summary.meanAbsDeviation)} | ${sig(r.cs[4].background)} | ${sig(3 * s(4).background)} | ${pm(s(6).meanAbsDeviation, s(6).meanAbsDeviationStderr)} | ${sig(r.ex?.[6].summary.meanAbsDeviation)} | ${sig(r.cs[6].background)} | ${sig(3 * s(6).background)} | ${r.t ? `${Math.round(r.t.seconds)} (${r.t.load1Before.toFixed(1)})` : '–'} |`,
    );
  }
  lines.push('');
  lines.push('Signed means over tuples with exact per-network errors, against exact in N (z = (MC − exact)/se):');
  lines.push('');
  lines.push('| N | D4 = mean (G4−GP)/GP | exact | z | D6 = mean (G6−GP)/GP | exact | z | mean G6_c/G6_GP | exact | z |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const s4 = r.mc.orders[4].summary;
    const s6 = r.mc.orders[6].summary;
    const e4 = r.ex?.[4].summary;
    const e6 = r.ex?.[6].summary;
    lines.push(
      `| ${r.w} | ${pm(s4.meanDeviation, s4.meanDeviationStderr)} | ${sig(e4?.meanDeviation)} | ${z(s4.meanDeviation, s4.meanDeviationStderr, e4?.meanDeviation)} | ${pm(s6.meanDeviation, s6.meanDeviationStderr)} | ${sig(e6?.meanDeviation)} | ${z(s6.meanDeviation, s6.meanDeviationStderr, e6?.meanDeviation)} | ${pm(s6.meanConnectedDeviation, s6.meanConnectedDeviationStderr)} | ${sig(e6?.meanConnectedDeviation)} | ${z(s6.meanConnectedDeviation, s6.meanConnectedDeviationStderr, e6?.meanConnectedDeviation)} |`,
    );
  }
  lines.push('');
  if (plots) lines.push(`![${label}: m4, m6 and the 10-chunk background vs N, M = 10⁶, with the exact-in-N m_n and a 1/N line](../images/nn-qft-1e6-${fam}.svg)`, '');
}

const BEGIN = '<!-- nnqft-1e6:begin -->';
const END = '<!-- nnqft-1e6:end -->';
const doc = fs.readFileSync(docPath, 'utf8');
const i = doc.indexOf(BEGIN);
const j = doc.indexOf(END);
if (i < 0 || j < i) throw new Error(`${docPath}: markers ${BEGIN} … ${END} not found`);
fs.writeFileSync(docPath, `${doc.slice(0, i + BEGIN.length)}\n<!-- generated by tools/scripts/nnqft-table.js from ${path.relative(root, dir)}; do not edit by hand -->\n\n${lines.join('\n')}\n${doc.slice(j)}`);
console.log(`wrote the tables into ${path.relative(root, docPath)}`);

if (plots) {
  const v = require(path.join(root, 'packages/viz/dist/index.js'));
  (async () => {
    for (const [fam, label] of FAMILIES) {
      const { rows, ex } = data[fam];
      if (!rows.length) continue;
      const pts = [];
      for (const n of [4, 6]) {
        for (const r of rows) {
          const s = r.mc.orders[n].summary;
          const lo = s.meanAbsDeviation - s.meanAbsDeviationStderr;
          pts.push({ x: r.w, y: s.meanAbsDeviation, lo: lo > 0 ? lo : s.meanAbsDeviation / 3, hi: s.meanAbsDeviation + s.meanAbsDeviationStderr, series: `m${n} Monte Carlo` });
        }
        for (const r of rows) pts.push({ x: r.w, y: r.cs[n].background, series: `background ${n}-pt (10 chunks)` });
        if (ex) for (const e of ex.results) pts.push({ x: e.width, y: e.orders[n].summary.meanAbsDeviation, series: `m${n} exact in N` });
      }
      // 1/N reference, a third of the exact m4 at the largest width (so it does not sit on the exact curve)
      const e1000 = ex?.results.at(-1);
      if (e1000) for (const w of [2, 1000]) pts.push({ x: w, y: (e1000.orders[4].summary.meanAbsDeviation * e1000.width) / 3 / w, series: 'slope −1 (1/N)' });
      const SERIES = ['m4 Monte Carlo', 'm4 exact in N', 'background 4-pt (10 chunks)', 'm6 Monte Carlo', 'm6 exact in N', 'background 6-pt (10 chunks)', 'slope −1 (1/N)'];
      pts.sort((a, b) => SERIES.indexOf(a.series) - SERIES.indexOf(b.series));
      const spec = v.lineWithBand(pts, {
        title: `${label}: m_n vs N, M = ${rows[0].mc.networks.toLocaleString('en')} per width`,
        xTitle: 'width N',
        yTitle: 'm_n = mean |G − G_GP| / G_GP',
        xScale: 'log',
        yScale: 'log',
        dashed: ['m4 exact in N', 'm6 exact in N', 'slope −1 (1/N)', 'background 4-pt (10 chunks)', 'background 6-pt (10 chunks)'],
        width: 440,
        height: 300,
      });
      for (const layer of spec.layer) layer.encoding.color.scale = { domain: SERIES, range: ['#4c78a8', '#1d3557', '#9ecae9', '#f58518', '#9c4a00', '#ffbf79', '#888888'] };
      const svg = await v.renderSvg(spec);
      const out = path.join(imgDir, `nn-qft-1e6-${fam}.svg`);
      fs.writeFileSync(out, svg);
      console.log(`wrote ${path.relative(root, out)} (${Math.round(svg.length / 1024)} kB)`);
    }
  })().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}

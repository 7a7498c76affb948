// Render the NN-QFT reproduction plots of docs/experiments/nn-qft.md: per family, the mean relative deviation from the
// GP of G4 and G6, (G − G_GP)/G_GP averaged over the input tuples, against 1/N (log-log): Monte Carlo points with ±1
// standard-error bands (from nnqft-<family>-mc.json) and the exact-in-N curve (from nnqft-<family>-exact.json; the exact
// mean deviation is a polynomial in 1/N, a + c1/N (+ c2/N² for G6) with a = 0, drawn from its fitted coefficients, which
// reproduce the exact values at the ten widths to ~1e-13).
// usage (from the repository root, after building @nnsym/viz):
//   node docs/experiments/data/nnqft-plot.js docs/experiments/data docs/images
const fs = require('fs');
const path = require('path');
const v = require('@nnsym/viz');

const [, , dataDir = 'docs/experiments/data', outDir = 'docs/images'] = process.argv;
const FAMILIES = [
  ['relu', 'relu-net (σ_b = 0, x = 0.2 … 1.2)'],
  ['erf', 'erf-net (x = −1 … 1)'],
  ['gauss', 'Gauss-net (x = −0.01 … 0.01)'],
];
const read = (f) => JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8'));

/** Σ_k c_k x^p_k of a fit record of `sweep.fits`. */
const evalFit = (fit, x) => fit.coefficients.reduce((s, c, k) => s + c * x ** fit.powers[k], 0);

(async () => {
  for (const [fam, label] of FAMILIES) {
    const mc = read(`nnqft-${fam}-mc.json`);
    const ex = read(`nnqft-${fam}-exact.json`);
    const M = mc.results[0].networks;
    const widths = mc.sweep.rows.map((r) => r.width);
    const xMin = 1 / Math.max(...widths);
    const xMax = 1 / Math.min(...widths);
    const pts = [];
    let yMin = Infinity;
    const dropped = [];
    for (const n of [4, 6]) {
      const fit = ex.sweep.fits.find((f) => f.order === n && f.quantity === 'deviation').fit;
      // sanity: the exact curve passes through the exact values at every width
      for (const r of ex.sweep.rows) {
        const y = r.orders[n].meanDeviation;
        if (Math.abs(evalFit(fit, 1 / r.width) - y) > 1e-9 * Math.abs(y)) throw new Error(`${fam} G${n}: the exact fit misses N = ${r.width}`);
      }
      for (let i = 0; i <= 60; i++) {
        const x = xMin * (xMax / xMin) ** (i / 60);
        const y = evalFit(fit, x);
        yMin = Math.min(yMin, y);
        pts.push({ x, y, series: `G${n} exact` });
      }
    }
    for (const n of [4, 6]) {
      for (const r of mc.sweep.rows) {
        const o = r.orders[n];
        if (!(o.meanDeviation > 0)) {
          dropped.push(`G${n} at N = ${r.width}: ${o.meanDeviation.toPrecision(2)} ± ${o.meanDeviationStderr.toPrecision(1)}`);
          continue;
        }
        // On a log axis a band reaching ≤ 0 is cut at the bottom of the plot (a third of the smallest exact value).
        const floor = yMin / 3;
        pts.push({ x: 1 / r.width, y: o.meanDeviation, lo: Math.max(floor, o.meanDeviation - o.meanDeviationStderr), hi: o.meanDeviation + o.meanDeviationStderr, series: `G${n} Monte Carlo` });
      }
    }
    // Series order G4 Monte Carlo, G4 exact, G6 Monte Carlo, G6 exact; each order in one hue (exact darker, dashed).
    const SERIES = ['G4 Monte Carlo', 'G4 exact', 'G6 Monte Carlo', 'G6 exact'];
    pts.sort((a, b) => SERIES.indexOf(a.series) - SERIES.indexOf(b.series));
    const spec = v.lineWithBand(pts, {
      title: `${label}: mean (G − G_GP)/G_GP vs 1/N, M = ${M.toLocaleString('en')} per width`,
      xTitle: '1/N (N = 1000 … 2)',
      yTitle: 'mean relative deviation from the GP',
      xScale: 'log',
      yScale: 'log',
      dashed: ['G4 exact', 'G6 exact'],
      width: 420,
      height: 280,
    });
    for (const layer of spec.layer) layer.encoding.color.scale = { domain: SERIES, range: ['#4c78a8', '#1d3557', '#f58518', '#9c4a00'] };
    const svg = await v.renderSvg(spec);
    const out = path.join(outDir, `nn-qft-${fam}.svg`);
    fs.writeFileSync(out, svg);
    console.log(`wrote ${out} (${Math.round(svg.length / 1024)} kB)${dropped.length ? `; Monte-Carlo points ≤ 0 not drawn on the log axis: ${dropped.join('; ')}` : ''}`);
  }
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});

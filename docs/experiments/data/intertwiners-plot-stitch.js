// Stitching penalties of `nnsym stitch --models ... --json` as a bar chart (mean +- std over pairs) and a markdown table.
// usage (from the repository, after building @nnsym/viz): node docs/experiments/data/intertwiners-plot-stitch.js stitch.json outdir
const fs = require('fs');
const path = require('path');
const v = require('@nnsym/viz');
const [, , input, outdir] = process.argv;
const d = JSON.parse(fs.readFileSync(input, 'utf8'));
const rows = d.summary.map((s) => ({ layer: `layer ${s.layer}`, kind: s.kind, mean: s.penaltyMean, lo: s.penaltyMean - s.penaltyStd, hi: s.penaltyMean + s.penaltyStd }));
const base = v.heatmap([[0]]);
const spec = {
  $schema: base.$schema,
  config: base.config,
  title: `stitching penalty acc(B) - acc(stitched), ${d.summary[0].pairs} seed pairs (mean +- std)`,
  data: { values: rows },
  facet: { column: { field: 'layer', type: 'nominal', title: null } },
  spec: {
    width: 260,
    height: 220,
    layer: [
      { mark: 'bar', encoding: { x: { field: 'kind', type: 'nominal', sort: ['identity', 'grelu-random', 'low-rank', 'grelu', 'full'], title: null }, y: { field: 'mean', type: 'quantitative', title: 'penalty (fraction of the test set)' }, color: { field: 'kind', type: 'nominal', legend: null } } },
      { mark: 'rule', encoding: { x: { field: 'kind', type: 'nominal', sort: ['identity', 'grelu-random', 'low-rank', 'grelu', 'full'] }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
    ],
  },
};
(async () => {
  fs.writeFileSync(path.join(outdir, 'intertwiners-stitching.svg'), await v.renderSvg(spec));
  console.log('| layer | stitch | trainable params | acc(B) | acc(stitched), init | acc(stitched), trained | penalty, accuracy points (mean ± std) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const s of d.summary) {
    const rs = d.results.filter((r) => r.layer === s.layer && r.kind === s.kind);
    const init = rs.reduce((a, r) => a + r.accuracyInit, 0) / rs.length;
    console.log(`| ${s.layer} | ${s.kind}${s.kind === 'low-rank' ? ` (r = ${d.rank})` : ''} | ${rs[0].trainableParameters} | ${(100 * s.accuracyBMean).toFixed(2)}% | ${(100 * init).toFixed(2)}% | ${(100 * s.accuracyStitchedMean).toFixed(2)}% | ${(100 * s.penaltyMean).toFixed(2)} ± ${(100 * s.penaltyStd).toFixed(2)} |`);
  }
})().catch((e) => { console.error(e.message); process.exit(1); });

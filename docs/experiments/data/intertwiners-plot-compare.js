// Render the per-seed similarity matrices of `nnsym compare --models ... --json` as SVG heatmaps (one per layer).
// usage (from the repository, after building @nnsym/viz): node docs/experiments/data/intertwiners-plot-compare.js compare.json outdir
const fs = require('fs');
const path = require('path');
const v = require('@nnsym/viz');
const [, , input, outdir] = process.argv;
const d = JSON.parse(fs.readFileSync(input, 'utf8'));
const metrics = ['cka', 'procrustes', 'grelu-cka', 'grelu-procrustes'];
const labels = d.models.map((m, i) => `seed ${i}`);
(async () => {
  const layers = [...new Set(d.summary.map((s) => s.layer))];
  for (const l of layers) {
    const charts = metrics.map((m) => {
      const s = d.summary.find((e) => e.layer === l && e.metric === m);
      const spec = v.heatmap(s.matrix, { title: `${m} (layer ${l})`, rowLabels: labels, colLabels: labels, valueTitle: m.includes('procrustes') ? 'distance' : 'similarity' });
      const { $schema, config, ...rest } = spec;
      return rest;
    });
    const first = v.heatmap([[0]]);
    const spec = { $schema: first.$schema, config: first.config, hconcat: charts, resolve: { scale: { color: 'independent' } } };
    const svg = await v.renderSvg(spec);
    fs.writeFileSync(path.join(outdir, `intertwiners-similarity-layer${l}.svg`), svg);
    console.log('wrote layer', l, svg.length);
  }
})().catch((e) => { console.error(e.message); process.exit(1); });

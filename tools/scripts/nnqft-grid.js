#!/usr/bin/env node
/**
 * The NN-QFT free-theory grid of docs/experiments/nn-qft.md ("M = 10⁶ per width", issue 20 item 3): for every
 * (family, width) one `nnsym correlators` Monte-Carlo run with the paper's inputs and hyper-parameters (arXiv
 * 2008.08601, authors' generate_models.py), M networks, orders 2,4,6, --groups 10 (the 10 interleaved groups of the
 * accumulator are the paper's 10 sub-ensembles, whose spread is its "background"), written with --out to
 * DIR/<family>-N<width>.json; plus one `--method exact` sweep per family, DIR/<family>-exact.json.
 *
 * Resumable across sessions: a finished file (complete: true) is skipped; an unfinished run continues from its
 * checkpoint DIR/.ck/<family>-N<width>.json (--checkpoint --resume; Ctrl-C stops at the next chunk boundary, the
 * checkpoint keeps what was done). Each finished run appends {family, width, seconds, load before/after} to
 * DIR/timings.jsonl.
 *
 *   nice -n 10 node tools/scripts/nnqft-grid.js [--dir docs/experiments/data/nn-qft-1e6] [--ensemble 1000000]
 *        [--families relu,erf,gauss] [--widths 2,3,4,5,10,20,50,100,500,1000] [--threads 1] [--dry-run]
 *
 * Seeds: "nnqft-1e6:<family>:w<N>", so every (family, width) is an independent ensemble and a rerun is bit-identical.
 */
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'packages/cli/bin/nnsym.js');

// Inputs and σ's of the authors' generate_models.py (d_in = 1, σ_w = 1, σ_b = 1; relu-net σ_b = 0 per their README,
// see the doc for why).
const FAMILIES = {
  relu: { arch: 'relu-net', inputs: '[0.2,0.4,0.6,0.8,1.0,1.2]', extra: ['--sigma-b', '0'] },
  erf: { arch: 'erf-net', inputs: '[-1,-0.6,-0.2,0.2,0.6,1]', extra: [] },
  gauss: { arch: 'gauss-net', inputs: '[-0.01,-0.006,-0.002,0.002,0.006,0.01]', extra: [] },
};
const PAPER_WIDTHS = '2,3,4,5,10,20,50,100,500,1000';

const argv = process.argv.slice(2);
const KNOWN = new Set(['--dir', '--ensemble', '--families', '--widths', '--threads', '--dry-run']);
for (const a of argv) if (a.startsWith('--') && !KNOWN.has(a)) fail(`unknown option ${a}`);
function flag(name, dflt) {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  if (i + 1 >= argv.length) fail(`${name} needs a value`);
  return argv[i + 1];
}
function fail(msg) {
  process.stderr.write(`nnqft-grid: ${msg}\n`);
  process.exit(2);
}
const dir = path.resolve(flag('--dir', path.join(root, 'docs/experiments/data/nn-qft-1e6')));
const ensemble = Number(flag('--ensemble', '1000000'));
if (!Number.isInteger(ensemble) || ensemble < 10) fail('--ensemble must be an integer >= 10');
const families = flag('--families', 'relu,erf,gauss').split(',');
for (const f of families) if (!FAMILIES[f]) fail(`--families: unknown family ${f} (known: ${Object.keys(FAMILIES).join(', ')})`);
const widths = flag('--widths', PAPER_WIDTHS).split(',').map(Number);
if (widths.some((w) => !Number.isInteger(w) || w < 1)) fail('--widths must be positive integers');
const threads = flag('--threads', '1');
const dry = argv.includes('--dry-run');

fs.mkdirSync(path.join(dir, '.ck'), { recursive: true });

/** A finished Monte-Carlo file has complete: true; a finished exact sweep has its sweep rows. */
function finished(file) {
  try {
    const d = JSON.parse(fs.readFileSync(file, 'utf8'));
    return d.complete === true || (d.method === 'exact' && Array.isArray(d.sweep?.rows));
  } catch {
    return false;
  }
}

let stop = false;
// The child gets the terminal's SIGINT itself and writes its checkpoint; here we only stop starting new runs.
process.on('SIGINT', () => (stop = true));
process.on('SIGTERM', () => (stop = true));

function run(args, label) {
  process.stderr.write(`nnqft-grid: ${label}: nnsym ${args.join(' ')}\n`);
  if (dry) return 0;
  const load0 = os.loadavg()[0];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const code = r.status ?? 130;
  if (code === 0) {
    const rec = { label, seconds: +seconds.toFixed(1), load1Before: +load0.toFixed(2), load1After: +os.loadavg()[0].toFixed(2), threads: Number(threads), time: new Date().toISOString() };
    fs.appendFileSync(path.join(dir, 'timings.jsonl'), JSON.stringify(rec) + '\n');
    process.stderr.write(`nnqft-grid: ${label}: ${seconds.toFixed(1)} s (load ${load0.toFixed(2)} -> ${os.loadavg()[0].toFixed(2)})\n`);
  }
  return code;
}

for (const fam of families) {
  const F = FAMILIES[fam];
  const common = ['--arch', F.arch, ...F.extra, '--inputs', F.inputs, '--orders', '2,4,6', '-q'];
  const exactOut = path.join(dir, `${fam}-exact.json`);
  if (!finished(exactOut)) {
    const code = run(['correlators', ...common, '--method', 'exact', '--widths', widths.join(','), '--out', exactOut], `${fam} exact`);
    if (code !== 0) process.exit(code);
  }
  for (const w of widths) {
    if (stop) process.exit(130);
    const out = path.join(dir, `${fam}-N${w}.json`);
    if (finished(out)) continue;
    const ck = path.join(dir, '.ck', `${fam}-N${w}.json`);
    const args = ['--seed', `nnqft-1e6:${fam}:w${w}`, 'correlators', ...common, '--width', String(w), '--ensemble', String(ensemble), '--groups', '10', '--threads', threads, '--checkpoint', ck, '--resume', '--out', out];
    const code = run(args, `${fam} N=${w} M=${ensemble}`);
    if (code !== 0) {
      process.stderr.write(`nnqft-grid: ${fam} N=${w} stopped (exit ${code}); rerun the same command to resume from ${path.relative(root, ck)}\n`);
      process.exit(code);
    }
    fs.rmSync(ck, { force: true });
  }
}
process.stderr.write(`nnqft-grid: done; results in ${path.relative(root, dir)}\n`);

#!/usr/bin/env node
/**
 * nnsym benchmark suite: times nnsym (the real library on its default backend) against PyTorch CPU doing the same
 * work on this machine, in the same run, A/B interleaved, and reports medians, min-max and the ratio
 * (nnsym throughput / PyTorch throughput; > 1 means nnsym is faster).
 *
 *   npm run bench                      # every workload
 *   npm run bench -- --only matmul     # some workloads
 *   npm run bench -- --repeats 7 --quick
 *   npm run bench -- --paths wasm,blas:1,blas:2   # nnsym paths timed side by side (default wasm,blas)
 *
 * Results: benchmarks/results/<timestamp>.json and benchmarks/results/latest.md (table + machine description).
 * Workloads: tools/bench/workloads/<id>.js (JS side) and tools/bench/py/workloads/<id>.py (PyTorch side).
 * PyTorch: Debian's python3-torch with libopenblas0-pthread, /usr/bin/python3, one persistent process per thread
 * count in --torch-threads (default 2,1; env NNSYM_BENCH_TORCH_THREADS); the ratio is against the fastest.
 * nnsym paths (--paths, env NNSYM_BENCH_PATHS; default wasm,blas:1,blas:<cores>): `wasm` is the plain tfjs-wasm kernels
 * (initBackend({ blas: 'off' })), `blas` the BLAS kernels at the library's default thread policy (NNSYM_BLAS_THREADS
 * or the cores), `blas:N` at N BLAS threads. They run in the same process, switched before each timed call, and are
 * interleaved with the PyTorch processes. The ratio uses the fastest BLAS path (the wasm path when BLAS is absent).
 * Workload module: { id, description, unit, params, quickParams?, setup?(params) (may add derived params, e.g. the
 * library's chunk size, passed to both sides), js(params) -> { units, seconds }, flopsPerUnit?(params), note? }.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn, execSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const only = flag('--only') ? flag('--only').split(',') : undefined;
const repeats = Number(flag('--repeats', '5'));
const quick = args.includes('--quick');
const python = process.env.NNSYM_BENCH_PYTHON || '/usr/bin/python3';
// PyTorch thread counts timed side by side; the ratio is against the fastest. On a loaded machine 2 OpenMP threads
// can collapse (barrier spin-waits while one thread is descheduled: 40x slower training measured at load 11 on 2
// cores), and comparing against that would flatter nnsym.
const torchThreads = flag('--torch-threads', process.env.NNSYM_BENCH_TORCH_THREADS || '2,1').split(',').map(Number);
// Default: the wasm path and the BLAS path at 1 and at all cores' threads (like PyTorch's 1t / 2t: on a loaded machine
// a multi-threaded BLAS can collapse on spin-waits, and the best of both is what a user would pick).
const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const pathIds = flag('--paths', process.env.NNSYM_BENCH_PATHS || (cores > 1 ? `wasm,blas:1,blas:${cores}` : 'wasm,blas')).split(',').map((x) => x.trim()).filter(Boolean);

function parsePath(id) {
  if (id === 'wasm') return { id, blas: 'off' };
  const m = /^blas(?::(\d+))?$/.exec(id);
  if (!m) throw new Error(`--paths: unknown path "${id}" (wasm, blas, blas:N)`);
  return { id, blas: 'auto', threads: m[1] ? Number(m[1]) : undefined };
}

/** Switch the nnsym side to path `p` (same process: the BLAS kernels are switched per call). */
async function usePath(core, p) {
  const info = await core.initBackend({ blas: p.blas });
  if (info.blas.enabled) core.setBlasThreads(p.threads ?? core.blasThreadsFor(1));
  return info;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function machine() {
  const cpu = os.cpus();
  let flags = '';
  try {
    flags = execSync("grep -m1 -o -w -E 'avx2|avx512f|fma' /proc/cpuinfo | sort -u | tr '\\n' ' '", { encoding: 'utf8' }).trim();
  } catch {
    /* not linux */
  }
  return { cpu: cpu[0]?.model, cores: cpu.length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, cpuFlags: flags };
}

class Py {
  constructor(threads) {
    this.threads = threads;
    this.proc = spawn(python, [path.join(__dirname, 'py', 'harness.py')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NNSYM_BENCH_TORCH_THREADS: String(threads) } });
    this.lines = readline.createInterface({ input: this.proc.stdout });
    this.queue = [];
    this.lines.on('line', (l) => this.queue.shift()?.(JSON.parse(l)));
    this.ready = new Promise((res) => this.queue.push(res));
  }
  call(workload, params) {
    return new Promise((res) => {
      this.queue.push(res);
      this.proc.stdin.write(JSON.stringify({ workload, params }) + '\n');
    });
  }
  close() {
    this.proc.stdin.end();
  }
}

async function main() {
  const core = require('@nnsym/core');
  let paths = pathIds.map(parsePath);
  const probe = await core.initBackend({ blas: 'auto' });
  const blasInfo = probe.blas.enabled ? core.currentBlas() : undefined;
  if (!probe.blas.enabled && paths.some((p) => p.blas !== 'off')) {
    process.stderr.write(`bench: no BLAS path (${probe.blas.reason}); timing the wasm path only\n`);
    paths = paths.filter((p) => p.blas === 'off');
    if (paths.length === 0) paths = [parsePath('wasm')];
  }
  const pathLabel = (p) => (p.blas === 'off' ? 'wasm' : `wasm+blas ${p.threads ?? core.blasThreadsFor(1)}t`);
  const backend = await core.initBackend({ blas: 'off' });
  const dir = path.join(__dirname, 'workloads');
  const workloads = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => require(path.join(dir, f)))
    .filter((w) => !only || only.includes(w.id));
  if (workloads.length === 0) throw new Error(`no workloads match --only ${only}`);
  const pys = torchThreads.map((t) => new Py(t));
  const pyInfos = await Promise.all(pys.map((p) => p.ready));
  // Like with like: each PyTorch process must run its BLAS at the thread count it is labelled with (torch's
  // set_num_threads alone leaves the pthreads OpenBLAS at all cores; the harness binds it and reports what it got).
  pyInfos.forEach((inf, i) => {
    if (inf.blasThreads != null && inf.blasThreads !== pys[i].threads) throw new Error(`PyTorch process for ${pys[i].threads} threads runs its BLAS (${inf.blas}) at ${inf.blasThreads} threads`);
  });
  const pyInfo = { ...pyInfos[0], threads: pyInfos.map((i) => i.threads).join(','), blasThreads: pyInfos.map((i) => i.blasThreads ?? '?').join(',') };
  const m = machine();
  const load0 = os.loadavg();
  process.stderr.write(`bench: nnsym on ${core.describeBackend(backend)}${blasInfo ? ` and ${core.describeBackend(probe)}` : ''} (paths ${paths.map(pathLabel).join(', ')}) vs torch ${pyInfo.torch} (${pyInfo.blas}; torch threads ${pyInfo.threads}, its BLAS threads ${pyInfo.blasThreads}); ${m.cpu}, ${m.cores} cores\n`);
  const rows = [];
  for (const w of workloads) {
    const params = { ...w.params, ...(quick ? w.quickParams : {}) };
    process.stderr.write(`bench: ${w.id} ${JSON.stringify(params)} ...\n`);
    if (w.setup) await w.setup(params);
    // warm-up every side once (compilation, caches), untimed
    for (const p of paths) {
      await usePath(core, p);
      await w.js(params);
    }
    const warms = [];
    for (const py of pys) warms.push(await py.call(w.id, params));
    const bad = warms.find((x) => x.error);
    if (bad) {
      rows.push({ id: w.id, description: w.description, error: `pytorch: ${bad.error}` });
      continue;
    }
    const jsRatesBy = paths.map(() => []);
    const pyRatesBy = pys.map(() => []);
    const tensorsBefore = core.tf.memory().numTensors;
    const sides = [...paths.map((_, i) => ({ js: i })), ...pys.map((_, i) => ({ py: i }))];
    for (let r = 0; r < repeats; r++) {
      // A/B interleaved; rotate which side goes first
      const order = sides.map((_, k) => sides[(k + r) % sides.length]);
      for (const side of order) {
        if (side.js !== undefined) await usePath(core, paths[side.js]);
        const res = side.js !== undefined ? await w.js(params) : await pys[side.py].call(w.id, params);
        if (res.error) throw new Error(`${w.id} ${JSON.stringify(side)}: ${res.error}`);
        (side.js !== undefined ? jsRatesBy[side.js] : pyRatesBy[side.py]).push(res.units / res.seconds);
      }
    }
    const leak = core.tf.memory().numTensors - tensorsBefore;
    const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs });
    const byThreads = Object.fromEntries(pys.map((p, i) => [p.threads, stats(pyRatesBy[i])]));
    const best = pys.reduce((b, p, i) => (median(pyRatesBy[i]) > median(pyRatesBy[b]) ? i : b), 0);
    const pyRates = pyRatesBy[best];
    const byPath = Object.fromEntries(paths.map((p, i) => [p.id, { ...stats(jsRatesBy[i]), label: pathLabel(p) }]));
    // the headline nnsym figure: the fastest BLAS path, else the wasm path
    const blasIdx = paths.map((p, i) => i).filter((i) => paths[i].blas !== 'off');
    const pick = (blasIdx.length ? blasIdx : paths.map((_, i) => i)).reduce((b, i) => (median(jsRatesBy[i]) > median(jsRatesBy[b]) ? i : b));
    const jsRates = jsRatesBy[pick];
    const row = {
      id: w.id,
      description: w.description,
      unit: `${w.unit}/s`,
      params,
      nnsym: { ...stats(jsRates), path: paths[pick].id, label: pathLabel(paths[pick]) },
      nnsymByPath: byPath,
      pytorch: { ...stats(pyRates), threads: pys[best].threads },
      pytorchByThreads: byThreads,
      ratio: median(jsRates) / median(pyRates),
      ratioByPath: Object.fromEntries(paths.map((p, i) => [p.id, median(jsRatesBy[i]) / median(pyRates)])),
      tensorLeak: leak,
      note: w.note,
    };
    const f = w.flopsPerUnit ? w.flopsPerUnit(params) : w.unit === 'flop' ? 1 : undefined;
    if (f) {
      if (w.flopsPerUnit) row.flopsPerUnit = f;
      row.gflops = { nnsym: (row.nnsym.median * f) / 1e9, pytorch: (row.pytorch.median * f) / 1e9, byPath: Object.fromEntries(paths.map((p, i) => [p.id, (median(jsRatesBy[i]) * f) / 1e9])), pytorchByThreads: Object.fromEntries(pys.map((p, i) => [p.threads, (median(pyRatesBy[i]) * f) / 1e9])) };
    }
    rows.push(row);
    process.stderr.write(`bench: ${w.id}: ${paths.map((p) => `${pathLabel(p)} ${fmt(byPath[p.id].median)}`).join(', ')} vs pytorch ${pys.map((p) => `${p.threads}t ${fmt(byThreads[p.threads].median)}`).join(', ')} ${row.unit}: ratio ${paths.map((p) => `${p.id} ${row.ratioByPath[p.id].toFixed(2)}`).join(', ')} (load ${os.loadavg()[0].toFixed(2)})\n`);
  }
  pys.forEach((p) => p.close());
  const peak = rows.find((r) => r.id === 'matmul' && r.gflops)?.gflops;
  const result = { nnsym: { command: 'bench', version: core.NNSYM_VERSION, backend: backend.name, blas: blasInfo ?? probe.blas, paths: paths.map((p) => ({ ...p, label: pathLabel(p) })), precision: 'float32 compute' }, time: new Date().toISOString(), machine: { ...m, loadavgStart: load0, loadavgEnd: os.loadavg() }, pytorch: pyInfo, repeats, quick, matmulPeakGflops: peak ?? null, rows };
  const outDir = path.join(root, 'benchmarks', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = result.time.replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(outDir, `${stamp}.json`), JSON.stringify(result, null, 2));
  const md = toMarkdown(result);
  fs.writeFileSync(path.join(outDir, 'latest.md'), md);
  process.stdout.write(md);
}

function fmt(x) {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(2);
}

function toMarkdown(r) {
  const paths = r.nnsym.paths;
  const b = r.nnsym.blas;
  const blasLine = b && b.enabled ? `${b.library} ${b.version ?? ''} (${b.path}), default ${b.threads} threads` : `none (${b?.reason ?? 'not requested'})`;
  const lines = [
    `# nnsym benchmarks (${r.time})`,
    '',
    `Command: \`npm run bench${args.length ? ' -- ' + args.join(' ') : ''}\``,
    '',
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memGiB} GiB, ${r.machine.platform}, node ${r.machine.node}, CPU flags: ${r.machine.cpuFlags}.`,
    `nnsym: backend ${r.nnsym.backend}; paths ${paths.map((p) => p.label).join(', ')} (same process, switched per call). BLAS: ${blasLine}. PyTorch ${r.pytorch.torch}, BLAS ${r.pytorch.blas}, ${r.pytorch.threads} threads (its BLAS bound to ${r.pytorch.blasThreads ?? '?'} threads: each \"Nt\" process runs torch and its BLAS at N threads, like nnsym's \"blas Nt\").`,
    `Each cell: median over ${r.repeats} A/B-interleaved repeats (min-max). Every nnsym path and every PyTorch thread count runs once per round, in an order that rotates every round. Ratio = nnsym / PyTorch throughput (> 1: nnsym faster) against the faster PyTorch thread count ("Nt").`,
    '',
    `Load average at start ${r.machine.loadavgStart.map((x) => x.toFixed(2)).join(' ')}, at end ${r.machine.loadavgEnd.map((x) => x.toFixed(2)).join(' ')} (shared machine).`,
    'GFLOP/s: useful forward/backward flops per unit x throughput, for each nnsym path and each PyTorch thread count.',
    '',
    `| workload | unit | ${paths.map((p) => `nnsym ${p.label}`).join(' | ')} | PyTorch | ${paths.map((p) => `ratio ${p.label}`).join(' | ')} | GFLOP/s ${paths.map((p) => p.label).join(' / ')} / PyTorch |`,
    `| --- | --- | ${paths.map(() => '---').join(' | ')} | --- | ${paths.map(() => '---').join(' | ')} | --- |`,
  ];
  const cell = (st) => `${fmt(st.median)} (${fmt(st.min)}-${fmt(st.max)})`;
  for (const row of r.rows) {
    if (row.error) {
      lines.push(`| ${row.description} | | error | ${row.error} | |`);
      continue;
    }
    const py = `${cell(row.pytorch)} ${row.pytorch.threads}t${Object.keys(row.pytorchByThreads).length > 1 ? '; ' + Object.entries(row.pytorchByThreads).map(([t, v]) => `${t}t ${fmt(v.median)}`).join(', ') : ''}`;
    const gf = row.gflops ? `${paths.map((p) => row.gflops.byPath[p.id].toFixed(1)).join(' / ')} / ${Object.entries(row.gflops.pytorchByThreads).map(([t, g]) => `${g.toFixed(1)} (${t}t)`).join(', ')}` : '';
    lines.push(`| ${row.description} | ${row.unit} | ${paths.map((p) => cell(row.nnsymByPath[p.id])).join(' | ')} | ${py} | ${paths.map((p) => `**${row.ratioByPath[p.id].toFixed(2)}**`).join(' | ')} | ${gf} |`);
  }
  const notes = r.rows.filter((x) => x.note);
  if (notes.length) lines.push('', ...notes.map((x) => `- ${x.id}: ${x.note}`));
  return lines.join('\n') + '\n';
}

main().catch((e) => {
  process.stderr.write(`bench: error: ${e.message}\n`);
  process.exit(1);
});

#!/usr/bin/env node
/**
 * Training throughput: nnsym's library trainer (`trainMlp`, tfjs on its default backend, wasm here) against
 * PyTorch CPU doing the same steps, in the same run, A/B interleaved, medians.
 *
 *   node tools/bench/train/bench-train.js [--repeats 5] [--steps 150] [--shapes 512,50] [--batch 128]
 *
 * Needs built dists (`npx nx run @nnsym/core:build`). Work per step on both sides: a batch of 128 float32 inputs
 * of dimension 784 from a fixed random set, forward 784-H-10 ReLU with biases, softmax cross-entropy, backward,
 * Adam(1e-3) update, loss read back to the host. nnsym's figure is the trainer's own `samplesPerSecond` of an
 * epoch of `steps` batches (the epoch loop: batch gather, events, every step's loss sync; test evaluation
 * excluded), after one untimed warm-up run. PyTorch: /usr/bin/python3 with 2 threads (NNSYM_BENCH_TORCH_THREADS).
 * Writes benchmarks/results/train-<time>.json and prints a markdown table.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { lastValueFrom, toArray } = require('rxjs');

const root = path.resolve(__dirname, '../../..');
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const repeats = Number(flag('--repeats', '5'));
const steps = Number(flag('--steps', '150'));
const batch = Number(flag('--batch', '128'));
const shapes = flag('--shapes', '512,50').split(',').map(Number);
const python = process.env.NNSYM_BENCH_PYTHON || '/usr/bin/python3';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

class Torch {
  constructor() {
    this.proc = spawn(python, [path.join(__dirname, 'torch_train.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.queue = [];
    readline.createInterface({ input: this.proc.stdout }).on('line', (l) => this.queue.shift()?.(JSON.parse(l)));
    this.ready = new Promise((res) => this.queue.push(res));
  }
  run(req) {
    return new Promise((res) => {
      this.queue.push(res);
      this.proc.stdin.write(JSON.stringify(req) + '\n');
    });
  }
  close() {
    this.proc.stdin.end();
  }
}

async function main() {
  const core = require(path.join(root, 'packages/core/dist/index.js'));
  const backend = await core.initBackend();
  core.registerCorePlugins(core.plugins);
  // A fixed random data set (float32, N(0,1) features), as on the PyTorch side.
  const rng = new core.Rng(0);
  const n = steps * batch;
  const dataset = {
    id: 'bench-random', numClasses: 10, inputShape: [784], source: 'random',
    train: { n, d: 784, x: rng.normalArray(n * 784), scale: 1, y: Uint8Array.from({ length: n }, () => rng.int(10)) },
    test: { n: batch, d: 784, x: rng.normalArray(batch * 784), scale: 1, y: new Uint8Array(batch) },
  };
  const nnsymRun = async (hidden) => {
    const ev = await lastValueFrom(core.trainMlp({ dataset, hidden: [hidden], epochs: 1, batchSize: batch, loss: 'xent', optimizer: 'adam', lr: 1e-3, seed: 1, batchEventEvery: 1 }).pipe(toArray()));
    const end = ev.find((e) => e.type === 'epoch-end');
    if (!end) throw new Error('nnsym run did not finish: ' + JSON.stringify(ev[ev.length - 1]));
    return end.metrics.samplesPerSecond;
  };
  const torch = new Torch();
  const info = await torch.ready;
  process.stderr.write(`bench-train: nnsym on ${core.describeBackend(backend)} vs torch ${info.torch} (${info.threads} threads); ${os.cpus()[0]?.model}, ${os.cpus().length} cores; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  const rows = [];
  for (const hidden of shapes) {
    await nnsymRun(hidden); // warm-up (wasm kernels, allocations)
    await torch.run({ hidden, batch, steps: 5 });
    const js = [];
    const py = [];
    const before = core.tf.memory().numTensors;
    for (let r = 0; r < repeats; r++) {
      for (const side of r % 2 ? ['py', 'js'] : ['js', 'py']) {
        if (side === 'js') js.push(await nnsymRun(hidden));
        else {
          const t = await torch.run({ hidden, batch, steps, seed: r });
          py.push(t.samples / t.seconds);
        }
      }
    }
    const row = { shape: `784-${hidden}-10`, batch, steps, nnsym: js, pytorch: py, nnsymMedian: median(js), pytorchMedian: median(py), ratio: median(js) / median(py), tensorLeak: core.tf.memory().numTensors - before };
    rows.push(row);
    process.stderr.write(`bench-train: ${row.shape}: nnsym ${row.nnsymMedian.toFixed(0)} vs pytorch ${row.pytorchMedian.toFixed(0)} samples/s: ratio ${row.ratio.toFixed(3)}\n`);
  }
  torch.close();
  const result = { command: `node tools/bench/train/bench-train.js ${args.join(' ')}`.trim(), time: new Date().toISOString(), backend: core.describeBackend(backend), torch: info, cpu: os.cpus()[0]?.model, cores: os.cpus().length, loadavg: os.loadavg(), repeats, rows };
  const out = path.join(root, 'benchmarks', 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, `train-${result.time.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  const lines = [
    `Training throughput, batch ${batch}, Adam + softmax cross-entropy, ${steps} steps per timing, median of ${repeats} A/B-interleaved repeats (${result.time}).`,
    `nnsym ${result.backend} (single thread) vs PyTorch ${info.torch} CPU, ${info.threads} threads; ${result.cpu}, ${result.cores} cores.`,
    '',
    '| network | nnsym samples/s (min-max) | PyTorch samples/s (min-max) | nnsym / PyTorch |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.shape} | ${r.nnsymMedian.toFixed(0)} (${Math.min(...r.nnsym).toFixed(0)}-${Math.max(...r.nnsym).toFixed(0)}) | ${r.pytorchMedian.toFixed(0)} (${Math.min(...r.pytorch).toFixed(0)}-${Math.max(...r.pytorch).toFixed(0)}) | **${r.ratio.toFixed(2)}** |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench-train: error: ${e.stack || e.message}\n`);
  process.exit(1);
});

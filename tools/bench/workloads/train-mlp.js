// Training throughput, 784-512-10 ReLU MLP, batch 128, softmax cross-entropy, Adam(1e-3): the training engineer's
// benchmark (tools/bench/train/) plugged into this harness. nnsym side: the library trainer `trainMlp` (what
// `nnsym train` runs) over one epoch of `steps` batches of a fixed random data set, its own samplesPerSecond figure
// (as tools/bench/train/bench-train.js reports it). PyTorch side: py/workloads/train_mlp.py drives the unchanged
// tools/bench/train/torch_train.py. Units: training samples.
const { lastValueFrom, toArray } = require('rxjs');
const core = require('@nnsym/core');

let cache;
function dataset(steps, batch) {
  const key = `${steps}-${batch}`;
  if (cache?.key === key) return cache.dataset;
  const rng = new core.Rng(0);
  const n = steps * batch;
  const ds = {
    id: 'bench-random', numClasses: 10, inputShape: [784], source: 'random',
    train: { n, d: 784, x: rng.normalArray(n * 784), scale: 1, y: Uint8Array.from({ length: n }, () => rng.int(10)) },
    test: { n: batch, d: 784, x: rng.normalArray(batch * 784), scale: 1, y: new Uint8Array(batch) },
  };
  cache = { key, dataset: ds };
  return ds;
}

module.exports = {
  id: 'train-mlp',
  description: 'training 784-512-10 relu, batch 128, Adam + cross-entropy (samples/s)',
  unit: 'sample',
  params: { hidden: 512, batch: 128, steps: 100 },
  quickParams: { steps: 60 },
  // forward 2·(784·H + H·10), backward ≈ 2x forward (the input layer's dX is not needed: ≈ 1x) — count 3x forward
  flopsPerUnit: ({ hidden }) => 3 * 2 * (784 * hidden + hidden * 10),
  setup() {
    core.registerCorePlugins?.(core.plugins);
  },
  async js({ hidden, batch, steps }) {
    const ev = await lastValueFrom(core.trainMlp({ dataset: dataset(steps, batch), hidden: [hidden], epochs: 1, batchSize: batch, loss: 'xent', optimizer: 'adam', lr: 1e-3, seed: 1, batchEventEvery: 1 }).pipe(toArray()));
    const end = ev.find((e) => e.type === 'epoch-end');
    if (!end) throw new Error('trainMlp did not finish: ' + JSON.stringify(ev[ev.length - 1]));
    const sps = end.metrics.samplesPerSecond;
    return { units: steps * batch, seconds: (steps * batch) / sps };
  },
};

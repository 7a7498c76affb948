// Ensemble sample + evaluate (issue 11's reference workload): M tanh-nets of one hidden layer, width 100, d_in 3,
// on 8 inputs. nnsym side: @nnsym/core's ensemble runner (`ensembleChunks`, the code `nnsym sample` runs: host
// ziggurat sampling per chunk, upload, dense forward on the tfjs backend, read back) with the library's default
// chunk size, plus float64 output moments (`OutputMoments`). PyTorch side (py/workloads/ensemble_tanh.py): the same
// chunks sampled with torch.randn, the same forward in float32, float64 moments. Units: networks. `threads` (default
// 2): nnsym splits each run over that many worker_threads (core's `runShardWorkers`, as `nnsym sample --threads`)
// and merges their `OutputMoments` states exactly; the workers
// are core's process-wide pool, started in the harness's warm-up run (env NNSYM_BENCH_NNSYM_THREADS overrides).
const { createArchitecture, ensembleChunks, ensemblePlan, initBackend, OutputMoments, Rng, runShardWorkers } = require('@nnsym/core');

let cache;
function setupArch({ width, dIn, P }) {
  const key = `${width}-${dIn}-${P}`;
  if (!cache || cache.key !== key) {
    const arch = createArchitecture('mlp', { width, dIn, depth: 1, dOut: 1, activation: 'tanh' });
    const rng = new Rng(0, ['bench-ensemble-inputs']);
    const inputs = Array.from({ length: P }, () => Array.from(rng.normalArray(dIn)));
    cache = { key, arch, inputs };
  }
  return cache;
}

module.exports = {
  id: 'ensemble-tanh',
  description: 'ensemble sample + evaluate, 20k tanh-nets, width 100, d_in 3, 8 inputs (networks/s)',
  unit: 'network',
  params: { M: 20000, width: 100, dIn: 3, P: 8, reps: 1, threads: Number(process.env.NNSYM_BENCH_NNSYM_THREADS || 2) },
  quickParams: {},
  // forward flops per network: 2 N d_in P (layer 0) + N P (bias) + 2 N P (readout); activation not counted
  flopsPerUnit: ({ width, dIn, P }) => 2 * width * dIn * P + 3 * width * P,
  setup(params) {
    const { arch, inputs } = setupArch(params);
    params.chunk = ensemblePlan({ arch, inputs, ensemble: params.M }).chunkSize; // the library default, shared with PyTorch
  },
  async js(params) {
    const { arch, inputs } = setupArch(params);
    let seed = 0;
    const t = process.hrtime.bigint();
    for (let r = 0; r < params.reps; r++) {
      const m = new OutputMoments(params.P, 1);
      if (params.threads > 1) {
        const states = await runShardWorkers({ module: __filename, fn: 'shard', args: { params, seed: seed++ }, threads: params.threads });
        for (const st of states) m.merge(st);
      } else for (const ch of ensembleChunks({ arch, inputs, ensemble: params.M, seed: seed++ })) m.add(ch);
      m.result();
    }
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    return { units: params.reps * params.M, seconds };
  },
  /** Worker side of `threads`: this thread's shard of the run, as an OutputMoments state. */
  async shard({ params, seed }, ctx) {
    await initBackend();
    const { arch, inputs } = setupArch(params);
    const m = new OutputMoments(params.P, 1);
    for (const ch of ensembleChunks({ arch, inputs, ensemble: params.M, chunkSize: params.chunk, seed, shard: ctx.shard })) m.add(ch);
    return m.state();
  },
};

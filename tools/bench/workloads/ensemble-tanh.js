// Ensemble sample + evaluate (issue 11's reference workload): M tanh-nets of one hidden layer, width 100, d_in 3,
// on 8 inputs. nnsym side: @nnsym/core's ensemble runner (`ensembleChunks`, the code `nnsym sample` runs: host
// ziggurat sampling per chunk, upload, dense forward on the tfjs backend, read back) with the library's default
// chunk size, plus float64 output moments (`OutputMoments`). PyTorch side (py/workloads/ensemble_tanh.py): the same
// chunks sampled with torch.randn, the same forward in float32, float64 moments. Units: networks.
const { createArchitecture, ensembleChunks, ensemblePlan, OutputMoments, Rng } = require('@nnsym/core');

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
  params: { M: 20000, width: 100, dIn: 3, P: 8, reps: 1 },
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
      for (const ch of ensembleChunks({ arch, inputs, ensemble: params.M, seed: seed++ })) m.add(ch);
      m.result();
    }
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    return { units: params.reps * params.M, seconds };
  },
};

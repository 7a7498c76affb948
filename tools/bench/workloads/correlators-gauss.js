// Ensemble Monte-Carlo correlators G2 and G4 of the Gauss-net (width 100, d_in 1, 6 inputs): nnsym side is
// @nnsym/correlators' correlator engine (`correlators$`, the code `nnsym correlators --method montecarlo` runs: core's
// chunked ensemble runner + the float64 tuple-product accumulator with 16 jackknife groups and Chan merges) to the
// mergeable partial result. PyTorch side (py/workloads/correlators_gauss.py): same chunks, torch.randn sampling,
// float32 forward, float64 products over the same 21 + 126 non-decreasing tuples, the same grouped Chan merges.
// Units: networks. `threads` (default 2): nnsym runs the ensemble over that many worker_threads (correlators$'s
// `threads` option, `nnsym correlators --threads`), merging their partials exactly; the workers
// are core's process-wide pool, started in the harness's warm-up run (env NNSYM_BENCH_NNSYM_THREADS overrides).
const { lastValueFrom } = require('rxjs');
const { createArchitecture, ensemblePlan } = require('@nnsym/core');
const { correlators$ } = require('@nnsym/correlators');

const INPUTS = [[-1], [-0.6], [-0.2], [0.2], [0.6], [1]];

function spec(p, seed) {
  return { arch: 'gauss-net', width: p.width, dIn: 1, dOut: 1, sigmaW: 1, sigmaB: 1, parameterization: 'standard', inputs: INPUTS, orders: [2, 4], ensemble: p.M, chunkSize: p.chunk, seed, groups: 16 };
}

let seed = 0;
module.exports = {
  id: 'correlators-gauss',
  description: 'Monte-Carlo G2 + G4 (21 + 126 tuples), 20k Gauss-nets, width 100, 6 1-D inputs (networks/s)',
  unit: 'network',
  params: { M: 20000, width: 100, threads: Number(process.env.NNSYM_BENCH_NNSYM_THREADS || 2) },
  quickParams: {},
  flopsPerUnit: ({ width }) => 6 * 4 * width + 2 * 6 * width,
  setup(params) {
    const arch = createArchitecture('gauss-net', { width: params.width, dIn: 1 });
    params.chunk = ensemblePlan({ arch, inputs: INPUTS, ensemble: params.M }).chunkSize;
  },
  async js(params) {
    const t = process.hrtime.bigint();
    const end = await lastValueFrom(correlators$({ spec: spec(params, seed++), threads: params.threads }));
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    if (end.type !== 'run-end' || !end.summary.partial.complete) throw new Error('correlators run did not complete');
    return { units: params.M, seconds };
  },
};

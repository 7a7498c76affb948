// Empirical NTK of a 784-512-512-10 relu MLP (NTK parameterisation) on 128 inputs, full [1280 x 1280] kernel:
// nnsym's structured path (closed-form layer Jacobians, @nnsym/ntk mlpStructuredNtk) vs the same algorithm in
// PyTorch (py/workloads/ntk_mlp.py). Units: kernels (one full NTK of one network) per second.
const { createArchitecture, Rng, tf } = require('@nnsym/core');
const { denseView, mlpStructuredNtk } = require('@nnsym/ntk');

let cache;
module.exports = {
  id: 'ntk-mlp',
  description: 'empirical NTK, MLP 784-512-512-10 relu, 128 inputs, full 1280x1280 (kernels/s)',
  unit: 'kernel',
  params: { dIn: 784, width: 512, dOut: 10, P: 128, reps: 2 },
  quickParams: { reps: 1 },
  // the algorithm's matmul flops (both sides): forward 2P(d·n + n·n + n·o), Grams of x, h1, h2 2P²(d + 2n), the
  // back-propagation D·W 2(P·o)·n² (the last layer's δ is closed form), two δ Grams 2·2(P·o)²·n
  flopsPerUnit: ({ dIn, width, dOut, P }) => 2 * P * (dIn * width + width * width + width * dOut) + 2 * P * P * (dIn + 2 * width) + 2 * P * dOut * width * width + 4 * (P * dOut) ** 2 * width,
  note: 'same algorithm on both sides (layer Jacobians δ_l and Gram products; float32). The generic Jacobian-contraction method (J Jᵀ over all 670k parameters) costs (P·d_out)²·nParams ≈ 2.2 TFLOP per kernel and is not timed here.',
  async js({ dIn, width, dOut, P, reps }) {
    const key = `${dIn}-${width}-${dOut}-${P}`;
    if (!cache || cache.key !== key) {
      if (cache) Object.values(cache.params).forEach((t) => t.dispose());
      const arch = createArchitecture('mlp', { dIn, width, depth: 2, dOut, activation: 'relu', parameterization: 'ntk', sigmaW: Math.SQRT2, sigmaB: 0.1 });
      const rng = new Rng(0, ['bench-ntk-inputs']);
      const x = Array.from({ length: P }, () => Array.from(rng.normalArray(dIn)));
      cache = { key, arch, params: arch.init(new Rng(1), 1), x };
    }
    const once = () => {
      const net = denseView(cache.arch, cache.params);
      const r = mlpStructuredNtk(net, cache.x, { mode: 'full' });
      net.weights.forEach((w) => w.dispose());
      return r;
    };
    once();
    const t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) once();
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    void tf;
    return { units: reps, seconds };
  },
};

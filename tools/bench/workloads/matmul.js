// sgemm n x n x n in float32 on the nnsym compute backend (tfjs wasm by default): achieved GFLOP/s vs PyTorch.
const { tf } = require('@nnsym/core');

let cache;
module.exports = {
  id: 'matmul',
  description: 'float32 matmul 1024x1024x1024 (GFLOP/s)',
  unit: 'flop',
  params: { n: 1024, reps: 5 },
  async js({ n, reps }) {
    if (!cache || cache.n !== n) {
      if (cache) tf.dispose([cache.a, cache.b]);
      cache = { n, a: tf.randomNormal([n, n], 0, 1, 'float32', 1), b: tf.randomNormal([n, n], 0, 1, 'float32', 2) };
    }
    // The product is synchronous on the wasm backend (with or without BLAS); reading one entry back after the loop
    // makes asynchronous backends finish too, without timing a 4 MB read-back per product (PyTorch's side reads
    // nothing back either).
    const t = process.hrtime.bigint();
    let last;
    for (let i = 0; i < reps; i++) {
      last?.dispose();
      last = tf.matMul(cache.a, cache.b);
    }
    tf.tidy(() => last.slice([0, 0], [1, 1]).dataSync());
    last.dispose();
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    return { units: reps * 2 * n ** 3, seconds };
  },
};

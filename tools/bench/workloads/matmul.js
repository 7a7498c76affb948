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
    // Do not return dataSync()'s typed array from a tf.tidy callback: tidy walks the returned value element by
    // element looking for tensors (~1 us per element, seconds for a 1M-entry result).
    const once = () => {
      const y = tf.matMul(cache.a, cache.b);
      y.dataSync();
      y.dispose();
    };
    once();
    const t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) once();
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    return { units: reps * 2 * n ** 3, seconds };
  },
};

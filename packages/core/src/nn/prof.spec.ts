import { initBackend, tf, Rng } from '../index';

function time(label: string, f: () => unknown, reps = 3) {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(() => { const r = f(); if (r instanceof tf.Tensor) r.dataSync(); });
  console.log(label, ((performance.now() - t0) / reps).toFixed(1), 'ms');
}
test('prof', async () => {
  await initBackend();
  const M = 5000, N = 100, P = 8;
  const rng = new Rng(0);
  time('normals 2.5M', () => rng.normalArray(M * 501));
  const W0 = tf.tensor2d(rng.normalArray(M * N * 3), [M * N, 3]);
  const xT = tf.tensor2d(rng.normalArray(3 * P), [3, P]);
  const b = tf.tensor2d(rng.normalArray(M * N), [M * N, 1]);
  const z = tf.matMul(W0, xT);
  const q = tf.tensor1d(rng.normalArray(P));
  time('matMul', () => tf.matMul(W0, xT));
  time('add bias bcast [MN,1]', () => tf.add(z, b));
  time('sub q bcast [P]', () => tf.sub(z, q));
  time('exp', () => tf.exp(z));
  time('relu', () => tf.relu(z));
  const h = tf.reshape(z, [M, N, P]);
  const W1 = tf.tensor3d(rng.normalArray(M * N), [M, N, 1]);
  time('mul bcast W1', () => tf.mul(h, W1));
  const full = tf.tensor3d(rng.normalArray(M * N * P), [M, N, P]);
  time('mul same shape', () => tf.mul(h, full));
  time('sum axis1', () => tf.sum(full, 1));
  time('tile W1', () => tf.tile(W1, [1, 1, P]));
  const W1r = tf.tensor3d(rng.normalArray(M * N), [M, 1, N]);
  time('batched matMul [M,1,N]x[M,N,P]', () => tf.matMul(W1r, h));
  time('upload 2.5M', () => tf.tensor1d(rng.normalArray(M * 501)));
});

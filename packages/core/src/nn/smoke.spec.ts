import { initBackend, tf, Rng } from '../index';
import { createArchitecture } from './create-architecture';
import { ensembleChunks } from '../ensemble/chunks';
import { OutputMoments } from '../ensemble/moments';
import { parseInputs } from '../inputs/parse';

test('smoke', async () => {
  await initBackend();
  for (const id of ['gauss-net', 'exp-net', 'erf-net', 'relu-net', 'tanh-net', 'shallow', 'mlp', 'linear-net']) {
    const arch = createArchitecture(id, { width: 50, dIn: 3, dOut: 2 });
    const p = arch.init(new Rng(0), 4);
    const x = tf.tensor2d([[0.1, 0.2, 0.3], [1, 0, 0]]);
    const f = arch.apply(p, x);
    console.log(id, f.shape, Array.from(f.dataSync()).slice(0, 4));
  }
  const arch = createArchitecture('gauss-net', { width: 100, dIn: 3 });
  const inputs = parseInputs('normal:8', { dIn: 3 });
  const mom = new OutputMoments(8, 1);
  const before = tf.memory().numTensors;
  const t0 = Date.now();
  let n = 0;
  for (const ch of ensembleChunks({ arch, inputs, ensemble: 200000, seed: 1 })) { mom.add(ch); n += ch.count; }
  const dt = (Date.now() - t0) / 1000;
  console.log('nets/s', n / dt, tf.memory().numTensors - before, mom.result().variance, tf.getBackend());
});

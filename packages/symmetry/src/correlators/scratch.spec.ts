import { initBackend, createArchitecture, ensembleChunks } from '@nnsym/core';
import { CorrelatorAccumulator } from './accumulator';
import { correlatorLayout } from './layout';
import { exactCorrelators } from './exact';
import { neuronFamily } from './family';

it('timing', async () => {
  const info = await initBackend();
  console.log(info);
  const xs = [[0.2],[0.4],[0.6],[0.8],[1.0],[1.2]];
  for (const N of [10, 1000]) {
    const arch = createArchitecture('relu-net', { width: N, dIn: 1, sigmaB: 0 });
    const L = correlatorLayout(6, 1, [2,4,6]);
    const acc = new CorrelatorAccumulator(L);
    let tGen = 0, tAcc = 0;
    let t = Date.now();
    for (const ch of ensembleChunks({ arch, inputs: xs, ensemble: 100000, seed: 1, chunkSize: N >= 1000 ? 2000 : 20000 })) {
      const t1 = Date.now(); tGen += t1 - t;
      acc.push(ch.outputs, ch.count, ch.start);
      t = Date.now(); tAcc += t - t1;
    }
    console.log(N, 'gen ms', tGen, 'acc ms', tAcc);
  }
  let t0 = Date.now();
  const ex = exactCorrelators(neuronFamily('erf', { dIn: 1 }), [[-1],[-0.6],[-0.2],[0.2],[0.6],[1]], { orders: [2,4,6] });
  console.log('exact erf ms', Date.now() - t0, ex.moments.nodes);
}, 300000);

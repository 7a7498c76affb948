import { trainedEnsembleChunks } from '../trained-ensemble';
it('s2', () => {
  const spec = { arch: 'tanh-net' as const, dIn: 1, dOut: 3, width: 10, networks: 50 };
  const x = [Float64Array.of(0.5)]; const y = [Float64Array.of(1, 0, 0)];
  const err = (steps: number) => { const [c] = trainedEnsembleChunks(spec, { inputs: x, targets: y, steps, lr: 0.1 }, x, 1, 50); const e: number[] = []; for (let m = 0; m < 50; m++) e.push((c.outputs[m*3]-1)**2 + c.outputs[m*3+1]**2 + c.outputs[m*3+2]**2); return e; };
  const e0 = err(0); const e20 = err(20); const e200 = err(200);
  const r = e20.map((v, i) => Math.sqrt(v / e0[i]) ** (1/20));
  console.log('per-step contraction max', Math.max(...r), 'min', Math.min(...r), 'sum0', e0.reduce((a,b)=>a+b), 'sum20', e20.reduce((a,b)=>a+b), 'sum200', e200.reduce((a,b)=>a+b));
});

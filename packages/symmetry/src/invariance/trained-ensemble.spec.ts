import { createSpecialOrthogonal } from '../groups/special-orthogonal';
import { createStabiliser } from '../groups/stabiliser';
import { designInvarianceTest } from './design';
import { predictInvariance } from './predict';
import { testInvariance } from './test-invariance';
import { trainedEnsembleChunks, trainedParameterSide, type TrainingTask } from './trained-ensemble';

describe('symmetry during training (gradient descent on MSE, float64 host ensemble)', () => {
  const spec = { arch: 'tanh-net' as const, dIn: 1, dOut: 3, width: 10, networks: 1500 };
  const x = [Float64Array.of(1)];

  it('gradient descent lowers the loss (finite-difference-free check: trained outputs approach the target)', () => {
    const task: TrainingTask = { inputs: [Float64Array.of(0.5)], targets: [Float64Array.of(1, 0, 0)], steps: 200, lr: 0.1 };
    const [chunk] = trainedEnsembleChunks({ ...spec, networks: 50 }, task, task.inputs, 1, 50);
    let err = 0;
    for (let m = 0; m < 50; m++) err += (chunk.outputs[m * 3] - 1) ** 2 + chunk.outputs[m * 3 + 1] ** 2 + chunk.outputs[m * 3 + 2] ** 2;
    // At init E|f − y|² = 3 G2 + 1 ≈ 3·1.6 + 1; after training it must be far smaller.
    expect(err / 50).toBeLessThan(0.05);
  });

  it('targets y = e0 break SO(3) to Stab(e0) ≅ SO(2); zero targets keep SO(3); predictions agree', async () => {
    const measure = async (task: TrainingTask, group: Parameters<typeof designInvarianceTest>[0]['group']) => {
      const design = designInvarianceTest({ group, on: 'outputs', inputs: x, dOut: 3, orders: [2], samples: 3, seed: 1 });
      const r = await testInvariance(design, trainedEnsembleChunks(spec, task, design.evalInputs, 5));
      return { verdict: r.verdict, predicted: predictInvariance(group, 'outputs', [2], trainedParameterSide(spec, task)).predicted };
    };
    const toE0: TrainingTask = { inputs: [Float64Array.of(0.5)], targets: [Float64Array.of(1, 0, 0)], steps: 50, lr: 0.1 };
    expect(await measure(toE0, createSpecialOrthogonal(3))).toEqual({ verdict: 'broken', predicted: 'broken' });
    expect(await measure(toE0, createStabiliser(3, [Float64Array.of(1, 0, 0)]))).toEqual({ verdict: 'invariant', predicted: 'invariant' });
    const toZero: TrainingTask = { inputs: [Float64Array.of(0.5)], targets: [Float64Array.of(0, 0, 0)], steps: 50, lr: 0.1 };
    expect(await measure(toZero, createSpecialOrthogonal(3))).toEqual({ verdict: 'invariant', predicted: 'invariant' });
  });
});

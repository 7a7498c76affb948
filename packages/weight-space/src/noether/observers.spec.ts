import { lastValueFrom, toArray } from 'rxjs';
import { flatten, forward64, lossAndGrad64, paramCount64, unflatten, type Activation64 } from './mlp64';
import { randomMlp64, teacherData, trackNoether, type NoetherRunConfig } from './track';
import { balanceObserver, empiricalNtk64, ntkEnergyObserver, ntkLossRate, outputJacobian64, unitNorms } from './observers';

const relu: Activation64 = { id: 'relu', f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) };
const tanh: Activation64 = { id: 'tanh', f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 };

const run = (cfg: NoetherRunConfig) => lastValueFrom(trackNoether(cfg).pipe(toArray()));

describe('empirical NTK in float64', () => {
  it('the output Jacobian matches central finite differences of the forward pass', () => {
    const net = randomMlp64([3, 5, 4, 2], tanh, { seed: 1 });
    const data = teacherData([3, 4, 2], tanh, 5, 'mse', 2);
    const J = outputJacobian64(net, data.X, data.n);
    const P = paramCount64(net);
    const theta = flatten(net);
    const h = 1e-6;
    for (let p = 0; p < P; p += 2) {
      const t = theta.slice();
      t[p] += h;
      unflatten(net, t);
      const fp = forward64(net, data.X, data.n);
      t[p] -= 2 * h;
      unflatten(net, t);
      const fm = forward64(net, data.X, data.n);
      unflatten(net, theta);
      for (let i = 0; i < fp.length; i++) expect(Math.abs((fp[i] - fm[i]) / (2 * h) - J[i * P + p])).toBeLessThan(1e-8);
    }
    const K = empiricalNtk64(net, data.X, data.n);
    const m = data.n * 2;
    for (let i = 0; i < m; i++) {
      expect(K[i * m + i]).toBeGreaterThan(0);
      for (let j = 0; j < m; j++) expect(K[i * m + j]).toBe(K[j * m + i]);
    }
  });

  it.each(['mse', 'xent'] as const)('-r^T Θ r / n^2 equals -|∇L|^2 from the backward pass (%s)', (loss) => {
    const net = randomMlp64([4, 6, 3], relu, { seed: 3 });
    const data = teacherData([4, 5, 3], tanh, 17, loss, 4);
    const { ntkRate, gradRate, loss: value } = ntkLossRate(net, data, loss);
    expect(value).toBeCloseTo(lossAndGrad64(net, data.X, data.Y, data.n, loss).loss, 14);
    expect(ntkRate).toBeLessThan(0);
    expect(Math.abs(ntkRate - gradRate) / Math.abs(gradRate)).toBeLessThan(1e-12);
  });

  it("the run's measured dL/dt agrees with the NTK rate to O(eta) for GD and O(eta^2) for RK4 flow", async () => {
    const net = randomMlp64([4, 8, 2], tanh, { seed: 5 });
    const data = teacherData([4, 6, 2], tanh, 32, 'mse', 6);
    const T = 1;
    const err = async (optimizer: 'gd' | 'flow', lr: number) => {
      const steps = Math.round(T / lr);
      const obs = ntkEnergyObserver(net, data, 'mse', lr, steps, 4);
      await run({ net, data, loss: 'mse', optimizer, lr, steps, observers: [obs] });
      const r = obs.report();
      expect(r.points).toHaveLength(4);
      expect(r.maxIdentityError).toBeLessThan(1e-10);
      return r.maxRelativeError;
    };
    const g1 = await err('gd', 0.02);
    const g2 = await err('gd', 0.01);
    expect(g2).toBeLessThan(0.05);
    expect(g1 / g2).toBeGreaterThan(1.7);
    expect(g1 / g2).toBeLessThan(2.3);
    const f1 = await err('flow', 0.02);
    const f2 = await err('flow', 0.01);
    expect(f1 / f2).toBeGreaterThan(3.4);
    expect(f1 / f2).toBeLessThan(4.6);
    expect(f2).toBeLessThan(0.1 * g2);
  });
});

describe('per-unit balance', () => {
  it('unitNorms sums the incoming row (and bias) and the outgoing column of each hidden unit', () => {
    const net = randomMlp64([2, 3, 1], relu, { seed: 7 });
    const u = unitNorms(net);
    const [L0, L1] = net.layers;
    expect(u.names).toEqual(['0:0', '0:1', '0:2']);
    for (let j = 0; j < 3; j++) {
      expect(u.nIn[j]).toBeCloseTo(L0.W[2 * j] ** 2 + L0.W[2 * j + 1] ** 2 + L0.b![j] ** 2, 14);
      expect(u.nOut[j]).toBeCloseTo(L1.W[j] ** 2, 14);
    }
  });

  it('relu: the imbalance is fixed to O(eta) while the norms move; tanh: it drifts by O(1) whatever eta', async () => {
    const data = teacherData([4, 6, 2], tanh, 64, 'mse', 11);
    const T = 4;
    const measure = async (act: Activation64, lr: number) => {
      const net = randomMlp64([4, 8, 2], act, { seed: 3 });
      const bal = balanceObserver(net, 1, act === relu);
      await run({ net, data, loss: 'mse', optimizer: 'gd', lr, steps: Math.round(T / lr), observers: [bal] });
      return bal.report();
    };
    const r1 = await measure(relu, 0.02);
    const r2 = await measure(relu, 0.01);
    const t1 = await measure(tanh, 0.02);
    const t2 = await measure(tanh, 0.01);
    expect(r2.maxNormChange).toBeGreaterThan(20 * r2.maxImbalanceDrift);
    expect(r1.maxImbalanceDrift / r2.maxImbalanceDrift).toBeGreaterThan(1.6);
    expect(r1.maxImbalanceDrift / r2.maxImbalanceDrift).toBeLessThan(2.4);
    // tanh: the same quantity's drift converges to the flow's own (nonzero) change as eta -> 0.
    expect(t2.maxImbalanceDrift).toBeGreaterThan(0.8 * t1.maxImbalanceDrift);
    // Measured (seed 3): relu max 4.8e-3 / median 1.3e-4 at eta 0.01; tanh 8.7e-2 / 6.8e-2, as large as its norms' change.
    expect(t2.maxImbalanceDrift).toBeGreaterThan(10 * r2.maxImbalanceDrift);
    expect(t2.medianImbalanceDrift).toBeGreaterThan(100 * r2.medianImbalanceDrift);
    expect(t2.medianImbalanceDrift).toBeGreaterThan(0.5 * t2.medianNormChange);
  });
});

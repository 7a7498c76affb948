import { lastValueFrom, tap, toArray } from 'rxjs';
import type { NnsymEvent } from '@nnsym/core';
import { flatten, lossAndGrad64, unflatten, type Activation64 } from './mlp64';
import { charge, mlpGenerators, symmetryResidual } from './generators';
import { randomMlp64, teacherData, trackNoether, type NoetherSummary, type NoetherRunConfig } from './track';
import { parseAugmentation } from './augment';

const relu: Activation64 = { id: 'relu', f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) };
const identity: Activation64 = { id: 'identity', f: (z) => z, df: () => 1 };
const tanh: Activation64 = { id: 'tanh', f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 };

async function summaryOf(cfg: NoetherRunConfig): Promise<{ summary: NoetherSummary; events: NnsymEvent[] }> {
  const events = await lastValueFrom(trackNoether(cfg).pipe(toArray()));
  const end = events.find((e) => e.type === 'run-end');
  if (!end || end.type !== 'run-end') throw new Error('no run-end: ' + JSON.stringify(events[events.length - 1]));
  return { summary: end.summary as unknown as NoetherSummary, events };
}

describe('float64 MLP gradient', () => {
  it.each(['mse', 'xent'] as const)('matches central finite differences (%s, tanh)', (loss) => {
    const net = randomMlp64([3, 5, 4, 2], tanh, { seed: 1 });
    const data = teacherData([3, 4, 2], tanh, 7, loss, 2);
    const theta = flatten(net);
    const { grad } = lossAndGrad64(net, data.X, data.Y, data.n, loss);
    const h = 1e-6;
    for (let i = 0; i < theta.length; i += 3) {
      const t = theta.slice();
      t[i] += h;
      unflatten(net, t);
      const lp = lossAndGrad64(net, data.X, data.Y, data.n, loss).loss;
      t[i] -= 2 * h;
      unflatten(net, t);
      const lm = lossAndGrad64(net, data.X, data.Y, data.n, loss).loss;
      unflatten(net, theta);
      // central difference error is O(h^2 L''') ~ 1e-12 plus rounding ~ 1e-16 / h ~ 1e-10
      expect(Math.abs((lp - lm) / (2 * h) - grad[i])).toBeLessThan(1e-8);
    }
  });
});

describe('generators and charges', () => {
  it('finds the families an architecture has and says which were looked for', () => {
    const reluNet = randomMlp64([2, 3, 1], relu);
    const fams = mlpGenerators(reluNet, { homogeneousDegree: 1, loss: 'mse' }).families;
    expect(fams.map((f) => [f.family, f.present])).toEqual([
      ['neuron-rescaling', true],
      ['gl-between-layers', false],
      ['logit-translation', false],
    ]);
    const tanhGens = mlpGenerators(randomMlp64([2, 3, 1], tanh), { loss: 'mse' });
    expect(tanhGens.generators).toHaveLength(0);
    expect(tanhGens.families.every((f) => !f.present && f.why.length > 0)).toBe(true);
  });

  it('the generic charge 1/2 theta^T A theta equals the hand-derived closed forms', () => {
    for (const [act, opts] of [
      [relu, { homogeneousDegree: 1, loss: 'xent' as const }],
      [identity, { linear: true, loss: 'mse' as const }],
    ] as const) {
      const net = randomMlp64([3, 4, 4, 3], act, { seed: 5 });
      const theta = flatten(net);
      const { generators } = mlpGenerators(net, opts);
      expect(generators.length).toBeGreaterThan(4);
      for (const g of generators) expect(charge(g, theta)).toBeCloseTo(g.closedForm!(net), 12);
    }
  });

  it('each generator is a symmetry of the loss (grad L . A theta = 0), and a non-symmetry is not', () => {
    const cases = [
      { act: relu, opts: { homogeneousDegree: 1, loss: 'xent' as const } },
      { act: identity, opts: { linear: true, loss: 'mse' as const } },
    ];
    for (const { act, opts } of cases) {
      const net = randomMlp64([3, 5, 5, 3], act, { seed: 9 });
      const data = teacherData([3, 4, 3], tanh, 20, opts.loss, 3);
      for (const g of mlpGenerators(net, opts).generators) {
        expect(symmetryResidual(net, g, data.X, data.Y, data.n, opts.loss)).toBeLessThan(1e-10);
      }
    }
    // Rescaling is not a symmetry of a tanh net: the same vector field has a clearly nonzero component along grad L.
    const tnet = randomMlp64([3, 5, 1], tanh, { seed: 2 });
    const fake = mlpGenerators(tnet, { homogeneousDegree: 1, loss: 'mse' }).generators;
    const data = teacherData([3, 4, 1], relu, 20, 'mse', 4);
    const worst = Math.max(...fake.map((g) => symmetryResidual(tnet, g, data.X, data.Y, data.n, 'mse')));
    expect(worst).toBeGreaterThan(1e-3);
  });
});

describe('trackNoether', () => {
  const data = teacherData([4, 6, 2], tanh, 64, 'mse', 11);

  it('relu net under small-step GD: charges hold while the loss falls, drift is linear in eta, the control moves', async () => {
    const net = randomMlp64([4, 8, 2], relu, { seed: 3 });
    const T = 2; // flow time
    const run = (lr: number) => summaryOf({ net, data, loss: 'mse', optimizer: 'gd', lr, steps: Math.round(T / lr), homogeneousDegree: 1 });
    const a = (await run(0.02)).summary;
    const b = (await run(0.01)).summary;
    expect(a.loss.final).toBeLessThan(0.5 * a.loss.initial);
    expect(b.maxChargeDrift).toBeLessThan(1e-2);
    // Euler: Q changes by eta^2/2 g^T A g per step, so at fixed T the total drift is ~ eta * const: halving eta halves it.
    const ratio = a.maxChargeDrift / b.maxChargeDrift;
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.4);
    // The control |W0|^2 is not a charge: its change converges to the flow's (nonzero) value instead of shrinking.
    expect(b.minControlDrift).toBeGreaterThan(0.8 * a.minControlDrift);
    expect(b.minControlDrift).toBeGreaterThan(5 * b.maxChargeDrift);
  });

  it('deep linear net: RK4 flow conserves the balance matrices far better than Euler at the same step', async () => {
    const net = randomMlp64([4, 5, 5, 2], identity, { seed: 4 });
    const lin = teacherData([4, 2], identity, 64, 'mse', 12);
    const cfg = { net, data: lin, loss: 'mse' as const, lr: 0.02, steps: 100, linear: true };
    const euler = (await summaryOf({ ...cfg, optimizer: 'gd' })).summary;
    const rk4 = (await summaryOf({ ...cfg, optimizer: 'flow' })).summary;
    const rk4half = (await summaryOf({ ...cfg, optimizer: 'flow', lr: 0.01, steps: 200 })).summary;
    expect(rk4.loss.final).toBeLessThan(0.2 * rk4.loss.initial);
    expect(rk4.maxChargeDrift).toBeLessThan(1e-2 * euler.maxChargeDrift);
    // RK4's global error is O(h^4): halving h divides the drift by ~16 (measured 17.8 here).
    const ratio = rk4.maxChargeDrift / rk4half.maxChargeDrift;
    expect(ratio).toBeGreaterThan(10);
    expect(ratio).toBeLessThan(26);
    expect(rk4.families.find((f) => f.family === 'gl-between-layers')?.present).toBe(true);
  });

  it('data augmentation changes the path but the charges stay conserved (drift still O(eta))', async () => {
    const net = randomMlp64([4, 8, 2], relu, { seed: 3 });
    const augment = parseAugmentation('noise:0.3');
    const run = (lr: number) =>
      summaryOf({ net, data, loss: 'mse', optimizer: 'gd', lr, steps: Math.round(1 / lr), homogeneousDegree: 1, augment, seed: 2 });
    const a = (await run(0.02)).summary;
    const b = (await run(0.01)).summary;
    const plain = (await summaryOf({ net, data, loss: 'mse', optimizer: 'gd', lr: 0.01, steps: 100, homogeneousDegree: 1 })).summary;
    // The path differs from plain GD (augmented batches), yet halving eta halves the charges' drift as for plain GD.
    expect(Math.abs(b.loss.final - plain.loss.final)).toBeGreaterThan(1e-4);
    expect(a.maxChargeDrift / b.maxChargeDrift).toBeGreaterThan(1.6);
    expect(a.maxChargeDrift / b.maxChargeDrift).toBeLessThan(2.4);
    expect(() => parseAugmentation('rotate')).toThrow(/^augment must be/);
  });

  it('Adam does not conserve the rescaling charges', async () => {
    const net = randomMlp64([4, 8, 2], relu, { seed: 3 });
    const adam = (await summaryOf({ net, data, loss: 'mse', optimizer: 'adam', lr: 0.02, steps: 100, homogeneousDegree: 1 })).summary;
    const gd = (await summaryOf({ net, data, loss: 'mse', optimizer: 'gd', lr: 0.02, steps: 100, homogeneousDegree: 1 })).summary;
    expect(adam.maxChargeDrift).toBeGreaterThan(10 * gd.maxChargeDrift);
  });

  it('an abort stops between slices of steps with the summary of the steps done (equal to a run of that length)', async () => {
    const net = randomMlp64([4, 8, 2], relu, { seed: 3 });
    const ac = new AbortController();
    const steps = 1e7; // far more than one ~50 ms slice
    const events = await lastValueFrom(
      trackNoether({ net, data, loss: 'mse', optimizer: 'gd', lr: 0.02, steps, recordEvery: 10, homogeneousDegree: 1, signal: ac.signal }).pipe(
        tap((e) => e.type === 'metric' && e.step === 10 && ac.abort()),
        toArray(),
      ),
    );
    const end = events[events.length - 1];
    expect(end).toMatchObject({ type: 'run-end', interrupted: true });
    const cut = (end as { summary: unknown }).summary as NoetherSummary;
    expect(cut.steps).toBeGreaterThanOrEqual(10);
    expect(cut.steps).toBeLessThan(steps);
    expect(cut).toMatchObject({ stepsRequested: steps, complete: false, time: cut.steps * 0.02 });
    // The last metric is the step where it stopped.
    expect(events.filter((e) => e.type === 'metric').pop()).toMatchObject({ step: cut.steps });
    const straight = (await summaryOf({ net, data, loss: 'mse', optimizer: 'gd', lr: 0.02, steps: cut.steps, recordEvery: 10, homogeneousDegree: 1 })).summary;
    expect(straight.complete).toBe(true);
    expect(cut.quantities).toEqual(straight.quantities);
    expect(cut.loss).toEqual(straight.loss);
  });

  it('a step so large that training diverges ends with an error event naming the step', async () => {
    const net = randomMlp64([4, 8, 2], relu, { seed: 3 });
    const events = await lastValueFrom(
      trackNoether({ net, data, loss: 'mse', optimizer: 'gd', lr: 1e3, steps: 200, homogeneousDegree: 1 }).pipe(toArray()),
    );
    const last = events[events.length - 1];
    expect(last.type).toBe('error');
    if (last.type === 'error') {
      expect(last.step).toBeGreaterThan(0);
      expect(last.message).toMatch(/diverged at step \d+/);
    }
    expect(events.some((e) => e.type === 'run-end')).toBe(false);
  });
});

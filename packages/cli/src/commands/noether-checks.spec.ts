import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

const small = ['noether', '--width', '8', '--limit-train', '32', '--steps', '200', '--lr', '0.02'];

describe('nnsym noether --balance / --ntk-energy', () => {
  it('relu: the per-unit balance is the rescaling charge (same drift), far below the norms\' change', async () => {
    const r = await run([...small, '--arch', 'relu-net', '--balance', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.balance.symmetric).toBe(true);
    expect(j.balance.units).toBe(8);
    // D = 2 x the rescaling charge, relative to the same scale: the two drifts are one number.
    expect(j.balance.maxImbalanceDrift).toBeCloseTo(j.maxChargeDrift, 10);
    expect(j.balance.maxNormChange).toBeGreaterThan(10 * j.balance.maxImbalanceDrift);
  });

  it('tanh: the same quantity is no charge and drifts far more than under relu', async () => {
    const t = JSON.parse((await run([...small, '--arch', 'tanh-net', '--balance', '--json'])).out);
    const r = JSON.parse((await run([...small, '--arch', 'relu-net', '--balance', '--json'])).out);
    expect(t.balance.symmetric).toBe(false);
    expect(t.balance.medianImbalanceDrift).toBeGreaterThan(20 * r.balance.medianImbalanceDrift);
    expect(t.balance.medianImbalanceDrift).toBeGreaterThan(0.1 * t.balance.medianNormChange);
  });

  it('--ntk-energy: the run\'s dL/dt matches -r^T Θ r / n^2 at each checkpoint, and the sweep carries the error', async () => {
    const r = await run([...small, '--arch', 'tanh-net', '--ntk-energy', '3', '--eta-sweep', '0.04,0.02', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ntkEnergy.points).toHaveLength(3);
    expect(j.ntkEnergy.maxIdentityError).toBeLessThan(1e-12);
    expect(j.ntkEnergy.maxRelativeError).toBeLessThan(0.05);
    const [a, b] = j.etaSweep;
    expect(a.ntkEnergyError / b.ntkEnergyError).toBeGreaterThan(1.6);
    expect(a.ntkEnergyError / b.ntkEnergyError).toBeLessThan(2.4);
  });

  it('--ntk-energy with a stochastic or preconditioned optimiser is a one-line error naming the flag, exit 2', async () => {
    const r = await run([...small, '--optimizer', 'adam', '--ntk-energy']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^nnsym: error: --ntk-energy: .*--optimizer gd or flow/m);
    const a = await run([...small, '--augment', 'sign-flip', '--ntk-energy']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--ntk-energy: .*drop --augment/);
  });
});

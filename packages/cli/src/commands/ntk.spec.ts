import { main } from '../main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nnsym', '--backend', 'cpu', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('nnsym kernel / ntk (end to end through main)', () => {
  it('kernel --json: gauss-net closed form σ_b² + σ_w² exp(−σ_w²|x−x\'|²/2)', async () => {
    const r = await run(['kernel', '--arch', 'gauss-net', '--inputs', '[0, 1]', '--sigma-w', '1.5', '--sigma-b', '0.5', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.kernel[0][1]).toBeCloseTo(0.25 + 2.25 * Math.exp(-2.25 / 2), 12);
    expect(j.method).toBe('closed-form');
    expect(j.nnsym.precision).toMatch(/float64/);
  });

  it('ntk --json analytic: one hidden relu layer, unit inputs at 90°, σ_w = √2, σ_b = 0 gives Θ = 1/π and K = 1/π', async () => {
    // γ = π/2: K = (sin γ + (π − γ) cos γ)/π = 1/π, Θ = (sin γ + 2(π − γ) cos γ)/π = 1/π.
    const r = await run(['ntk', '--arch', 'relu-net', '--inputs', '[[1,0],[0,1]]', '--sigma-w', String(Math.SQRT2), '--sigma-b', '0', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ntk[0][1]).toBeCloseTo(1 / Math.PI, 12);
    expect(j.nngp[0][1]).toBeCloseTo(1 / Math.PI, 12);
    expect(j.ntk[0][0]).toBeCloseTo(2, 12);
  });

  it('ntk --json empirical: ensemble mean within 4 SE of the analytic NTK, with a deviation report', async () => {
    const r = await run(['ntk', '--arch', 'erf-net', '--mode', 'empirical', '--width', '32', '--ensemble', '64', '--inputs', '[[1,0],[0.6,0.8]]', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ensemble).toBe(64);
    expect(j.deviation.ntk.maxAbsZ).toBeLessThan(4);
    expect(j.ntkStderr[0][1]).toBeGreaterThan(0);
  });

  it('bad input: empirical without a width, wrong dimension, unknown arch, standard NTK without width: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['ntk', '--arch', 'relu-net', '--mode', 'empirical', '--inputs', '[0]'], /--mode empirical needs --width/],
      [['ntk', '--arch', 'relu-net', '--mode', 'empirical', '--width', '4', '--d-in', '2', '--inputs', '[0, 1]'], /--inputs: points have dimension 1 but the architecture has d_in = 2/],
      [['kernel', '--arch', 'relu-nt', '--inputs', '[0]'], /unknown architecture "relu-nt" \(did you mean "relu-net"\?\)/],
      [['ntk', '--arch', 'relu-net', '--parameterization', 'standard', '--inputs', '[0]'], /pass --width N/],
      [['ntk', '--arch', 'relu-net', '--depth', '3', '--inputs', '[0]'], /exactly 1 hidden layer/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n').filter((l) => l.startsWith('nnsym: error')).length).toBe(1);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});

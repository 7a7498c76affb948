/**
 * Ctrl-C on the long commands (audit row L12): a real SIGINT or SIGTERM sent to `bin/nnsym.js` in a child process
 * mid-computation. Each command stops at its next safe point, prints the "interrupted" line, writes what it computed
 * to --out marked incomplete (`nnsym.complete: false`), and exits 130.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptChild, runChild } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'nnsym-int-'));
const p = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
jest.setTimeout(400_000);

/** Read an --out file and check it is marked incomplete. */
function partialFile(path: string): Record<string, unknown> & { nnsym: { complete?: boolean } } {
  const j = JSON.parse(readFileSync(path, 'utf8'));
  expect(j.nnsym.complete).toBe(false);
  return j;
}

describe('noether', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s mid-training keeps the charges so far in --out and exits 130', async (sig) => {
    const out = p(`noether-${sig}.json`);
    const r = await interruptChild(['noether', '--arch', 'relu-net', '--width', '16', '--steps', '100000000', '--progress', '--out', out], /noether gd lr=0\.01 .*\d+\/100000000 steps/, sig);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain(`noether: interrupted (${sig}); stopping`);
    expect(r.stderr).toMatch(new RegExp(`noether: interrupted after \\d+ of 100000000 steps; the partial result \\(marked incomplete\\) is in ${out.replace(/[.]/g, '\\.')}`));
    expect(r.stdout).toMatch(/INTERRUPTED after \d+ of 100000000 steps/);
    const j = partialFile(out) as unknown as { complete: boolean; stepsDone: number; steps: number; trace: { step: number }[]; quantities: { conserved: boolean }[] };
    expect(j.complete).toBe(false);
    expect(j.stepsDone).toBeGreaterThan(0);
    expect(j.stepsDone).toBeLessThan(j.steps);
    expect(j.trace[j.trace.length - 1].step).toBe(j.stepsDone);
    expect(j.quantities.filter((q) => q.conserved)).toHaveLength(16); // one rescaling charge per hidden unit
  });
});

describe.each([
  ['kernel', ['kernel', '--arch', 'mlp', '--activation', 'gelu', '--depth', '4']],
  ['ntk', ['ntk', '--arch', 'mlp', '--activation', 'gelu', '--depth', '4']],
])('%s (analytic)', (cmd, args) => {
  it('SIGINT mid-kernel writes the rows done (the rest null) and exits 130', async () => {
    const out = p(`${cmd}.json`);
    const r = await interruptChild([...args, '--inputs', 'normal:1200', '--d-in', '2', '--progress', '--out', out], new RegExp(`${cmd} .*\\d+/1200 rows`));
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain(`${cmd}: interrupted (SIGINT); stopping after the current block of rows`);
    expect(r.stderr).toMatch(new RegExp(`${cmd}: interrupted after \\d+ of 1200 rows; the partial result \\(marked incomplete\\) is in `));
    expect(r.stdout).toMatch(/INTERRUPTED after \d+ of 1200 rows/);
    const j = partialFile(out) as unknown as { rowsDone: number; kernel?: (number | null)[][]; nngp?: (number | null)[][]; ntk?: (number | null)[][] };
    const K = (j.kernel ?? j.nngp)!;
    expect(j.rowsDone).toBeGreaterThan(0);
    expect(j.rowsDone).toBeLessThan(1200);
    expect(K).toHaveLength(1200);
    // Rows (and by symmetry columns) below rowsDone are numbers; the rest of the matrix was not computed.
    const last = j.rowsDone - 1;
    expect(K[last].every((v) => typeof v === 'number')).toBe(true);
    expect(K[1199][last]).toBe(K[last][1199]);
    expect(K[1199][1199]).toBeNull();
    if (j.ntk) expect(j.ntk[1199][1199]).toBeNull();
  });
});

describe('meanfield', () => {
  it('SIGINT during a scheme finishes it, keeps the schemes done and exits 130', async () => {
    const out = p('meanfield.json');
    const r = await interruptChild(['meanfield', '--steps', '4000', '--width', '100', '--out', out], /meanfield: N=100 vanilla: risk/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('meanfield: interrupted (SIGINT); finishing the current scheme');
    expect(r.stderr).toMatch(/meanfield: interrupted; the partial result \(marked incomplete\) is in /);
    expect(r.stdout).toMatch(/\(not run: interrupted\)/);
    const j = partialFile(out) as unknown as { complete: boolean; rows: { schemes: Record<string, unknown> }[] };
    expect(j.complete).toBe(false);
    const done = Object.keys(j.rows[0].schemes);
    expect(done).toContain('vanilla');
    expect(done.length).toBeLessThan(4);
  });
});

/** The result fields of a `--json` / `--out` envelope (without the provenance block, which records time and argv). */
function resultFields(j: Record<string, unknown>): Record<string, unknown> {
  const { nnsym: _n, ...rest } = j;
  return rest;
}

describe('symmetry (one group)', () => {
  const base = ['symmetry', '--d-out', '3', '--inputs', '[1]', '--group', 'so'];
  it('SIGINT between chunks writes the test of the networks done with the ensemble partial; --checkpoint FILE --resume then equals an uninterrupted run', async () => {
    const out = p('symmetry-core.json');
    const args = [...base, '--ensemble', '60000'];
    const r = await interruptChild([...args, '--progress', '--out', out], /symmetry .*\d+\/60000 networks/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('symmetry: interrupted (SIGINT); stopping after the current chunk of networks');
    expect(r.stderr).toMatch(new RegExp(`symmetry: interrupted after \\d+ of 60000 networks; the partial result \\(marked incomplete\\) is in ${out.replace(/[.]/g, '\\.')}; continue with --checkpoint`));
    const j = partialFile(out) as unknown as { complete: boolean; networksDone: number; networksPlanned: number; networks: number; verdict: string | null; partial: { done: number[]; spec: { chunkSize: number }; networks: number } };
    expect(j.complete).toBe(false);
    expect(j.networksPlanned).toBe(60000);
    expect(j.networksDone).toBeGreaterThan(0);
    expect(j.networksDone).toBeLessThan(60000);
    expect(j.partial.networks).toBe(j.networksDone);
    // Whole chunks only (the safe point), in the seed order of an uninterrupted run: chunks 0..k-1.
    expect(j.partial.done).toEqual(j.partial.done.map((_, i) => i));
    expect(j.networksDone).toBe(j.partial.done.length * j.partial.spec.chunkSize);
    if (j.verdict !== null) expect(j.networks).toBe(j.networksDone);
    // The kept chunks are the uninterrupted run's: resuming from the file gives its result, field for field.
    const [resumed, full] = await Promise.all([runChild([...args, '--checkpoint', out, '--resume', '--json']), runChild([...args, '--json'])]);
    expect(resumed.code).toBe(0);
    expect(full.code).toBe(0);
    expect(resultFields(JSON.parse(resumed.stdout))).toEqual(resultFields(JSON.parse(full.stdout)));
  });

  it('SIGTERM to the float64 reference engine keeps the test of the networks done, equal to an uninterrupted run of that many networks', async () => {
    const out = p('symmetry-ref.json');
    const args = [...base, '--engine', 'reference', '--width', '50'];
    // Signalled once 2000 networks are in (not on the first chunk's line), so the kept test has the full 120 components.
    const r = await interruptChild([...args, '--ensemble', '4000000', '--progress', '--out', out], /symmetry .*\b([2-9]\d{3}|\d{5,})\/4000000 networks/, 'SIGTERM');
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('symmetry: interrupted (SIGTERM); stopping after the current chunk of networks');
    expect(r.stderr).toMatch(/symmetry: interrupted after \d+ of 4000000 networks; the partial result \(marked incomplete\) is in /);
    const j = partialFile(out) as unknown as Record<string, unknown> & { networksDone: number; networks: number };
    expect(j.networksDone % 1000).toBe(0); // the reference evaluator's chunks of 1000 networks
    expect(j.networks).toBe(j.networksDone);
    // Chunks are seeded by index and the design by the seed alone (max components min(120, M/10) = 120 for both).
    expect(j.networksDone).toBeGreaterThanOrEqual(1200);
    const full = await runChild([...args, '--ensemble', String(j.networksDone), '--json']);
    expect(full.code).toBe(0);
    const { complete: _c, networksDone: _d, networksPlanned: _p, note: _n, ...kept } = resultFields(j);
    expect(kept).toEqual(resultFields(JSON.parse(full.stdout)));
  });
});

describe('ntk --widths (empirical sweep)', () => {
  it('SIGINT during a width finishes it and keeps the widths done, each equal to an uninterrupted run of that width', async () => {
    const out = p('ntk-widths.json');
    const args = ['ntk', '--arch', 'mlp', '--depth', '1', '--activation', 'relu', '--mode', 'empirical', '--ensemble', '200', '--inputs', 'normal:6', '--d-in', '3'];
    // The bar shows the networks of the width in progress: the first networks of N=48 mean N=32 is done.
    const r = await interruptChild([...args, '--widths', '32,48,64,80,96,112', '--progress', '--out', out], /\d+\/200 networks \(N=48\)/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('ntk: interrupted (SIGINT); finishing the current run');
    expect(r.stderr).toMatch(/ntk: interrupted: \d of 6 runs done; the partial result \(marked incomplete\) is in .*; continue with --resume-from /);
    const j = partialFile(out) as unknown as { complete: boolean; runs: { index: number; width: number }[]; missingWidths: number[] };
    expect(j.complete).toBe(false);
    expect(j.runs.length).toBeGreaterThanOrEqual(2);
    expect(j.runs.length).toBeLessThan(6);
    expect(j.runs.map((x) => x.width)).toEqual([32, 48, 64, 80, 96, 112].slice(0, j.runs.length));
    expect(j.missingWidths).toEqual([32, 48, 64, 80, 96, 112].slice(j.runs.length));
    const one = await runChild([...args, '--widths', '32', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).runs[0]).toEqual(j.runs[0]);
  });
});

describe('ntk-drift', () => {
  it('SIGTERM stops the training run in progress, drops its width and keeps the widths finished (equal to an uninterrupted run)', async () => {
    const out = p('ntk-drift.json');
    const args = ['ntk-drift', '--d-in', '4', '--limit-train', '64', '--probe', '4', '--steps', '400', '--every', '10'];
    const r = await interruptChild([...args, '--widths', '16,32,64', '--out', out], /N=32 step \d+: drift/, 'SIGTERM');
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('ntk-drift: interrupted (SIGTERM); stopping the current training run');
    expect(r.stderr).toMatch(/ntk-drift: interrupted after 1 of 3 widths; the partial result \(marked incomplete\) is in /);
    const j = partialFile(out) as unknown as { rows: { width: number }[]; missingWidths: number[]; slope: number | null };
    expect(j.rows.map((x) => x.width)).toEqual([16]);
    expect(j.missingWidths).toEqual([32, 64]);
    expect(j.slope).toBeNull(); // one width: no slope (NaN in JSON)
    const one = await runChild([...args, '--widths', '16', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).rows[0]).toEqual(j.rows[0]);
  });
});

describe('compare (--a/--b activations files)', () => {
  it('SIGINT between comparisons keeps the (layer, metric) values done, equal to an uninterrupted run', async () => {
    // Two random activations files: 4 layers of 1200 samples x 40 units (seeded LCG, no dependence on the code).
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const file = (name: string) => {
      const layers = Array.from({ length: 4 }, () => Array.from({ length: 1200 }, () => Array.from({ length: 40 }, rnd)));
      writeFileSync(p(name), JSON.stringify({ layers }));
      return p(name);
    };
    const a = file('acts-a.json');
    const b = file('acts-b.json');
    const out = p('compare.json');
    const r = await interruptChild(['compare', '--a', a, '--b', b, '--metric', 'all', '--progress', '--out', out], /compare .*2\/16 comparisons/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('compare: interrupted (SIGINT); finishing the current comparison');
    expect(r.stderr).toMatch(/compare: interrupted after \d+ of 16 comparisons; the partial result \(marked incomplete\) is in /);
    const j = partialFile(out) as unknown as { layers: { layer: number; values: Record<string, number> }[]; missing: { layer: number; metric: string }[] };
    const done = j.layers.reduce((n, l) => n + Object.keys(l.values).length, 0);
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done + j.missing.length).toBe(16);
    const full = await runChild(['compare', '--a', a, '--b', b, '--metric', 'all', '--json']);
    expect(full.code).toBe(0);
    const ref = JSON.parse(full.stdout) as { layers: { layer: number; values: Record<string, number> }[] };
    for (const l of j.layers) for (const [m, v] of Object.entries(l.values)) expect(v).toBe(ref.layers[l.layer].values[m]);
  });
});

describe('intertwiners --all', () => {
  it('SIGINT between activations keeps the activations done, each equal to an uninterrupted run', async () => {
    const out = p('intertwiners.json');
    const args = ['--width', '40', '--fit-inputs', '4000'];
    const r = await interruptChild(['intertwiners', '--all', ...args, '--progress', '--out', out], /intertwiners .*1\/\d+ activations/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('intertwiners: interrupted (SIGINT); finishing the current activation');
    expect(r.stderr).toMatch(/intertwiners: interrupted after \d+ of \d+ activations; the partial result \(marked incomplete\) is in /);
    const j = partialFile(out) as unknown as { activations: { activation: string }[]; missingActivations: string[] };
    expect(j.activations.length).toBeGreaterThanOrEqual(1);
    expect(j.missingActivations.length).toBeGreaterThanOrEqual(1);
    const id = j.activations[0].activation;
    const one = await runChild(['intertwiners', '--activation', id, ...args, '--json']);
    expect(one.code).toBe(0);
    expect(resultFields(JSON.parse(one.stdout))).toEqual(j.activations[0]);
  });
});

describe('symmetry --calibrate', () => {
  it('SIGINT finishes the current case and keeps the cases done, equal to an uninterrupted battery', async () => {
    const out = p('calibrate.json');
    const args = ['symmetry', '--calibrate', 'ci', '--repeats', '10', '--engine', 'reference'];
    const r = await interruptChild([...args, '--progress', '--out', out], /calibrate .*1\/3 cases/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('symmetry: interrupted (SIGINT); finishing the current calibration case');
    expect(r.stderr).toMatch(/symmetry: interrupted after [12] of 3 calibration cases; the partial result \(marked incomplete\) is in /);
    const j = partialFile(out) as unknown as { cases: Record<string, unknown>[]; missingCases: string[] };
    expect(j.cases.length + j.missingCases.length).toBe(3);
    const full = await runChild([...args, '--json']);
    expect(full.code).toBe(0);
    const ref = JSON.parse(full.stdout) as { cases: Record<string, unknown>[] };
    const noTime = ({ seconds: _s, ...rest }: Record<string, unknown>) => rest;
    expect(j.cases.map(noTime)).toEqual(ref.cases.slice(0, j.cases.length).map(noTime));
    expect(j.missingCases).toEqual(ref.cases.slice(j.cases.length).map((k) => k['id']));
  });
});

describe('ntk-symmetry (empirical)', () => {
  it('SIGTERM between chunks keeps the test of the networks done, equal to an uninterrupted run of that many networks', async () => {
    const out = p('ntk-symmetry.json');
    const args = ['ntk-symmetry', '--arch', 'relu-net', '--mode', 'empirical', '--width', '256', '--group', 'translations', '--inputs', 'normal:3', '--d-in', '3'];
    const child = interruptChild([...args, '--ensemble', '100000', '--progress', '--out', out], /ntk-symmetry .*\d+\/100000 networks/, 'SIGTERM');
    const r = await child;
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('ntk-symmetry: interrupted (SIGTERM); stopping after the current chunk of networks');
    expect(r.stderr).toMatch(/ntk-symmetry: interrupted after \d+ of 100000 networks; the partial result \(marked incomplete\) is in |ntk-symmetry: interrupted after too few networks for a test/);
    const j = partialFile(out) as unknown as Record<string, unknown> & { networks?: number; verdict: string | null };
    if (j.verdict === null) return; // stopped before the first chunks could be tested (a very loaded machine)
    expect((j.networks as number) % 32).toBe(0); // chunks of 32 networks, seeded by index
    const one = await runChild([...args, '--ensemble', String(j.networks), '--json']);
    expect(one.code).toBe(0);
    const { complete: _c, networksPlanned: _p, note: _n, ...kept } = resultFields(j);
    expect(kept).toEqual(resultFields(JSON.parse(one.stdout)));
  });
});

describe('demo', () => {
  it('SIGINT finishes the current step, writes its result and the report of the steps done (marked incomplete)', async () => {
    const dir1 = p('demo-int');
    const dir2 = p('demo-full');
    const r = await interruptChild(['demo', '--quick', '--json', '--out', dir1], /demo \[2\/4\]/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('demo: interrupted (SIGINT); finishing the current step');
    expect(r.stderr).toMatch(/demo: interrupted after 2 of 4 steps; the partial report \(marked incomplete\) is in /);
    const j = JSON.parse(r.stdout) as { nnsym: { complete?: boolean }; complete: boolean; steps: { id: string; headline: string }[] };
    expect(j.nnsym.complete).toBe(false);
    expect(j.complete).toBe(false);
    expect(readFileSync(join(dir1, 'report.html'), 'utf8')).toContain('INCOMPLETE: interrupted after 2 of 4 steps');
    expect(existsSync(join(dir1, '1-correlators.json'))).toBe(true);
    expect(existsSync(join(dir1, '4-train.jsonl'))).toBe(false);
    const full = await runChild(['demo', '--quick', '--json', '--out', dir2]);
    expect(full.code).toBe(0);
    const ref = JSON.parse(full.stdout) as { steps: { id: string; headline: string }[] };
    expect(j.steps.map((s) => [s.id, s.headline])).toEqual(ref.steps.slice(0, j.steps.length).map((s) => [s.id, s.headline]));
  });
});

describe('stitch', () => {
  it('SIGINT finishes the stitch in training and keeps the stitches done, equal to an uninterrupted run', async () => {
    const small = ['--dataset', 'teacher-student', '--hidden', '16', '--limit-train', '600', '--limit-test', '200', '--epochs', '1'];
    const dirs = [p('stitch-a'), p('stitch-b')];
    const trained = await Promise.all(dirs.map((d, i) => runChild(['--seed', String(i + 1), 'train', ...small, '--checkpoint', d])));
    expect(trained.map((t) => t.code)).toEqual([0, 0]);
    const out = p('stitch.json');
    const args = ['stitch', '--a', dirs[0], '--b', dirs[1], '--kind', 'all', '--epochs', '6', '--limit-train', '600'];
    const r = await interruptChild([...args, '--progress', '--out', out], /stitch .*1\/5 stitches/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('stitch: interrupted (SIGINT); finishing the current stitch');
    expect(r.stderr).toMatch(/stitch: interrupted after \d of 5 stitches; the partial result \(marked incomplete\) is in /);
    const j = partialFile(out) as unknown as { results: { kind: string }[]; missing: { kind: string }[]; summary: { kind: string }[] };
    expect(j.results.length).toBeGreaterThanOrEqual(1);
    expect(j.results.length + j.missing.length).toBe(5);
    expect(j.summary.map((s) => s.kind)).toEqual(j.results.map((x) => x.kind));
    const full = await runChild([...args, '--json']);
    expect(full.code).toBe(0);
    const ref = JSON.parse(full.stdout) as { results: unknown[] };
    expect(j.results).toEqual(ref.results.slice(0, j.results.length));
  });
});

/**
 * Ctrl-C on the long commands (audit row L12): a real SIGINT or SIGTERM sent to `bin/nnsym.js` in a child process
 * mid-computation. Each command stops at its next safe point, prints the "interrupted" line, writes what it computed
 * to --out marked incomplete (`nnsym.complete: false`), and exits 130.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    const args = [...base, '--ensemble', '100000'];
    const r = await interruptChild([...args, '--progress', '--out', out], /symmetry .*\d+\/100000 networks/);
    expect(r.sent).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('symmetry: interrupted (SIGINT); stopping after the current chunk of networks');
    expect(r.stderr).toMatch(new RegExp(`symmetry: interrupted after \\d+ of 100000 networks; the partial result \\(marked incomplete\\) is in ${out.replace(/[.]/g, '\\.')}; continue with --checkpoint`));
    const j = partialFile(out) as unknown as { complete: boolean; networksDone: number; networksPlanned: number; networks: number; verdict: string | null; partial: { done: number[]; spec: { chunkSize: number }; networks: number } };
    expect(j.complete).toBe(false);
    expect(j.networksPlanned).toBe(100000);
    expect(j.networksDone).toBeGreaterThan(0);
    expect(j.networksDone).toBeLessThan(100000);
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
    const r = await interruptChild([...args, '--ensemble', '4000000', '--progress', '--out', out], /symmetry .*\d+\/4000000 networks/, 'SIGTERM');
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

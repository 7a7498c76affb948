/**
 * Past one machine (issue 19): the cluster recipes in examples/slurm/ run end to end on a real Slurm, faults
 * included. The set-up installs Debian's slurm-wlm and munge when missing (as root) and starts a single-node
 * cluster on localhost (tools/test/support/slurm-cluster.ts: munged + slurmctld + slurmd with a generated
 * slurm.conf in a temporary directory); the tear-down kills those daemons by PID and removes the directory.
 *
 * What is checked, with the real CLI (packages/cli/bin/nnsym.js):
 * 1. examples/slurm/submit.sh submits a 4-task correlators array and its dependent merge job;
 * 2. one task is cancelled mid-run with `scancel` once its checkpoint holds some but not all of its chunks;
 * 3. that task is resubmitted alone (`sbatch --array=2`), and its log shows that it resumed from the checkpoint
 *    with networks already done; a new merge job depends on it;
 * 4. the merged result equals one unsharded run to float64 rounding (relative 1e-12 of each statistic's scale,
 *    as in shards.spec.ts: the networks are the same, only the order of the Chan merges differs; a lost or doubled
 *    chunk moves estimates by O(1/M) = 1e-6 relative or more), and a single shard differs from it by Monte-Carlo
 *    noise (the comparison can fail).
 *
 * It needs root and apt (or preinstalled Slurm binaries), and runs only under CI=true or NNSYM_SLURM_TEST=1 (about a
 * minute on a 2-core machine). Where Slurm cannot be had, the tests are reported as skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maxRelDiff, readResult, type CorrelatorResultFile } from './support/correlator-results';
import { findOrInstallSlurm, startCluster, type LocalCluster } from './support/slurm-cluster';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'packages', 'cli', 'bin', 'nnsym.js');
const examples = path.join(root, 'examples', 'slurm');
const wanted = process.env.CI === 'true' || process.env.NNSYM_SLURM_TEST === '1';
const why = wanted ? findOrInstallSlurm() : 'runs only with CI=true or NNSYM_SLURM_TEST=1';
if (why) process.stderr.write(`slurm.spec: SKIPPED: ${why}\n`);
const maybe = why ? describe.skip : describe;

// 40 chunks of 30000 networks; 4 shards of 10 chunks, so a shard takes a few seconds and can be cancelled mid-run.
const ARGS = '--arch erf-net --width 10 --inputs [-1,0,1] --ensemble 1200000 --chunk 30000 --orders 2,4 --seed 11';
const SHARDS = 4;
// A small init-symmetry grid: 2 seeds x (baseline + k=4, mu=0.1) = 4 training runs of 1 epoch on 400 examples.
const GRID = '--epochs 1 --seeds 2 --k 4 --mu 0.1 --losses mse-onehot --limit-train 400';
interface Grid {
  complete?: boolean;
  runs: { loss: string; k: number; mu: number; seed: number; bestTestAccuracy: number; testAccuracyByEpoch: number[]; error?: string }[];
  cells: { k: number; mu: number; runs: number; bestTestAccuracy: number; deltaVsBaseline: number }[];
}
// An NTK width sweep (3 widths, 6 networks each) as an array of 2 tasks through sweep-array.sbatch (runs j ≡ i mod 2).
const SWEEP = '--arch relu-net --mode empirical --widths 8,16,32 --ensemble 6 --inputs [[1,0],[0.6,0.8]] --d-in 2 --seed 1';
const byKey = (g: Grid) => [...g.runs].sort((a, b) => `${a.k}|${a.mu}|${a.seed}`.localeCompare(`${b.k}|${b.mu}|${b.seed}`));
const VICTIM = 2;

type Result = CorrelatorResultFile;
const read = readResult;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

maybe('Slurm job arrays end to end (single-node cluster on localhost)', () => {
  let cluster: LocalCluster;
  let work: string;
  let out: string;
  let env: NodeJS.ProcessEnv;
  let full: Result;
  let merged: Result;
  let resumedLog = '';
  let cancelledAt = -1;
  let sweepFull: Record<string, unknown>;
  let sweepMerged: Record<string, unknown>;
  let sweepPieces: Record<string, unknown>[];
  let gridFull: Grid;
  let gridMerged: Grid;
  let gridPieces: Grid[];
  const log: string[] = [];
  const say = (s: string) => {
    log.push(s);
    process.stderr.write(`slurm.spec: ${s}\n`);
  };

  /** Wait until every job id has left the queue; returns their final states from scontrol (MinJobAge keeps them). */
  async function waitJobs(ids: string[], ms = 120_000): Promise<Record<string, string>> {
    const t0 = Date.now();
    for (;;) {
      const q = cluster.slurm('squeue', ['-h', '-o', '%i %T']).trim();
      const pending = q ? q.split('\n').filter((l) => ids.some((id) => l.startsWith(id))) : [];
      if (pending.length === 0) break;
      if (Date.now() - t0 > ms) throw new Error(`jobs still queued after ${ms} ms:\n${q}`);
      await sleep(500);
    }
    const states: Record<string, string> = {};
    for (const id of ids) {
      const s = cluster.slurm('scontrol', ['show', 'job', '-o', id]);
      for (const line of s.trim().split('\n')) {
        const jid = /JobId=(\d+)/.exec(line)?.[1];
        const task = /ArrayTaskId=(\d+)/.exec(line)?.[1];
        const state = /JobState=(\w+)/.exec(line)?.[1] ?? '?';
        states[task !== undefined ? `${id}_${task}` : (jid ?? id)] = state;
      }
    }
    return states;
  }

  beforeAll(async () => {
    expect(fs.existsSync(path.join(root, 'packages', 'cli', 'dist', 'main.js'))).toBe(true);
    cluster = await startCluster(2);
    say(`cluster up in ${cluster.dir} (munged ${cluster.pids.munged}, slurmctld ${cluster.pids.slurmctld}, slurmd ${cluster.pids.slurmd})`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nnsym-slurm-run-'));
    out = path.join(work, 'run');
    env = { ...cluster.env, SHARDS: String(SHARDS), OUT: out, NNSYM_ARGS: ARGS, NNSYM: `${process.execPath} ${cli}` };

    // The reference: one unsharded run, outside Slurm.
    execFileSync(process.execPath, [cli, 'correlators', ...ARGS.split(' '), '--out', path.join(work, 'full.json'), '-q'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
    full = read(path.join(work, 'full.json'));

    // 1. The array and its dependent merge, through the recipe.
    const ids = execFileSync(path.join(examples, 'submit.sh'), [], { cwd: work, env, encoding: 'utf8' }).trim();
    const m = /array (\d+) merge (\d+)/.exec(ids);
    if (!m) throw new Error(`submit.sh printed "${ids}"`);
    const [, array, merge] = m;
    say(`submitted array job ${array} (${SHARDS} tasks) and merge job ${merge} (afterok:${array})`);

    // 2. Cancel one task once its checkpoint holds part of its shard.
    const ck = path.join(out, `ck-${VICTIM}.json`);
    const t0 = Date.now();
    for (;;) {
      if (fs.existsSync(ck)) {
        try {
          const p = JSON.parse(fs.readFileSync(ck, 'utf8')) as { networks: number; done: number[] };
          if (p.done.length >= 1) {
            cancelledAt = p.networks;
            break;
          }
        } catch {
          /* being replaced (atomic rename): read again */
        }
      }
      if (Date.now() - t0 > 90_000) throw new Error(`no checkpoint of task ${VICTIM} after 90 s`);
      await sleep(100);
    }
    cluster.slurm('scancel', [`${array}_${VICTIM}`]);
    say(`scancel ${array}_${VICTIM} with ${cancelledAt} networks in its checkpoint`);
    const first = await waitJobs([array]);
    say(`array states: ${JSON.stringify(first)}`);
    expect(first[`${array}_${VICTIM}`]).toBe('CANCELLED');
    // The old merge can never run now (afterok on a cancelled task): cancel it, as a user would.
    cluster.slurm('scancel', [merge]);

    // 3. Resubmit the cancelled task alone, and a merge after it.
    const sbatch = (args: string[]) => execFileSync('sbatch', args, { cwd: work, env, encoding: 'utf8' }).trim();
    const again = sbatch(['--parsable', `--array=${VICTIM}`, '--export=ALL', path.join(examples, 'correlators-array.sbatch')]);
    const merge2 = sbatch(['--parsable', `--dependency=afterok:${again}`, '--export=ALL', path.join(examples, 'merge.sbatch')]);
    say(`resubmitted task ${VICTIM} as job ${again}, merge job ${merge2}`);
    const second = await waitJobs([again, merge2], 60_000).catch((e) => {
      const logs = fs.readdirSync(work).filter((f) => f.endsWith(".log")).map((f) => `--- ${f}\n${fs.readFileSync(path.join(work, f), "utf8")}`);
      throw new Error(`${(e as Error).message}\n${logs.join("\n")}`);
    });
    say(`states: ${JSON.stringify(second)}`);
    expect(Object.values(second).every((s) => s === 'COMPLETED')).toBe(true);
    const logFile = fs.readdirSync(work).find((f) => f.startsWith(`nnsym-corr-${again}_${VICTIM}`));
    resumedLog = logFile ? fs.readFileSync(path.join(work, logFile), 'utf8') : '';
    merged = read(path.join(out, 'merged.json'));
    say(`merged ${merged.networks} networks`);

    // 5. An experiment grid as an array of 2 tasks (runs j ≡ i mod 2) and its merge, against one unsharded grid.
    execFileSync(process.execPath, [cli, 'experiment', 'init-symmetry', ...GRID.split(' '), '--out', path.join(work, 'grid-full.json'), '-q'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
    gridFull = JSON.parse(fs.readFileSync(path.join(work, 'grid-full.json'), 'utf8')) as Grid;
    const genv = { ...env, SHARDS: '2', EXPERIMENT: 'init-symmetry', NNSYM_ARGS: GRID };
    const garray = execFileSync('sbatch', ['--parsable', '--array=0-1', '--export=ALL', path.join(examples, 'experiment-array.sbatch')], { cwd: work, env: genv, encoding: 'utf8' }).trim();
    const gmerge = execFileSync('sbatch', ['--parsable', `--dependency=afterok:${garray}`, '--export=ALL', path.join(examples, 'merge-grid.sbatch')], { cwd: work, env: genv, encoding: 'utf8' }).trim();
    say(`submitted grid array ${garray} (2 tasks) and merge ${gmerge}`);
    const gstates = await waitJobs([garray, gmerge], 180_000);
    say(`grid states: ${JSON.stringify(gstates)}`);
    expect(Object.values(gstates).every((st) => st === 'COMPLETED')).toBe(true);
    gridPieces = [0, 1].map((i) => JSON.parse(fs.readFileSync(path.join(out, `grid-${i}.json`), 'utf8')) as Grid);
    gridMerged = JSON.parse(fs.readFileSync(path.join(out, 'grid-merged.json'), 'utf8')) as Grid;

    // 6. A width sweep (run-index grid) as an array of 2 tasks and its merge, against one unsharded sweep.
    execFileSync(process.execPath, [cli, 'ntk', ...SWEEP.split(' '), '--out', path.join(work, 'sweep-full.json'), '-q'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    sweepFull = JSON.parse(fs.readFileSync(path.join(work, 'sweep-full.json'), 'utf8'));
    const senv = { ...env, SHARDS: '2', OUT: path.join(work, 'sweep'), COMMAND: 'ntk', NNSYM_ARGS: SWEEP };
    const sarray = execFileSync('sbatch', ['--parsable', '--array=0-1', '--export=ALL', path.join(examples, 'sweep-array.sbatch')], { cwd: work, env: senv, encoding: 'utf8' }).trim();
    const smerge = execFileSync('sbatch', ['--parsable', `--dependency=afterok:${sarray}`, '--export=ALL', path.join(examples, 'merge-grid.sbatch')], { cwd: work, env: senv, encoding: 'utf8' }).trim();
    const sstates = await waitJobs([sarray, smerge], 120_000);
    say(`sweep states: ${JSON.stringify(sstates)}`);
    expect(Object.values(sstates).every((st) => st === 'COMPLETED')).toBe(true);
    sweepPieces = [0, 1].map((i) => JSON.parse(fs.readFileSync(path.join(work, 'sweep', `grid-${i}.json`), 'utf8')));
    sweepMerged = JSON.parse(fs.readFileSync(path.join(work, 'sweep', 'grid-merged.json'), 'utf8'));
  }, 400_000);

  afterAll(async () => {
    if (cluster) await cluster.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (cluster) for (const pid of Object.values(cluster.pids)) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('the cancelled task was cancelled mid-run and resumed from its checkpoint', () => {
    expect(cancelledAt).toBeGreaterThan(0);
    expect(cancelledAt).toBeLessThan(300_000); // its shard has 10 chunks of 30000
    const m = /resuming .*ck-2\.json: (\d+) networks in \d+ of \d+ chunks done/.exec(resumedLog);
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(cancelledAt);
    expect(Number(m?.[1])).toBeLessThan(300_000);
  });

  it('merged = unsharded: counts, estimates, standard errors and connected parts to float64 rounding', () => {
    expect(merged.complete).toBe(true);
    expect(merged.networks).toBe(full.networks);
    for (const k of ['2', '4']) {
      expect(maxRelDiff(full.orders[k].estimate, merged.orders[k].estimate)).toBeLessThan(1e-12);
      expect(maxRelDiff(full.orders[k].stderr, merged.orders[k].stderr)).toBeLessThan(1e-12);
      expect(maxRelDiff(full.orders[k].connected, merged.orders[k].connected)).toBeLessThan(1e-12);
    }
  });

  it('a single shard differs from the full run by Monte-Carlo noise (the comparison can fail)', () => {
    const s0 = read(path.join(out, 'shard-0.json'));
    expect(s0.complete).toBe(false);
    expect(maxRelDiff(full.orders['2'].estimate, s0.orders['2'].estimate)).toBeGreaterThan(1e-6);
  });

  it('width sweep: the array pieces hold widths {8, 32} and {16}, and their merge equals the unsharded sweep exactly', () => {
    const widths = (p: Record<string, unknown>) => (p.runs as { width: number }[]).map((r) => r.width);
    expect(sweepPieces.map(widths)).toEqual([[8, 32], [16]]);
    const { nnsym: _a, ...full } = sweepFull;
    const { nnsym: _b, ...mergedSweep } = sweepMerged;
    expect(mergedSweep).toEqual(full);
    expect(widths(full)).toEqual([8, 16, 32]);
  });

  it('experiment grid: the two array pieces are disjoint halves, and their merge equals the unsharded grid exactly', () => {
    expect(gridPieces.map((g) => g.runs.length)).toEqual([2, 2]);
    expect(gridFull.runs.every((r) => !r.error)).toBe(true);
    expect(gridMerged.complete).toBe(true);
    // Same seeds, same backend, one process per run: training is deterministic, so the runs agree bit for bit.
    expect(byKey(gridMerged).map((r) => [r.k, r.mu, r.seed, r.testAccuracyByEpoch])).toEqual(byKey(gridFull).map((r) => [r.k, r.mu, r.seed, r.testAccuracyByEpoch]));
    expect(gridMerged.cells).toEqual(gridFull.cells);
    expect(gridFull.cells.find((c) => c.k === 4)?.runs).toBe(2);
  });
});

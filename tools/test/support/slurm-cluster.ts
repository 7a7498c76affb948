/**
 * A throw-away single-node Slurm cluster on localhost for end-to-end tests: munged, slurmctld and slurmd from
 * Debian's `slurm-wlm` and `munge`, with a generated `slurm.conf` whose ports, state, spool, logs and munge socket
 * all live in one temporary directory, so it touches no system configuration and can run beside a real Slurm.
 *
 * `findOrInstallSlurm()` says why a cluster cannot be had (binaries missing and not installable: not root, no apt,
 * apt failing), so the caller can mark its tests skipped with that reason. `startCluster()` starts the three
 * daemons, waits until the node is idle, and returns `stop()`, which kills every daemon it started by the PID it
 * recorded and removes the directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'sinfo', 'scontrol'];

function which(bin: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(':')]) {
    const p = path.join(dir, bin);
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

/** Undefined when every Slurm/munge binary is present (installing them with apt-get as root if missing); else why not. */
export function findOrInstallSlurm(): string | undefined {
  const missing = () => BINARIES.filter((b) => !which(b));
  if (missing().length === 0) return undefined;
  if (process.getuid?.() !== 0) return `Slurm binaries missing (${missing().join(', ')}) and not root, so cannot apt-get install slurm-wlm munge`;
  if (!which('apt-get')) return `Slurm binaries missing (${missing().join(', ')}) and no apt-get`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', 'slurm-wlm', 'munge'], { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { env, timeout: 300_000 });
    r = spawnSync('apt-get', ['install', '-y', '-qq', 'slurm-wlm', 'munge'], { env, encoding: 'utf8', timeout: 600_000 });
  }
  if (r.status !== 0) return `apt-get install slurm-wlm munge failed: ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`;
  return missing().length === 0 ? undefined : `still missing after apt-get: ${missing().join(', ')}`;
}

/** A free TCP port on 127.0.0.1 (and the next one, for slurmd). */
async function freePortPair(): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (port < 65000) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.createServer();
        s.once('error', () => resolve(false));
        s.listen(port + 1, '127.0.0.1', () => s.close(() => resolve(true)));
      });
      if (ok) return port;
    }
  }
  throw new Error('no free port pair for slurmctld/slurmd');
}

export interface LocalCluster {
  /** Temporary root of the cluster (config, state, logs). */
  dir: string;
  /** Environment for sbatch/squeue/scancel (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  /** PIDs of the daemons this cluster started. */
  pids: { munged: number; slurmctld: number; slurmd: number };
  /** Run a Slurm client command; returns stdout. */
  slurm(bin: string, args: string[]): string;
  /** Kill the daemons by PID (TERM, then KILL), wait for them to go, remove the directory. */
  stop(): Promise<void>;
}

function readPid(file: string, ms: number): number {
  const t0 = Date.now();
  for (;;) {
    try {
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid > 0) return pid;
    } catch {
      /* not yet */
    }
    if (Date.now() - t0 > ms) throw new Error(`no PID file ${file} after ${ms} ms`);
    spawnSync('sleep', ['0.1']);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Start munged + slurmctld + slurmd on localhost with `cpus` CPUs; resolves once the node is idle. */
export async function startCluster(cpus = os.cpus().length): Promise<LocalCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnsym-slurm-'));
  fs.chmodSync(dir, 0o755);
  const d = (...p: string[]) => path.join(dir, ...p);
  for (const sub of ['state', 'spool', 'log', 'munge']) fs.mkdirSync(d(sub), { mode: 0o700 });
  fs.chmodSync(d('munge'), 0o755);
  fs.writeFileSync(d('munge', 'munge.key'), Buffer.from(Array.from({ length: 1024 }, () => Math.floor(Math.random() * 256))), { mode: 0o400 });
  const socket = d('munge', 'munge.socket');
  const started: number[] = [];
  const killAll = async () => {
    for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
      for (const pid of started) if (alive(pid)) process.kill(pid, sig);
      const t0 = Date.now();
      while (started.some(alive) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    execFileSync(which('munged') as string, [`--key-file=${d('munge', 'munge.key')}`, `--socket=${socket}`, `--pid-file=${d('munge', 'munged.pid')}`, `--log-file=${d('log', 'munged.log')}`, `--seed-file=${d('munge', 'munged.seed')}`, '--force'], { stdio: 'pipe' });
    const munged = readPid(d('munge', 'munged.pid'), 5000);
    started.push(munged);
    const port = await freePortPair();
    const conf = d('slurm.conf');
    fs.writeFileSync(
      conf,
      [
        'ClusterName=nnsymtest',
        'SlurmctldHost=localhost',
        'AuthType=auth/munge',
        `AuthInfo=socket=${socket}`,
        'CredType=cred/munge',
        'SlurmUser=root',
        'SlurmdUser=root',
        `SlurmctldPort=${port}`,
        `SlurmdPort=${port + 1}`,
        `StateSaveLocation=${d('state')}`,
        `SlurmdSpoolDir=${d('spool')}`,
        `SlurmctldPidFile=${d('slurmctld.pid')}`,
        `SlurmdPidFile=${d('slurmd.pid')}`,
        `SlurmctldLogFile=${d('log', 'slurmctld.log')}`,
        `SlurmdLogFile=${d('log', 'slurmd.log')}`,
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_Core',
        'ReturnToService=2',
        'MpiDefault=none',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'SchedulerType=sched/backfill',
        'SchedulerParameters=sched_interval=1',
        'KillWait=5',
        'InactiveLimit=0',
        'MinJobAge=600',
        `NodeName=localhost CPUs=${cpus} RealMemory=${Math.floor(os.totalmem() / 2 ** 20 / 2)} State=UNKNOWN`,
        'PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
        '',
      ].join('\n'),
    );
    const env = { ...process.env, SLURM_CONF: conf };
    execFileSync(which('slurmctld') as string, ['-f', conf], { env, stdio: 'pipe' });
    started.push(readPid(d('slurmctld.pid'), 10_000));
    execFileSync(which('slurmd') as string, ['-f', conf], { env, stdio: 'pipe' });
    started.push(readPid(d('slurmd.pid'), 10_000));
    const slurm = (bin: string, args: string[]): string => execFileSync(which(bin) as string, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const t0 = Date.now();
    for (;;) {
      let state = '';
      try {
        state = slurm('sinfo', ['-h', '-o', '%T']).trim();
      } catch {
        /* controller not up yet */
      }
      if (state === 'idle') break;
      if (Date.now() - t0 > 30_000) throw new Error(`Slurm node not idle after 30 s (state "${state}"); logs in ${d('log')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const [mungedPid, ctld, slurmd] = started;
    return {
      dir,
      env,
      pids: { munged: mungedPid, slurmctld: ctld, slurmd },
      slurm,
      stop: async () => {
        await killAll();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await killAll();
    const logs = ['slurmctld.log', 'slurmd.log', 'munged.log']
      .map((f) => d('log', f))
      .filter((f) => fs.existsSync(f))
      .map((f) => `--- ${path.basename(f)}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-10).join('\n')}`)
      .join('\n');
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
}

#!/usr/bin/env node
/**
 * Peak RSS of an ensemble Monte-Carlo run against the ensemble size M (issue 11, "memory flat in M").
 *
 *   node tools/bench/memory.js [--M 10000,100000,1000000] [--width 1000] [--max-seconds 300]
 *
 * Runs the real CLI, `nnsym correlators --arch gauss-net --width W --inputs linspace:-1,1,6 --order 2,4
 * --ensemble M --seed 1 -q`, as a child process per M and polls /proc/<pid>/status every 250 ms: VmHWM (the
 * kernel's peak resident set), and VmRSS at 25, 50, 75 and 95 % of the run (to show it does not grow). A run still going
 * after --max-seconds is stopped and reported as such (its peak so far is still a lower bound).
 * Writes benchmarks/results/memory-<time>.json and prints a markdown table. Linux only (/proc).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const Ms = flag('--M', '10000,100000,1000000').split(',').map(Number);
const width = Number(flag('--width', '1000'));
const maxSeconds = Number(flag('--max-seconds', '300'));
const cli = path.join(root, 'packages', 'cli', 'bin', 'nnsym.js');

function status(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) || [])[1] || 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

function runOne(M) {
  const argv = [cli, 'correlators', '--arch', 'gauss-net', '--width', String(width), '--inputs', 'linspace:-1,1,6', '--order', '2,4', '--ensemble', String(M), '--seed', '1', '-q'];
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const samples = [];
    let hwm = 0;
    let timedOut = false;
    const poll = setInterval(() => {
      const s = status(child.pid);
      if (!s) return;
      hwm = Math.max(hwm, s.hwm);
      samples.push({ t: (Date.now() - t0) / 1000, rssMiB: s.rss / 1024 });
      if ((Date.now() - t0) / 1000 > maxSeconds) {
        timedOut = true;
        child.kill('SIGINT');
      }
    }, 250);
    child.on('exit', (code) => {
      clearInterval(poll);
      const seconds = (Date.now() - t0) / 1000;
      const at = (f) => samples[Math.min(samples.length - 1, Math.floor(f * samples.length))]?.rssMiB ?? NaN;
      resolve({ M, width, command: `nnsym ${argv.slice(1).join(' ')}`, code, timedOut, seconds, peakRssMiB: hwm / 1024, rssQuartersMiB: [0.25, 0.5, 0.75, 0.95].map(at), stderr: err.slice(-400) });
    });
  });
}

(async () => {
  const rows = [];
  for (const M of Ms) {
    const r = await runOne(M);
    rows.push(r);
    process.stderr.write(`memory: M=${M}: peak RSS ${r.peakRssMiB.toFixed(0)} MiB, ${r.seconds.toFixed(1)} s${r.timedOut ? ' (stopped at --max-seconds)' : ''}${r.code ? ` exit ${r.code}` : ''}\n`);
  }
  const result = { time: new Date().toISOString(), machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, loadavg: os.loadavg() }, rows };
  const out = path.join(root, 'benchmarks', 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, `memory-${result.time.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  const lines = [
    `| M | wall s | networks/s | peak RSS (VmHWM) MiB | RSS at 25 / 50 / 75 / 95 % of the run, MiB |`,
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.M.toExponential(0)}${r.timedOut ? ' (stopped)' : ''} | ${r.seconds.toFixed(1)} | ${r.timedOut ? '' : (r.M / r.seconds).toFixed(0)} | ${r.peakRssMiB.toFixed(0)} | ${r.rssQuartersMiB.map((x) => x.toFixed(0)).join(' / ')} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
})();

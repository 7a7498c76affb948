/**
 * Publishability: every @nnsym package passes publint, and `npm pack` of @nnsym/core gives a tarball that a
 * scratch project outside the workspace installs (`npm ci --offline`) and `require`s.
 *
 * Offline install: the scratch project gets a package-lock.json that pins @nnsym/core's dependency closure to the
 * versions in the workspace's own lock (copied entries, with registry tarball URLs added because this repo's
 * .npmrc omits them), so npm takes every tarball from the npm cache the workspace install filled and never asks
 * the registry to resolve a range. If the cache lacks a tarball (ENOTCACHED), the test falls back to unpacking the
 * tarball into the scratch node_modules and resolving its dependencies through NODE_PATH = the workspace's
 * node_modules, which still checks the packed file list and the `exports` map; it says so on stderr.
 *
 * About 20-45 s on a loaded 2-core machine (npm pack + npm ci of 72 packages from the cache + publint packing nine
 * packages), so it runs only in CI (CI=true, set by .ci/run) or with NNSYM_SLOW_TESTS=1. Needs every package's
 * dist: `nx test @nnsym/tools` builds them first (dependsOn in tools/package.json); run alone, it builds what is
 * missing with tsc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const PACKAGES = ['core', 'numerics', 'datasets', 'distributions', 'ntk', 'groups', 'correlators', 'symmetry', 'weight-space', 'viz', 'cli'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The workspace .npmrc / env may hold settings that do not apply to a scratch project; keep npm quiet and local.
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

interface LockEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [k: string]: unknown;
}

/** Node's resolution over lockfile paths: from `from` (e.g. `node_modules/a`), find the entry `name` resolves to. */
function resolveInLock(lock: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('node_modules/');
    base = i > 0 ? base.slice(0, i - 1) : '';
  }
}

/** A lockfile for a project depending only on `tgz`, with the dependency closure pinned to the workspace lock. */
function scratchLock(deps: Record<string, string>, tgzSpec: string, pkg: Record<string, unknown>): object {
  const wsLock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages as Record<string, LockEntry>;
  const out: Record<string, LockEntry> = {};
  const visit = (from: string, names: string[], optional: Set<string>) => {
    for (const name of names) {
      const at = resolveInLock(wsLock, from, name);
      if (!at) {
        if (optional.has(name)) continue;
        throw new Error(`workspace lock has no entry for ${name} (needed by ${from || '@nnsym/core'})`);
      }
      if (out[at]) continue;
      const e = { ...wsLock[at] };
      if (!e.resolved) e.resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${e.version}.tgz`;
      out[at] = e;
      visit(at, [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {})], new Set(Object.keys(e.optionalDependencies ?? {})));
    }
  };
  visit('', Object.keys(deps), new Set());
  return {
    name: 'scratch',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'scratch', version: '1.0.0', dependencies: { '@nnsym/core': tgzSpec } },
      'node_modules/@nnsym/core': {
        version: pkg['version'],
        resolved: tgzSpec.replace(/^file:/, 'file:'),
        license: pkg['license'],
        dependencies: deps,
        peerDependencies: pkg['peerDependencies'],
        peerDependenciesMeta: pkg['peerDependenciesMeta'],
      },
      ...out,
    },
  };
}

function ensureBuilt(pkg: string): void {
  const dir = path.join(root, 'packages', pkg);
  // A package exports `./testing` only when it has an extension point with a conformance suite.
  const hasTesting = Boolean(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).exports?.['./testing']);
  if (!fs.existsSync(path.join(dir, 'dist', 'index.js')) || (hasTesting && !fs.existsSync(path.join(dir, 'dist', 'testing.js')))) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], { cwd: dir, stdio: 'inherit' });
  }
}

const slow = process.env['CI'] === 'true' || process.env['NNSYM_SLOW_TESTS'] === '1';

(slow ? describe : describe.skip)('publishability (CI=true or NNSYM_SLOW_TESTS=1)', () => {
  it('publint finds no errors or warnings in any package', () => {
    for (const p of PACKAGES) ensureBuilt(p);
    const stdout = execFileSync(process.execPath, [path.join(root, 'tools', 'scripts', 'publint-json.mjs'), ...PACKAGES.map((p) => path.join('packages', p))], {
      cwd: root,
      env: npmEnv,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const results = JSON.parse(stdout) as { pkg: string; messages: { type: string; code: string; text: string }[] }[];
    expect(results.map((r) => r.pkg).sort()).toEqual(PACKAGES.map((p) => `@nnsym/${p}`).sort());
    const problems = results.flatMap((r) => r.messages.filter((m) => m.type !== 'suggestion').map((m) => `${r.pkg}: ${m.type} ${m.code}: ${m.text}`));
    expect(problems).toEqual([]);
  }, 150_000);

  describe('npm pack of @nnsym/core installs and imports in a scratch project', () => {
    let tmp: string;
    let scratch: string;
    let method: 'npm ci --offline' | 'unpacked + NODE_PATH';
    let files: string[];

    beforeAll(() => {
      ensureBuilt('core');
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnsym-pack-'));
      const coreDir = path.join(root, 'packages', 'core');
      const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], { cwd: coreDir, env: npmEnv, encoding: 'utf8' })) as {
        filename: string;
        files: { path: string }[];
      }[];
      const tgz = path.join(tmp, packed[0].filename);
      files = packed[0].files.map((f) => f.path);
      scratch = path.join(tmp, 'scratch');
      fs.mkdirSync(scratch);
      const pkg = JSON.parse(fs.readFileSync(path.join(coreDir, 'package.json'), 'utf8'));
      const spec = `file:../${path.basename(tgz)}`;
      fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true, dependencies: { '@nnsym/core': spec } }, null, 2));
      fs.writeFileSync(path.join(scratch, 'package-lock.json'), JSON.stringify(scratchLock(pkg.dependencies, spec, pkg), null, 1));
      const ci = spawnSync(npm, ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: scratch, env: npmEnv, encoding: 'utf8', timeout: 120_000 });
      if (ci.status === 0) {
        method = 'npm ci --offline';
      } else {
        process.stderr.write(`publish.spec: npm ci --offline failed (${(ci.stderr || '').split('\n').find((l) => /npm error code/.test(l)) ?? ci.status}); falling back to unpacking the tarball\n`);
        const dest = path.join(scratch, 'node_modules', '@nnsym', 'core');
        fs.mkdirSync(dest, { recursive: true });
        execFileSync('tar', ['xzf', tgz, '-C', dest, '--strip-components=1']);
        method = 'unpacked + NODE_PATH';
      }
    }, 180_000);

    afterAll(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    const runInScratch = (code: string) =>
      spawnSync(process.execPath, ['-e', code], {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NODE_PATH: method === 'npm ci --offline' ? '' : path.join(root, 'node_modules') },
      });

    it('packs dist (js + d.ts) and package.json, without sources or specs', () => {
      expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/testing.js', 'dist/testing.d.ts']));
      expect(files.filter((f) => f.startsWith('src/') || /\.spec\./.test(f) || f.includes('__fixtures__'))).toEqual([]);
    });

    it('installs outside the workspace (not a symlink to packages/core)', () => {
      const installed = path.join(scratch, 'node_modules', '@nnsym', 'core');
      expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
      expect(fs.realpathSync(installed).startsWith(root)).toBe(false);
      if (method === 'npm ci --offline') expect(fs.existsSync(path.join(scratch, 'node_modules', '@tensorflow', 'tfjs-core'))).toBe(true);
    });

    it('require("@nnsym/core") and its testing entry work; deep imports are blocked', () => {
      const r = runInScratch(`
        const core = require('@nnsym/core');
        const testing = require('@nnsym/core/testing');
        let deep = 'allowed';
        try { require('@nnsym/core/dist/rng/rng'); } catch (e) { deep = e.code; }
        const rng = new core.Rng(7);
        core.initBackend({ backend: 'cpu' }).then((info) => {
          const t = core.tf.tensor1d([1, 2, 3]).sum().dataSync()[0];
          console.log(JSON.stringify({
            resolved: require.resolve('@nnsym/core'),
            version: core.NNSYM_VERSION,
            rng: typeof core.Rng, first: rng.uniform(), conformance: typeof testing.runPluginConformance,
            deep, backend: info.name, sum: t,
          }));
        });
      `);
      // (tfjs prints an advisory banner about tfjs-node on stderr for the cpu backend; only the exit status counts.)
      if (r.status !== 0) throw new Error(`scratch require failed (${method}):\n${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      expect(out.resolved.startsWith(scratch)).toBe(true);
      expect(out.version).toBe(JSON.parse(fs.readFileSync(path.join(root, 'packages', 'core', 'package.json'), 'utf8')).version);
      expect(out.rng).toBe('function');
      expect(out.first).toBe(new (jest.requireActual('@nnsym/core').Rng)(7).uniform());
      expect(out.conformance).toBe('function');
      expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
      expect(out.backend).toBe('cpu');
      expect(out.sum).toBe(6);
    }, 60_000);
  });
});

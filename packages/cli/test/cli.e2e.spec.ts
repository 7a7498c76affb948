/**
 * The `nnsym` bin end to end: spawns `node packages/cli/bin/nnsym.js` (the real bin, running the built dist) in
 * temporary working directories. Needs every package's dist: `nx test @nnsym/cli` builds them first (the test
 * target dependsOn build in packages/cli/package.json); run alone with jest, beforeAll builds whatever dist is
 * missing with tsc, in dependency order.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(root, 'packages', 'cli', 'bin', 'nnsym.js');
const fixture = path.join(root, 'fixtures', 'external-plugin');
const BUILD_ORDER = ['core', 'distributions', 'ntk', 'symmetry', 'viz', 'cli'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function nnsym(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NNSYM_BACKEND: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The one-line error contract: exit 2, a single `nnsym: error: ...` line on stderr, no stack trace. */
function expectUsageError(r: Run, pattern: RegExp): void {
  expect(r.status).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nnsym: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

const listJson = (r: Run) => {
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { plugins: { kind: string; id: string; description: string; version: string }[]; kinds: string[] };
};

describe('nnsym (bin, end to end)', () => {
  let tmp: string;

  beforeAll(() => {
    for (const pkg of BUILD_ORDER) {
      const dir = path.join(root, 'packages', pkg);
      if (!fs.existsSync(path.join(dir, 'dist', 'index.js'))) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], { cwd: dir, stdio: 'inherit' });
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnsym-cli-'));
  }, 300_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const dir = (name: string, config?: unknown) => {
    const d = path.join(tmp, name);
    fs.mkdirSync(d, { recursive: true });
    if (config !== undefined) fs.writeFileSync(path.join(d, 'nnsym.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
    return d;
  };

  it('--help prints usage with the global flags and the list command, exit 0', () => {
    const r = nnsym(['--help'], dir('help'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: nnsym /);
    for (const flag of ['--json', '--seed', '--backend', '--plugin', '--version']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/\n\s+list \[kind\]\s+list registered plugins/);
  });

  it('--version prints the version, exit 0', () => {
    const r = nnsym(['--version'], dir('version'));
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(root, 'packages', 'cli', 'package.json'), 'utf8')).version);
  });

  it('an unknown flag is one line naming it, exit 2, no stack trace', () => {
    expectUsageError(nnsym(['--frobnicate', 'list'], dir('unknown-flag')), /--frobnicate/);
  });

  it('list lists the built-in plugins of every kind with descriptions', () => {
    const out = listJson(nnsym(['list', '--json'], dir('builtins')));
    expect(out.kinds).toEqual(expect.arrayContaining(['activation', 'architecture', 'distribution', 'group-action']));
    const ids = (kind: string) => out.plugins.filter((p) => p.kind === kind).map((p) => p.id);
    expect(ids('architecture')).toEqual(expect.arrayContaining(['gauss-net', 'relu-net', 'mlp']));
    expect(ids('group-action')).toEqual(expect.arrayContaining(['so', 'sym', 'cyclic']));
    expect(ids('architecture')).not.toContain('ext-softsign-net');
    for (const p of out.plugins) expect(p.description.length).toBeGreaterThan(4);
  });

  it('list <unknown-kind> is one line listing the known kinds, exit 2', () => {
    expectUsageError(nnsym(['list', 'architectur'], dir('unknown-kind')), /unknown kind "architectur".*architecture/);
  });

  it('shows the out-of-tree plugins after they are named in nnsym.config.json (absolute and relative paths)', () => {
    const abs = listJson(nnsym(['list', '--json'], dir('config-abs', { plugins: [fixture] })));
    expect(abs.plugins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'architecture', id: 'ext-softsign-net', version: '1.0.0' }),
        expect.objectContaining({ kind: 'group-action', id: 'ext-reversal', version: '1.0.0' }),
      ]),
    );
    const relDir = dir('config-rel');
    fs.writeFileSync(path.join(relDir, 'nnsym.config.json'), JSON.stringify({ plugins: [path.relative(relDir, fixture)] }));
    const rel = listJson(nnsym(['list', 'group-action', '--json'], relDir));
    expect(rel.kinds).toEqual(['group-action']);
    expect(rel.plugins.map((p) => p.id)).toContain('ext-reversal');
    const text = nnsym(['list', 'architecture'], relDir);
    expect(text.stdout).toMatch(/ext-softsign-net\s+one hidden layer with softsign/);
  });

  it('shows them with --plugin <path>, and loads a module named twice only once', () => {
    const d = dir('flag');
    const out = listJson(nnsym(['--plugin', fixture, 'list', '--json'], d));
    expect(out.plugins.map((p) => `${p.kind}/${p.id}`)).toEqual(expect.arrayContaining(['architecture/ext-softsign-net', 'group-action/ext-reversal']));
    const twice = dir('twice', { plugins: [fixture] });
    expect(listJson(nnsym(['--plugin', fixture, 'list', '--json'], twice)).plugins.filter((p) => p.id === 'ext-reversal')).toHaveLength(1);
  });

  it('a command uses the external group action (meanfield --group ext-reversal)', () => {
    const r = nnsym(['--plugin', fixture, '--json', 'meanfield', '--group', 'ext-reversal', '--dim', '4', '--scheme', 'da', '--width', '8', '--steps', '3', '--batch', '4'], dir('use'));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.group).toBe('Rev(4)');
    // Fixed points of coordinate reversal on R^4: palindromic vectors (x0, x1, x1, x0), a 2-dimensional subspace.
    expect(out.fixedPoint).toMatchObject({ dimension: 2, ambient: 4 });
  });

  it('a bad plugin path is one line naming its origin, exit 2', () => {
    expectUsageError(nnsym(['--plugin', './no-such-plugin', 'list'], dir('bad-flag')), /^nnsym: error: --plugin: .*no-such-plugin/);
    expectUsageError(nnsym(['list'], dir('bad-config', { plugins: ['./missing/plugin.js'] })), /nnsym\.config\.json:plugins: .*missing\/plugin\.js/);
    expectUsageError(nnsym(['list'], dir('bad-json', '{ "plugins": [')), /nnsym\.config\.json: invalid JSON/);
    expectUsageError(nnsym(['list'], dir('bad-shape', { plugins: 'x' })), /"plugins" must be an array/);
    const notPlugin = dir('not-plugin');
    fs.writeFileSync(path.join(notPlugin, 'empty.js'), 'module.exports = { hello: 1 };\n');
    expectUsageError(nnsym(['--plugin', './empty.js', 'list'], notPlugin), /exports no register\(host\), plugins array or plugin object/);
  });
});

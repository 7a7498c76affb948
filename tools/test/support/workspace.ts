/**
 * Helpers for the workspace checks in tools/test that need a throw-away copy of the repository or the
 * workspace's dependency graph derived without Nx.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (tools/test/support -> root). */
export const root = path.resolve(__dirname, '..', '..', '..');

/**
 * The environment for a child `nx` in another workspace: every NX_* variable of the parent (a jest run under
 * `nx run-many` inherits NX_TASK_*, NX_WORKSPACE_ROOT, ...) removed, so the child cannot read the parent's
 * workspace, then no daemon, no cloud, no colours.
 */
export function childNxEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NX_')) env[k] = v;
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true', ...extra };
}

/** The nx CLI entry of the workspace install (package.json `bin`). */
export const nxBin = path.join(root, 'node_modules', 'nx', JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'nx', 'package.json'), 'utf8')).bin.nx);

/** A clone of the repository's HEAD commit in a new temp dir, with the workspace's node_modules linked in. */
export interface TempClone {
  dir: string;
  git: (...args: string[]) => string;
  nx: (...args: string[]) => string;
  remove: () => void;
}

/**
 * A node_modules for the clone without an install: a real directory (so the repository's `node_modules/` ignore
 * rule applies) of symlinks to each entry of the workspace's node_modules, except the workspace's own packages
 * (`@nnsym/*`, relative symlinks such as `../../packages/core`), which are re-created with the same relative
 * targets so that they point into the clone. Nx then resolves `import ... from '@nnsym/core'` to the clone's
 * project, and its project graph in the clone is the workspace's.
 */
function linkNodeModules(dir: string): void {
  const src = path.join(root, 'node_modules');
  const dst = path.join(dir, 'node_modules');
  fs.mkdirSync(dst);
  for (const e of fs.readdirSync(src)) {
    const from = path.join(src, e);
    if (e === '@nnsym') {
      fs.mkdirSync(path.join(dst, e));
      for (const p of fs.readdirSync(from)) {
        const link = path.join(from, p);
        const target = fs.lstatSync(link).isSymbolicLink() ? fs.readlinkSync(link) : link;
        if (path.isAbsolute(target)) throw new Error(`node_modules/@nnsym/${p} is not a relative workspace link (${target})`);
        fs.symlinkSync(target, path.join(dst, e, p), 'dir');
      }
    } else {
      fs.symlinkSync(from, path.join(dst, e), fs.statSync(from).isDirectory() ? 'dir' : 'file');
    }
  }
}

/** `git clone` of HEAD (local, hard-linked objects: about a second) plus node_modules linked to the workspace's (linkNodeModules). */
export function cloneHead(prefix: string): TempClone {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dir = path.join(tmp, 'repo');
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', '--no-checkout', root, dir]);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=nnsym-test', '-c', 'user.email=test@nnsym.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  git('checkout', '--quiet', '-B', 'main', head);
  linkNodeModules(dir);
  const nx = (...args: string[]) =>
    execFileSync(process.execPath, [nxBin, ...args], {
      cwd: dir,
      env: childNxEnv(),
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  return { dir, git, nx, remove: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** A workspace project as npm sees it: name, folder, and the @nnsym names it depends on. */
export interface WorkspacePackage {
  name: string;
  dir: string;
  deps: Set<string>;
}

const SCOPE = ['@nnsym', ''].join('/');

/**
 * The workspace's dependency graph without Nx: the root package.json `workspaces` globs (`dir/*` or `dir`), each
 * package's dependencies / devDependencies / peerDependencies / optionalDependencies on workspace names, plus
 * (because @nnsym/tools declares none of the packages its generators and tests load) every `from '@nnsym/x'` /
 * `require('@nnsym/x')` / `import('@nnsym/x')` specifier in its own .ts/.js/.mjs files outside node_modules and dist.
 */
export function workspaceGraph(at: string = root): Map<string, WorkspacePackage> {
  const rootPkg = JSON.parse(fs.readFileSync(path.join(at, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs: string[] = [];
  for (const w of rootPkg.workspaces) {
    if (w.endsWith('/*')) {
      const base = path.join(at, w.slice(0, -2));
      for (const d of fs.readdirSync(base).sort()) if (fs.existsSync(path.join(base, d, 'package.json'))) dirs.push(path.join(base, d));
    } else dirs.push(path.join(at, w));
  }
  const pkgs = new Map<string, WorkspacePackage>();
  const manifests = dirs.map((dir) => ({ dir, json: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }));
  const names = new Set(manifests.map((m) => m.json.name as string));
  for (const { dir, json } of manifests) {
    const deps = new Set<string>();
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const d of Object.keys(json[field] ?? {})) if (names.has(d) && d !== json.name) deps.add(d);
    }
    const spec = new RegExp(`(?:from\\s+|require\\(\\s*|import\\(\\s*)['"](${SCOPE.replace('/', '\\/')}[a-z-]+)(?:/[a-z-]+)?['"]`, 'g');
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'files' || e.name.startsWith('.')) continue;
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|js|mjs|cjs)$/.test(e.name)) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(spec)) if (names.has(m[1]) && m[1] !== json.name) deps.add(m[1]);
        }
      }
    };
    walk(dir);
    pkgs.set(json.name, { name: json.name, dir: path.relative(at, dir), deps });
  }
  return pkgs;
}

/** `changed` and everything that depends on it, directly or transitively, in `graph`. */
export function dependentsClosure(graph: Map<string, WorkspacePackage>, changed: string): string[] {
  const out = new Set([changed]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of graph.values()) {
      if (out.has(p.name)) continue;
      if ([...p.deps].some((d) => out.has(d))) {
        out.add(p.name);
        grew = true;
      }
    }
  }
  return [...out].sort();
}

/** A `{workspaceRoot}/` glob (`*`: one path segment's characters, `**`: any number of segments) as a RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Projects that declare a workspace-level file input (`{workspaceRoot}/...`, directly or through a named input of
 * nx.json) on any of their targets, read from their package.json `nx.targets` and nx.json `targetDefaults`, as
 * project name -> globs relative to the root. Nx counts a change to such a file as touching the project (its
 * tasks read it), which the dependency graph alone does not show: @nnsym/tools' workspace checks read every
 * package's sources and manifest.
 */
export function workspaceInputGlobs(at: string = root): Map<string, string[]> {
  const nxJson = JSON.parse(fs.readFileSync(path.join(at, 'nx.json'), 'utf8')) as {
    namedInputs?: Record<string, unknown[]>;
    targetDefaults?: Record<string, { inputs?: unknown[] }>;
  };
  const named = nxJson.namedInputs ?? {};
  const expand = (inputs: unknown[] | undefined, out: string[]) => {
    for (const i of inputs ?? []) {
      const s = typeof i === 'string' ? i : (i as { fileset?: string }).fileset;
      if (typeof s !== 'string') continue;
      if (s in named) expand(named[s], out);
      else if (s.startsWith('{workspaceRoot}/')) out.push(s.slice('{workspaceRoot}/'.length));
    }
    return out;
  };
  const result = new Map<string, string[]>();
  for (const p of workspaceGraph(at).values()) {
    const pj = JSON.parse(fs.readFileSync(path.join(at, p.dir, 'package.json'), 'utf8'));
    const targets = new Set([...Object.keys(pj.scripts ?? {}), ...Object.keys(pj.nx?.targets ?? {})]);
    const globs: string[] = [];
    for (const t of targets) {
      const own = pj.nx?.targets?.[t]?.inputs as unknown[] | undefined;
      expand(own ?? nxJson.targetDefaults?.[t]?.inputs, globs);
    }
    if (globs.length) result.set(p.name, [...new Set(globs)]);
  }
  return result;
}

/** What a change to `file` (relative to the root) should affect: its project, that project's dependents, and
 * every project with a workspace-level input matching the file, with their dependents. */
export function expectedAffected(file: string, at: string = root): string[] {
  const graph = workspaceGraph(at);
  const owner = [...graph.values()].filter((p) => file.startsWith(`${p.dir.split(path.sep).join('/')}/`));
  const out = new Set<string>();
  for (const p of owner) dependentsClosure(graph, p.name).forEach((x) => out.add(x));
  for (const [name, globs] of workspaceInputGlobs(at)) {
    if (globs.some((g) => globToRegExp(g).test(file))) dependentsClosure(graph, name).forEach((x) => out.add(x));
  }
  return [...out].sort();
}

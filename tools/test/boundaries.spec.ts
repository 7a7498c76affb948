/**
 * Module boundaries are real: a wrong-way import fails lint with @nx/enforce-module-boundaries.
 *
 * Each probe is a temporary file inside a package's `src/__fixtures__/` (excluded from every tsconfig.lib.json,
 * so a concurrent build never compiles it) that imports another package by name. The probes are linted with the
 * workspace's eslint.config.mjs through ESLint's Node API (tools/scripts/lint-json.mjs, in a child process
 * because ESLint loads its flat config with a dynamic import() that jest's VM cannot run), with
 * NX_DAEMON=false so the rule builds the project graph in-process. The probes are removed in `finally`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const RULE = '@nx/enforce-module-boundaries';

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
}

interface Probe {
  pkg: string;
  imports: string;
}

/** Write one probe per case, lint them all in one ESLint run, and always delete them. */
function lintProbes(probes: Probe[]): Map<Probe, LintMessage[]> {
  const tag = `boundary-probe-${process.pid}-${Date.now()}`;
  const created: string[] = [];
  const createdDirs: string[] = [];
  try {
    const files = probes.map((p, i) => {
      const dir = path.join(root, 'packages', p.pkg, 'src', '__fixtures__');
      if (!fs.existsSync(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        createdDirs.push(dir);
      }
      const file = path.join(dir, `${tag}-${i}.ts`);
      fs.writeFileSync(file, `import * as other from '${p.imports}';\n\nexport const probe = Object.keys(other).length;\n`);
      created.push(file);
      return file;
    });
    const stdout = execFileSync(process.execPath, [path.join(root, 'tools', 'scripts', 'lint-json.mjs'), ...files], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const results = JSON.parse(stdout) as { filePath: string; messages: LintMessage[] }[];
    const byFile = new Map(results.map((r) => [path.resolve(root, r.filePath), r.messages]));
    return new Map(probes.map((p, i) => [p, byFile.get(files[i]) ?? []]));
  } finally {
    for (const f of created) fs.rmSync(f, { force: true });
    for (const d of createdDirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

const boundaryErrors = (messages: LintMessage[]) => messages.filter((m) => m.ruleId === RULE && m.severity === 2);

describe('module boundaries (@nx/enforce-module-boundaries)', () => {
  const coreImportsSymmetry: Probe = { pkg: 'core', imports: '@nnsym/symmetry' };
  const symmetryImportsCli: Probe = { pkg: 'symmetry', imports: '@nnsym/cli' };
  const symmetryImportsViz: Probe = { pkg: 'symmetry', imports: '@nnsym/viz' };
  const vizImportsSymmetry: Probe = { pkg: 'viz', imports: '@nnsym/symmetry' };
  const distributionsImportsNtk: Probe = { pkg: 'distributions', imports: '@nnsym/ntk' };
  // Allowed direction, as a control: the rule must not flag every cross-package import.
  const ntkImportsDistributions: Probe = { pkg: 'ntk', imports: '@nnsym/distributions' };
  const symmetryImportsCore: Probe = { pkg: 'symmetry', imports: '@nnsym/core' };
  let results: Map<Probe, LintMessage[]>;

  beforeAll(() => {
    results = lintProbes([coreImportsSymmetry, symmetryImportsCli, symmetryImportsViz, vizImportsSymmetry, distributionsImportsNtk, ntkImportsDistributions, symmetryImportsCore]);
  }, 120_000);

  it('rejects core importing @nnsym/symmetry (core imports no other package)', () => {
    expect(boundaryErrors(results.get(coreImportsSymmetry)!)).not.toHaveLength(0);
  });

  it('rejects a science package importing @nnsym/cli (nothing imports the cli)', () => {
    expect(boundaryErrors(results.get(symmetryImportsCli)!)).not.toHaveLength(0);
  });

  // The two cases above are also dependency cycles (the rule reports the cycle first). These two are not cycles,
  // so only the tag constraints in eslint.config.mjs can reject them.
  it('rejects a science package importing @nnsym/viz by its tags, not by a cycle', () => {
    const errs = boundaryErrors(results.get(symmetryImportsViz)!);
    expect(errs.map((e) => e.message).join('\n')).toMatch(/can only depend on libs tagged with/);
  });

  it('rejects viz importing a science package by its tags', () => {
    const errs = boundaryErrors(results.get(vizImportsSymmetry)!);
    expect(errs.map((e) => e.message).join('\n')).toMatch(/tagged with "(type:ui|scope:viz)" can only depend on libs tagged with/);
  });

  it('rejects distributions importing @nnsym/ntk (ntk sits above distributions)', () => {
    expect(boundaryErrors(results.get(distributionsImportsNtk)!)).not.toHaveLength(0);
  });

  it('accepts the allowed directions (ntk -> distributions, symmetry -> core)', () => {
    expect(boundaryErrors(results.get(ntkImportsDistributions)!)).toEqual([]);
    expect(boundaryErrors(results.get(symmetryImportsCore)!)).toEqual([]);
  });

  it('removed every probe file', () => {
    for (const pkg of ['core', 'symmetry', 'viz', 'distributions', 'ntk']) {
      const dir = path.join(root, 'packages', pkg, 'src', '__fixtures__');
      const left = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('boundary-probe-')) : [];
      expect(left).toEqual([]);
    }
  });
});

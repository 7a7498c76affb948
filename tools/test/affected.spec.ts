/**
 * `nx affected` builds only what a change touches. In a temporary clone of HEAD (node_modules symlinked from the
 * workspace), one commit changes one source file of one package; `nx show projects --affected` between that
 * commit and its parent must list exactly the package and its dependents, and `nx affected -t test` must plan a
 * test task for exactly those projects.
 *
 * The expected set is derived without Nx (support/workspace.ts): the package.json dependency fields of every
 * workspace package, plus the @nnsym import specifiers in @nnsym/tools' own files (it declares none), closed over
 * "depends on"; plus the projects whose targets declare a `{workspaceRoot}/` input matching the changed file, which
 * Nx also counts as touched. Today that is @nnsym/tools, whose test target reads `packages/*\/src/**` (the
 * workspace checks: module boundaries, publishability, the registry test), so every package change re-runs it.
 * A first check pins the derivation to the README's package map for groups, so a new edge shows up here.
 *
 * About 10-20 s (one clone, three project-graph computations), so it runs in every `npm test`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cloneHead, dependentsClosure, expectedAffected, TempClone, workspaceGraph, workspaceInputGlobs } from './support/workspace';

const n = (name: string) => ['@nnsym', name].join('/');

interface TaskGraph {
  tasks: Record<string, { target: { project: string; target: string } }>;
}

describe('nx affected selects exactly the changed package and its dependents', () => {
  let clone: TempClone;
  const graph = workspaceGraph();

  beforeAll(() => {
    clone = cloneHead('nnsym-affected-');
  }, 60_000);

  afterAll(() => clone?.remove());

  /** Commit a one-line change to `<pkg dir>/src/index.ts` in the clone; return [base, head]. */
  function commitChangeIn(pkgName: string): [string, string] {
    const pkg = graph.get(pkgName);
    if (!pkg) throw new Error(`no workspace package ${pkgName}`);
    const base = clone.git('rev-parse', 'HEAD').trim();
    const file = path.join(clone.dir, pkg.dir, 'src', 'index.ts');
    fs.appendFileSync(file, `\n// affected.spec: a change in ${pkgName}\n`);
    clone.git('add', '-A');
    clone.git('commit', '--quiet', '-m', `test: touch ${pkgName}`);
    const head = clone.git('rev-parse', 'HEAD').trim();
    // The commit touched exactly one file, in that package.
    expect(clone.git('diff', '--name-only', base, head).trim()).toBe(path.posix.join(pkg.dir.split(path.sep).join('/'), 'src', 'index.ts'));
    return [base, head];
  }

  const affectedProjects = (base: string, head: string) =>
    (JSON.parse(clone.nx('show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json')) as string[]).sort();

  const affectedTestTasks = (base: string, head: string) => {
    const out = clone.nx('affected', '-t', 'test', `--base=${base}`, `--head=${head}`, '--graph=stdout');
    const tg = JSON.parse(out.slice(out.indexOf('{'))) as { tasks?: TaskGraph } & TaskGraph;
    const tasks = (tg.tasks && 'tasks' in tg.tasks ? (tg.tasks as TaskGraph).tasks : tg.tasks) as TaskGraph['tasks'];
    return Object.values(tasks)
      .filter((t) => t.target.target === 'test')
      .map((t) => t.target.project)
      .sort();
  };

  it('the independently derived graph matches the README package map for groups', () => {
    // README "Package map": groups import core and numerics; symmetry, weight-space and the cli import groups, and
    // tools through its scripts (tools/scripts/noether-relu-kink.js requires @nnsym/weight-space).
    expect([...(graph.get(n('groups'))?.deps ?? [])].sort()).toEqual([n('core'), n('numerics')]);
    expect(dependentsClosure(graph, n('groups'))).toEqual([n('cli'), n('groups'), n('symmetry'), n('tools'), n('weight-space')]);
    // Nothing depends on the cli.
    expect(dependentsClosure(graph, n('cli'))).toEqual([n('cli')]);
  });

  it("Nx's project graph in the clone has exactly the edges derived from package.json and imports", () => {
    const file = path.join(path.dirname(clone.dir), 'graph.json');
    clone.nx('graph', `--file=${file}`);
    const nxDeps = (JSON.parse(fs.readFileSync(file, 'utf8')) as { graph: { dependencies: Record<string, { target: string }[]> } }).graph.dependencies;
    const fromNx = Object.fromEntries(Object.entries(nxDeps).map(([k, v]) => [k, [...new Set(v.map((d) => d.target))].sort()]));
    const derived = Object.fromEntries([...graph.values()].map((p) => [p.name, [...p.deps].sort()]));
    expect(fromNx).toEqual(derived);
  }, 60_000);

  it('@nnsym/tools is the one project with a package-source input (its workspace checks read every package)', () => {
    const inputs = workspaceInputGlobs();
    const readsSources = [...inputs].filter(([, globs]) => globs.some((g) => g.startsWith('packages/'))).map(([name]) => name);
    expect(readsSources).toEqual([n('tools')]);
  });

  // groups: a mid-graph package; ntk: one that @nnsym/tools also imports (benchmarks, generators); cli: a leaf.
  for (const changed of ['groups', 'ntk', 'cli']) {
    it(`a change in ${n(changed)} affects exactly ${n(changed)}, its dependents and @nnsym/tools (show projects and affected -t test)`, () => {
      const file = `packages/${changed}/src/index.ts`;
      const expected = expectedAffected(file);
      // The dependency part on its own, and the input part on its own:
      expect(expected).toEqual([...new Set([...dependentsClosure(graph, n(changed)), n('tools')])].sort());
      const [base, head] = commitChangeIn(n(changed));
      const projects = affectedProjects(base, head);
      const testTasks = affectedTestTasks(base, head);
      process.stderr.write(`affected.spec: change in ${file} -> nx show projects --affected: ${projects.join(' ')}; nx affected -t test plans test for: ${testTasks.join(' ')}\n`);
      expect(projects).toEqual(expected);
      expect(testTasks).toEqual(expected);
    }, 90_000);
  }
});

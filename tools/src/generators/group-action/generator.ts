import type { Tree } from '@nx/devkit';
import { writePlugin, type ExtensionPoint, type PluginGeneratorOptions } from '../shared/plugin-generator';

/** Where group-action plugins live and which suite checks them. */
export const GROUP_ACTION: ExtensionPoint = {
  kind: 'group-action',
  defaultProject: 'packages/groups',
  defaultDirectory: 'src',
  registrationFile: 'src/register-all.ts',
  mapInterface: 'GroupActionMap',
  exportSuffix: 'Plugin',
  testing: { pkg: '@nnsym/groups', dir: 'packages/groups', file: 'src/testing', suite: 'runGroupActionConformance' },
};

/**
 * `nx g @nnsym/tools:group-action my-group`: a group-action plugin (a working example, Z_2 acting on R^n by reversing
 * the coordinates, to be replaced by your group) in `packages/groups/src/my-group.ts`, its registration in
 * `src/register-all.ts` (built-ins array and `GroupActionMap`), and a spec running `runGroupActionConformance`.
 */
export async function groupActionGenerator(tree: Tree, options: PluginGeneratorOptions): Promise<void> {
  await writePlugin(tree, options, GROUP_ACTION, (p, ctx) => {
    const inGroups = ctx.sameProject('@nnsym/groups');
    const typesFrom = inGroups ? ctx.importFrom('@nnsym/groups', 'src/types') : '@nnsym/groups';
    const testing = ctx.importFrom('@nnsym/groups', 'src/testing');
    const plugin = `import { z } from 'zod';
import type { GroupAction, GroupActionPlugin } from '${typesFrom}';

/**
 * ${p.className}: ${p.description}.
 * Scaffolded as Z_2 = {e, r} acting on R^n by reversing the coordinates, (r·x)_i = x_{n-1-i}: a linear, orthogonal,
 * finite group with Haar measure uniform on {e, r}. Replace the element type and the methods with your group's;
 * \`runGroupActionConformance\` checks identity, inverse, closure, homomorphism and the Haar moments.
 *
 * @example
 * const g = create${p.className}(4);
 * g.act(1, Float64Array.of(1, 2, 3, 4)); // [4, 3, 2, 1]
 */
export function create${p.className}(n: number): GroupAction<0 | 1> {
  const reverse = (k: 0 | 1, i: number) => (k === 1 ? n - 1 - i : i);
  return {
    id: '${p.id}',
    name: \`${p.className}(\${n})\`,
    dimension: n,
    actsOn: ['inputs', 'outputs'],
    isCompact: true,
    isFinite: true,
    order: 2,
    lieDimension: 0,
    linear: true,
    orthogonal: true,
    samplingMeasure: 'haar',
    identity: () => 0,
    compose: (a, b) => (a ^ b) as 0 | 1,
    inverse: (a) => a,
    sample: (rng) => rng.int(2) as 0 | 1,
    act: (k, x) => Float64Array.from({ length: n }, (_, i) => x[reverse(k, i)]),
    matrix: (k) => {
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) m[i * n + reverse(k, i)] = 1;
      return m;
    },
    elements: () => [0, 1],
    isMember: (k) => k === 0 || k === 1,
    // ρ(e) = I, ρ(r) = J (anti-diagonal), each with probability 1/2: E[ρ_ij] = E[ρ_ij²] = (δ_ij + δ_{i,n-1-j}) / 2.
    haarMoments: () => {
      const mean = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        mean[i * n + i] += 0.5;
        mean[i * n + (n - 1 - i)] += 0.5;
      }
      return { mean, second: mean.slice() };
    },
    describe: (k) => ({ reversed: k === 1 }),
  };
}

/** Plugin \`${p.id}\`. Config \`{ n }\`. */
export const ${p.exportName}: GroupActionPlugin<{ n: number }> = {
  meta: { id: '${p.id}', kind: 'group-action', description: '${p.description.replace(/'/g, "\\'")}', version: '0.1.0' },
  // n >= 2: for n = 1 reversal is the identity map and the action would not be faithful.
  configSchema: z.object({ n: z.number().int().min(2) }),
  create: ({ n }) => create${p.className}(n),
};
`;
    const spec = `import { runGroupActionConformance } from '${testing}';
import { ${p.exportName} } from './${p.id}';

describe('${p.id} group action', () => {
  it.each([2, 3, 5])('passes the group-action conformance suite for n = %i', (n) => {
    expect(runGroupActionConformance(${p.exportName}, { config: { n } })).toEqual([]);
  });
});
`;
    return { plugin, spec };
  });
}

export default groupActionGenerator;

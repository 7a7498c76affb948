import type { Tree } from '@nx/devkit';
import { writePlugin, type ExtensionPoint, type PluginGeneratorOptions } from '../shared/plugin-generator';

/** Where distribution plugins live and which suite checks them. */
export const DISTRIBUTION: ExtensionPoint = {
  kind: 'distribution',
  defaultProject: 'packages/distributions',
  defaultDirectory: 'src/dists',
  registrationFile: 'src/dists/builtin.ts',
  mapInterface: 'DistributionMap',
  exportSuffix: 'Distribution',
  testing: { pkg: '@nnsym/distributions', dir: 'packages/distributions', file: 'src/testing', suite: 'runDistributionConformance' },
};

/**
 * `nx g @nnsym/tools:distribution my-dist`: a parameter-distribution plugin (scaffolded as a symmetric two-point
 * law ±scale, moments exact) in `packages/distributions/src/dists/my-dist.ts`, its registration in
 * `dists/builtin.ts`, and a spec running `runDistributionConformance` from `@nnsym/distributions/testing`.
 */
export async function distributionGenerator(tree: Tree, options: PluginGeneratorOptions): Promise<void> {
  await writePlugin(tree, options, DISTRIBUTION, (p, ctx) => {
    const inDist = ctx.sameProject('@nnsym/distributions');
    const defineFrom = inDist ? ctx.importFrom('@nnsym/distributions', 'src/dists/define') : '@nnsym/distributions';
    const testing = ctx.importFrom('@nnsym/distributions', 'src/testing');
    const plugin = `import { z } from 'zod';
import { defineDistribution } from '${defineFrom}';

/** Config of \`${p.id}\`: \`mean\` (default 0) and \`std\` (default 1). */
export const ${p.exportName}Config = z.object({ mean: z.number().finite().default(0), std: z.number().finite().nonnegative().default(1) }).strict();

/**
 * \`${p.id}\`: ${p.description}.
 * Scaffolded as the two-point law θ = mean ± std with probability 1/2 each (a Rademacher variable scaled by std):
 * Var = std², fourth central moment std⁴. Replace \`fill\` and the moments with your family's.
 *
 * @example createDistribution('${p.id}', { mean: 0, std: 0.1 }).variance // 0.01
 */
export const ${p.exportName} = defineDistribution(
  { id: '${p.id}', description: '${p.description.replace(/'/g, "\\'")}' },
  ${p.exportName}Config,
  { location: ['mean'], scale: ['std'] },
  ({ mean, std }) => ({
    config: { mean, std },
    mean,
    variance: std * std,
    fourthMoment: std ** 4,
    symmetric: true,
    fill: (out, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = mean + (rng.int(2) === 0 ? -std : std);
      return out;
    },
  }),
);
`;
    const spec = `import { runDistributionConformance } from '${testing}';
import { ${p.exportName} } from './${p.id}';

describe('${p.id} distribution', () => {
  it('passes the distribution conformance suite', () => {
    expect(runDistributionConformance(${p.exportName}, { config: { mean: 0.5, std: 2 } })).toEqual([]);
  });
});
`;
    return { plugin, spec };
  });
}

export default distributionGenerator;

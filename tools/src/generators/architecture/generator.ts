import type { Tree } from '@nx/devkit';
import { writePlugin, type ExtensionPoint, type PluginGeneratorOptions } from '../shared/plugin-generator';

/** Where architecture plugins live and which suite checks them. */
export const ARCHITECTURE: ExtensionPoint = {
  kind: 'architecture',
  defaultProject: 'packages/core',
  defaultDirectory: 'src/nn/architectures',
  registrationFile: 'src/nn/architectures/builtin.ts',
  exportSuffix: 'Architecture',
  testing: { pkg: '@nnsym/core', dir: 'packages/core', file: 'src/testing', suite: 'runArchitectureConformance' },
};

/**
 * `nx g @nnsym/tools:architecture my-net`: a dense one-hidden-layer architecture plugin (NN-QFT parameterisation,
 * tanh by default) in `packages/core/src/nn/architectures/my-net.ts`, its registration in `builtin.ts`, and a
 * conformance spec that runs `runPluginConformance` and `runArchitectureConformance` from `@nnsym/core/testing`.
 */
export async function architectureGenerator(tree: Tree, options: PluginGeneratorOptions & { activation?: string }): Promise<void> {
  const activation = options.activation ?? 'tanh';
  await writePlugin(tree, options, ARCHITECTURE, (p, ctx) => {
    const inCore = ctx.sameProject('@nnsym/core');
    const header = inCore
      ? `import { fixedActivationSchema } from '${ctx.importFrom('@nnsym/core', 'src/nn/config')}';\nimport { denseArchitecture } from '${ctx.importFrom('@nnsym/core', 'src/nn/dense')}';\nimport type { ArchitectureConfig, ArchitecturePlugin } from '${ctx.importFrom('@nnsym/core', 'src/nn/types')}';`
      : `import { denseArchitecture, fixedActivationSchema, type ArchitectureConfig, type ArchitecturePlugin } from '@nnsym/core';`;
    const testing = ctx.importFrom('@nnsym/core', 'src/testing');
    const plugin = `${header}

/**
 * \`${p.id}\`: ${p.description}.
 * f(x) = W1 φ(W0 x + b0) + b1 with φ = \`${activation}\`, W0 ~ N(0, σ_w²/d_in), b0 ~ N(0, σ_b²), W1 ~ N(0, σ_w²/N),
 * b1 ~ N(0, σ_b²) (NN-QFT conventions, docs/conventions.md); \`parameterization: 'ntk'\` moves the scales into the
 * forward pass. Replace \`create\` to build a different network; keep \`apply(params, x [P, d_in]) -> [M, P, d_out]\`.
 *
 * Config: width (N), dIn, dOut, sigmaW, sigmaB, parameterization, bias.
 *
 * @example
 * const arch = createArchitecture('${p.id}', { width: 100, dIn: 3 });
 */
export const ${p.exportName}: ArchitecturePlugin<ArchitectureConfig> = {
  meta: { id: '${p.id}', kind: 'architecture', description: '${p.description.replace(/'/g, "\\'")}', version: '0.1.0' },
  configSchema: fixedActivationSchema('${activation}'),
  create: (config) => denseArchitecture('${p.id}', config),
  // What it can do, declared here (not in other packages' tables); runArchitectureConformance checks it.
  capabilities: {
    dense: { activation: '${activation}', depth: 1 },
    engines: { exact: true },
    symmetry: { firstLayerLinear: true, lastLayerLinear: true, translationInvariantOrders: [] },
  },
};

declare module '${inCore ? ctx.importFrom('@nnsym/core', 'src/registry/kinds') : '@nnsym/core'}' {
  interface ArchitectureMap {
    '${p.id}': typeof ${p.exportName};
  }
}
`;
    const spec = `import { runArchitectureConformance, runPluginConformance } from '${testing}';
import { ${p.exportName} } from './${p.id}';

describe('${p.id} architecture plugin', () => {
  const config = { width: 8, dIn: 3, dOut: 2 };

  it('passes the plugin conformance suite', () => {
    expect(runPluginConformance(${p.exportName}, config)).toEqual([]);
  });

  it('passes the architecture conformance suite', async () => {
    expect(await runArchitectureConformance(${p.exportName}, { config })).toEqual([]);
  });
});
`;
    return { plugin, spec };
  });
}

export default architectureGenerator;

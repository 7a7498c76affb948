import nx from '@nx/eslint-plugin';

/**
 * CLI commands never import each other (issue 15, move 5): shared flags, printers and run-file helpers live in
 * packages/cli/src/options. Only register-all (the list of commands) and a command's own spec may import commands.
 */
const cliCommandBoundary = {
  files: ['packages/cli/src/commands/*.ts'],
  ignores: ['packages/cli/src/commands/register-all.ts', 'packages/cli/src/commands/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: ['./*', '!./*.json'], message: 'commands do not import other commands: move shared code to ../options (or another module outside commands/)' }] },
    ],
  },
};

/**
 * Module boundaries on two tag axes (see README "Package map"):
 *   type:  core -> science -> app ; viz is a ui leaf ; tooling (generators, benchmarks) may use core and science
 *   scope: which science package may see which. The layering they prove:
 *     core <- numerics (float64 host maths: linalg, stats, fits; core only, and core never imports it)
 *     core <- distributions <- ntk ; numerics is open to every science package
 *     core <- datasets (file-backed datasets: mnist, fashion-mnist, idx; only the cli and tools load them)
 *     core <- groups (the group-action extension point: core only)
 *     core, distributions, ntk <- correlators (ensemble statistics: never the duality tests, never groups)
 *     core, groups <- weight-space (Noether, intertwiners, similarity, mean field: never correlators or symmetry)
 *     core, distributions, ntk, groups, correlators <- symmetry (the duality tests)
 * Nothing may import @nnsym/cli; only the cli (the composition root) may import @nnsym/viz.
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', 'benchmarks/results', '**/*.js', '**/*.cjs', '**/*.mjs', 'tools/generators/**/files/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:science', onlyDependOnLibsWithTags: ['type:core', 'type:science'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:science', 'type:ui'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:core', 'type:science'] },
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:numerics', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics'] },
            { sourceTag: 'scope:datasets', onlyDependOnLibsWithTags: ['scope:core', 'scope:datasets'] },
            { sourceTag: 'scope:distributions', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics', 'scope:distributions'] },
            { sourceTag: 'scope:ntk', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics', 'scope:distributions', 'scope:ntk'] },
            { sourceTag: 'scope:groups', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics', 'scope:groups'] },
            { sourceTag: 'scope:correlators', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics', 'scope:distributions', 'scope:ntk', 'scope:correlators'] },
            { sourceTag: 'scope:weight-space', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics', 'scope:groups', 'scope:weight-space'] },
            { sourceTag: 'scope:symmetry', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics', 'scope:distributions', 'scope:ntk', 'scope:groups', 'scope:correlators', 'scope:symmetry'] },
            { sourceTag: 'scope:viz', onlyDependOnLibsWithTags: ['scope:core', 'scope:viz'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:core', 'scope:numerics', 'scope:distributions', 'scope:ntk', 'scope:groups', 'scope:correlators', 'scope:symmetry', 'scope:weight-space', 'scope:datasets', 'scope:tools'] },
          ],
        },
      ],
      // Empty interfaces are the declaration-merging extension points (ArchitectureMap, PluginKinds, ...).
      '@typescript-eslint/no-empty-interface': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  cliCommandBoundary,
];

import { z } from 'zod';
import type { InitSamplerPlugin } from '@nnsym/core';
import { compileInitSpec } from './compile';
import { parseInitSpec } from './parse';
import type { InitSpec } from './types';

/**
 * The `init-sampler` plugin `init-spec`: compiles an ensemble spec's `init` (the `--init` text, or a parsed
 * {@link InitSpec} as JSON) into core's parameter sampler, so core's ensemble runner and its worker threads resolve
 * layer-wise inits without importing this package.
 *
 * @example
 * createEnsemble({ ...spec, init: 'Wout=laplace' }) // core finds this plugin in the registry
 */
export const initSpecSampler: InitSamplerPlugin = {
  meta: { id: 'init-spec', kind: 'init-sampler', description: 'layer-wise init specs (--init syntax or InitSpec JSON) of @nnsym/distributions', version: '1.0.0', package: '@nnsym/distributions' },
  configSchema: z.object({}) as unknown as z.ZodType<Record<string, never>>,
  create: () => (init, layout) => compileInitSpec(typeof init === 'string' ? parseInitSpec(init, 'init') : (init as unknown as InitSpec), layout, { flag: 'init' }),
};

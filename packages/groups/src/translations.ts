import { z } from 'zod';
import type { GroupAction, GroupActionPlugin } from './types';

/** Config of {@link translationsPlugin}. */
export interface TranslationsConfig {
  n: number;
  /** Sampling scale: t ~ N(0, std² I). R^n has no Haar probability measure, so the test samples from this. */
  std: number;
}

/**
 * Translations of R^n, x -> x + t (an affine, not linear, action: inputs only). Non-compact; `sample` draws
 * t ~ N(0, std² I). Lie algebra basis: the constant fields e_i, exp(c) = c.
 *
 * When to use: 2106.00694 Sec. 3.2: gauss-net's 2-pt function (its GP kernel, and its exact finite-width G2)
 * depends on |x − x'| only, so it is translation invariant; relu-net's is not.
 *
 * @example
 * createTranslations(2).act(Float64Array.of(1, 1), Float64Array.of(0, 2)); // [1, 3]
 */
export function createTranslations(n: number, std = 1): GroupAction<Float64Array> {
  return {
    id: 'translations',
    name: `T(${n})`,
    dimension: n,
    actsOn: ['inputs'],
    isCompact: false,
    isFinite: false,
    lieDimension: n,
    linear: false,
    orthogonal: false,
    samplingMeasure: `t ~ N(0, ${std}² I)`,
    identity: () => new Float64Array(n),
    compose: (s, t) => s.map((v, i) => v + t[i]),
    inverse: (t) => t.map((v) => -v),
    sample: (rng) => Float64Array.from({ length: n }, () => std * rng.normal()),
    act: (t, x) => x.map((v, i) => v + t[i]),
    generators: () =>
      Array.from({ length: n }, (_, k) => ({ apply: (x: Float64Array) => Float64Array.from(x, (_v, i) => (i === k ? 1 : 0)) })),
    exp: (c) => Float64Array.from(c),
    isMember: (t) => t instanceof Float64Array && t.length === n && t.every(Number.isFinite),
    describe: (t) => ({ translation: Array.from(t) }),
  };
}

/** Plugin `translations`: x -> x + t on R^n. Config `{ n, std = 1 }`. */
export const translationsPlugin: GroupActionPlugin<TranslationsConfig> = {
  meta: {
    id: 'translations',
    kind: 'group-action',
    description: 'T(n): translations x -> x + t of inputs (t ~ N(0, std^2 I) when sampled)',
    version: '0.1.0',
    reference: 'arXiv 2106.00694 Sec. 3.2',
  },
  configSchema: z.object({ n: z.number().int().positive(), std: z.number().positive().default(1) }),
  create: ({ n, std }) => createTranslations(n, std),
};

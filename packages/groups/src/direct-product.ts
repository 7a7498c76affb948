import { z } from 'zod';
import { createFromPlugin, plugins, UsageError, type PluginHost } from '@nnsym/core';
import type { GroupAction, GroupActionPlugin, GroupSpace, LieGenerator } from './types';

/** Most elements `elements()` enumerates for a product of finite groups. */
const MAX_ENUMERATED = 5040;

/**
 * The direct product G_1 × … × G_r acting block-diagonally on R^{n_1 + … + n_r}: (g_1, …, g_r)·(x_1, …, x_r) =
 * (g_1·x_1, …, g_r·x_r), ρ = diag(ρ_1, …, ρ_r). Elements are arrays of the factors' elements. Haar measure is the
 * product measure, so the Haar moments are the factors' on the diagonal blocks and E[ρ] = E[ρ²] = 0 off them.
 *
 * When to use: independent symmetries of separate blocks of inputs or outputs, e.g. SO(2) × S_3 on R^5.
 *
 * @example
 * const g = directProduct([createSpecialOrthogonal(2), createPermutations(3)]); // acts on R^5
 */
export function directProduct(factors: readonly GroupAction[]): GroupAction<unknown[]> {
  if (factors.length === 0) throw new UsageError('direct-product: needs at least one factor', 'config.factors');
  const dims = factors.map((f) => f.dimension);
  const offsets = dims.map((_, i) => dims.slice(0, i).reduce((a, b) => a + b, 0));
  const n = dims.reduce((a, b) => a + b, 0);
  const lieOffsets = factors.map((_, i) => factors.slice(0, i).reduce((a, f) => a + f.lieDimension, 0));
  const block = (x: Float64Array, i: number) => x.subarray(offsets[i], offsets[i] + dims[i]);
  const allLinear = factors.every((f) => f.linear && f.matrix);
  const allFinite = factors.every((f) => f.isFinite);
  const order = allFinite ? factors.reduce((a, f) => a * (f.order ?? Infinity), 1) : undefined;
  const actsOn = (['inputs', 'outputs'] as GroupSpace[]).filter((s) => factors.every((f) => f.actsOn.includes(s)));
  const canEnumerate = allFinite && order !== undefined && order <= MAX_ENUMERATED && factors.every((f) => f.elements);
  const allMoments = factors.every((f) => f.haarMoments);
  return {
    id: 'direct-product',
    name: factors.map((f) => f.name).join(' × '),
    dimension: n,
    actsOn,
    isCompact: factors.every((f) => f.isCompact),
    isFinite: allFinite,
    order,
    lieDimension: factors.reduce((a, f) => a + f.lieDimension, 0),
    linear: allLinear,
    orthogonal: factors.every((f) => f.orthogonal),
    samplingMeasure: factors.every((f) => f.samplingMeasure === 'haar')
      ? 'haar'
      : `product of (${factors.map((f) => f.samplingMeasure).join('; ')})`,
    identity: () => factors.map((f) => f.identity()),
    compose: (g, h) => factors.map((f, i) => f.compose(g[i], h[i])),
    inverse: (g) => factors.map((f, i) => f.inverse(g[i])),
    sample: (rng) => factors.map((f) => f.sample(rng)),
    act: (g, x) => {
      const y = new Float64Array(n);
      factors.forEach((f, i) => y.set(f.act(g[i], block(x, i)), offsets[i]));
      return y;
    },
    matrix: allLinear
      ? (g) => {
          const m = new Float64Array(n * n);
          factors.forEach((f, b) => {
            const mb = f.matrix!(g[b]);
            const d = dims[b];
            for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[(offsets[b] + i) * n + offsets[b] + j] = mb[i * d + j];
          });
          return m;
        }
      : undefined,
    generators: () =>
      factors.flatMap((f, b) =>
        (f.generators?.() ?? []).map((gen): LieGenerator => {
          const apply = (x: Float64Array) => {
            const y = new Float64Array(n);
            y.set(gen.apply(Float64Array.from(block(x, b))), offsets[b]);
            return y;
          };
          if (!gen.matrix) return { apply };
          const m = new Float64Array(n * n);
          const d = dims[b];
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[(offsets[b] + i) * n + offsets[b] + j] = gen.matrix[i * d + j];
          return { matrix: m, apply };
        }),
      ),
    exp: (c) => factors.map((f, i) => (f.exp ? f.exp(c.subarray(lieOffsets[i], lieOffsets[i] + f.lieDimension)) : f.identity())),
    elements: canEnumerate
      ? () => factors.reduce<unknown[][]>((acc, f) => acc.flatMap((prefix) => f.elements!().map((e) => [...prefix, e])), [[]])
      : undefined,
    isMember: (g, tol) => Array.isArray(g) && g.length === factors.length && factors.every((f, i) => f.isMember(g[i], tol)),
    haarMoments: allMoments
      ? () => {
          const mean = new Float64Array(n * n);
          const second = new Float64Array(n * n);
          factors.forEach((f, b) => {
            const mo = f.haarMoments!();
            const d = dims[b];
            for (let i = 0; i < d; i++) {
              for (let j = 0; j < d; j++) {
                mean[(offsets[b] + i) * n + offsets[b] + j] = mo.mean[i * d + j];
                second[(offsets[b] + i) * n + offsets[b] + j] = mo.second[i * d + j];
              }
            }
          });
          return { mean, second };
        }
      : undefined,
    describe: (g) => ({ factors: factors.map((f, i) => ({ group: f.name, element: f.describe(g[i]) })) }),
  };
}

/** Config of {@link directProductPlugin}: the factors by plugin id and config. */
export interface DirectProductConfig {
  factors: { group: string; config?: Record<string, unknown> }[];
}

/** Create the factors from registered group plugins in `host` (default: the process-wide host). */
export function createDirectProduct(config: DirectProductConfig, host: PluginHost = plugins): GroupAction<unknown[]> {
  const reg = host.kind('group-action');
  return directProduct(config.factors.map((f) => createFromPlugin(reg.get(f.group), f.config ?? {})));
}

/** Plugin `direct-product`: `{ factors: [{ group: 'so', config: { n: 2 } }, { group: 'sym', config: { n: 3 } }] }`. */
export const directProductPlugin: GroupActionPlugin<DirectProductConfig> = {
  meta: {
    id: 'direct-product',
    kind: 'group-action',
    description: 'G1 × G2 × …: registered groups acting block-diagonally',
    version: '0.1.0',
  },
  configSchema: z.object({
    factors: z
      .array(z.object({ group: z.string(), config: z.record(z.string(), z.unknown()).optional() }))
      .min(1)
      .default([
        { group: 'so', config: { n: 2 } },
        { group: 'sign-flips', config: { n: 1 } },
      ]),
  }),
  create: (config) => createDirectProduct(config),
};

import { createFromPlugin, Rng, type SeedKey } from '@nnsym/core';
import { eyeSquare, matmulSquare, maxAbsDiff, transposeSquare } from '@nnsym/numerics';
import { runPluginConformance } from '@nnsym/core/testing';
import type { GroupAction, GroupActionPlugin } from '../types';

/** Options of {@link runGroupActionConformance}. */
export interface GroupActionConformanceOptions {
  /** Seed of the sampled elements and points (default 0). */
  seed?: SeedKey;
  /** Number of sampled (g, h, x) triples for the algebraic checks (default 20). */
  pairs?: number;
  /** Haar draws for the moment checks (default 4000; 0 skips them). */
  haarSamples?: number;
  /** Absolute tolerance of the algebraic checks, scaled by |x| (default 1e-9). */
  tol?: number;
  /** A moment check fails beyond this many standard errors (default 5). */
  zMax?: number;
  /** Config used when a plugin (rather than a group) is given (default `{ n: 3 }`). */
  config?: unknown;
  /** Throw an Error listing every failure instead of returning them. */
  throwOnFailure?: boolean;
}

const isPlugin = (v: unknown): v is GroupActionPlugin => !!v && typeof v === 'object' && 'meta' in v && 'create' in v;

/**
 * The conformance suite every group action passes (the extension point's `RuleTester`): identity, inverse,
 * closure (compose stays in the group), associativity, homomorphism of the action act(g, act(h, x)) =
 * act(g·h, x), ρ(g·h) = ρ(g)ρ(h) and ρ(g)x = act(g, x) for linear actions, exp(0) = e, one-parameter subgroups
 * exp(sX)exp(tX) = exp((s+t)X) and d/dt exp(tX)·x = X·x (central difference) for Lie groups, finite groups closed
 * under their element list, and for compact groups with declared {@link HaarMoments} the sample means of ρ_ij and
 * ρ_ij² within `zMax` standard errors of the exact values (e.g. SO(n): 0 and 1/n).
 *
 * Returns the failures (empty when conformant), so it works under any test runner; pass a plugin to also run
 * core's plugin conformance on it.
 *
 * @example
 * import { runGroupActionConformance } from '@nnsym/groups/testing';
 * expect(runGroupActionConformance(myGroupPlugin, { config: { n: 4 } })).toEqual([]);
 */
export function runGroupActionConformance(
  groupOrPlugin: GroupAction | GroupActionPlugin,
  options: GroupActionConformanceOptions = {},
): string[] {
  const failures: string[] = [];
  let group: GroupAction;
  if (isPlugin(groupOrPlugin)) {
    const config = options.config ?? { n: 3 };
    failures.push(...runPluginConformance(groupOrPlugin, config).map((f) => `plugin: ${f}`));
    try {
      group = createFromPlugin(groupOrPlugin, config) as GroupAction;
    } catch (e) {
      failures.push(`create(${JSON.stringify(config)}) threw: ${(e as Error).message}`);
      return finish(failures, options);
    }
  } else {
    group = groupOrPlugin;
  }
  const name = group.name ?? group.id;
  const fail = (msg: string) => failures.push(`${name}: ${msg}`);
  const n = group.dimension;
  const tol = options.tol ?? 1e-9;
  const rng = new Rng(options.seed ?? 0, ['group-conformance', group.id ?? 'group']);
  if (!Number.isInteger(n) || n < 1) fail(`dimension must be a positive integer, got ${n}`);
  if (!Array.isArray(group.actsOn) || group.actsOn.length === 0) fail('actsOn must list inputs and/or outputs');
  if (group.actsOn?.includes('outputs') && !(group.linear && group.matrix))
    fail('acts on outputs but has no linear representation (matrix)');
  if (group.linear && !group.matrix) fail('linear but has no matrix()');
  if (group.lieDimension > 0 && !(group.generators && group.exp)) fail('has a Lie algebra but no generators()/exp()');
  if (failures.length) return finish(failures, options);

  const point = () => Float64Array.from({ length: n }, () => rng.normal());
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, scale = 1) => maxAbsDiff(a, b) <= tol * Math.max(1, scale) * n;
  const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));
  const e = group.identity();
  if (!group.isMember(e, tol)) fail('identity() is not a member');
  const pairs = options.pairs ?? 20;
  for (let t = 0; t < pairs && failures.length < 10; t++) {
    const g = group.sample(rng);
    const h = group.sample(rng);
    const k = group.sample(rng);
    const x = point();
    const s = norm(x);
    if (!group.isMember(g, tol)) fail(`sample() returned a non-member: ${JSON.stringify(group.describe(g))}`);
    if (!close(group.act(e, x), x, s)) fail('act(identity, x) != x');
    if (!close(group.act(group.compose(e, g), x), group.act(g, x), s)) fail('e·g != g');
    const gh = group.compose(g, h);
    if (!group.isMember(gh, tol)) fail('closure: compose(g, h) is not a member');
    const gi = group.inverse(g);
    if (!group.isMember(gi, tol)) fail('closure: inverse(g) is not a member');
    if (!close(group.act(group.compose(g, gi), x), x, s) || !close(group.act(gi, group.act(g, x)), x, s))
      fail('inverse: g·g⁻¹ does not act as the identity');
    if (!close(group.act(g, group.act(h, x)), group.act(gh, x), s)) fail('homomorphism: act(g, act(h, x)) != act(g·h, x)');
    if (!close(group.act(group.compose(gh, k), x), group.act(group.compose(g, group.compose(h, k)), x), s))
      fail('compose is not associative');
    if (group.matrix) {
      const rg = group.matrix(g);
      const rh = group.matrix(h);
      if (!close(group.matrix(gh), matmulSquare(rg, rh, n), 1)) fail('representation: ρ(g·h) != ρ(g)ρ(h)');
      const rx = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rx[i] += rg[i * n + j] * x[j];
      if (!close(rx, group.act(g, x), s)) fail('ρ(g)x != act(g, x)');
      if (group.orthogonal && !close(matmulSquare(rg, transposeSquare(rg, n), n), eyeSquare(n), 1))
        fail('declared orthogonal but ρ(g)ρ(g)ᵀ != I');
    }
  }
  if (group.lieDimension > 0 && group.generators && group.exp) checkLie(group, rng, point, close, fail);
  if (group.isFinite && group.elements) checkFinite(group, rng, point, close, fail);
  if (group.isCompact && group.haarMoments && group.matrix && (options.haarSamples ?? 4000) > 0) {
    checkHaarMoments(group, rng, options.haarSamples ?? 4000, options.zMax ?? 5, fail);
  }
  return finish(failures, options);
}

function checkLie(
  group: GroupAction,
  rng: Rng,
  point: () => Float64Array,
  close: (a: ArrayLike<number>, b: ArrayLike<number>, s?: number) => boolean,
  fail: (m: string) => void,
): void {
  const gens = group.generators!();
  if (gens.length !== group.lieDimension) fail(`generators() returned ${gens.length} generators, lieDimension is ${group.lieDimension}`);
  const dimL = gens.length;
  const x = point();
  if (!close(group.act(group.exp!(new Float64Array(dimL)), x), x)) fail('exp(0) does not act as the identity');
  const c = Float64Array.from({ length: dimL }, () => 0.7 * rng.normal());
  const [s, t] = [0.3, -1.1];
  const lhs = group.compose(group.exp!(c.map((v) => s * v)), group.exp!(c.map((v) => t * v)));
  if (!close(group.act(lhs, x), group.act(group.exp!(c.map((v) => (s + t) * v)), x), 10)) fail('exp(sX)·exp(tX) != exp((s+t)X)');
  if (!group.isMember(group.exp!(c), 1e-8)) fail('exp(X) is not a member');
  const eps = 1e-4;
  gens.forEach((gen, k) => {
    const ck = new Float64Array(dimL);
    ck[k] = eps;
    const plus = group.act(group.exp!(ck), x);
    ck[k] = -eps;
    const minus = group.act(group.exp!(ck), x);
    const fd = plus.map((v, i) => (v - minus[i]) / (2 * eps));
    // Central difference: error O(eps² |X|³ |x|) ~ 1e-8.
    if (maxAbsDiff(fd, gen.apply(x)) > 1e-6 * (1 + Math.hypot(...x))) fail(`generator ${k}: d/dt exp(tX)·x at t=0 != X·x`);
  });
}

function checkFinite(
  group: GroupAction,
  rng: Rng,
  point: () => Float64Array,
  close: (a: ArrayLike<number>, b: ArrayLike<number>, s?: number) => boolean,
  fail: (m: string) => void,
): void {
  const els = group.elements!();
  if (group.order !== undefined && els.length !== group.order) fail(`elements() has ${els.length} elements, order is ${group.order}`);
  // Elements are told apart by their action on a generic point.
  const x = point();
  const key = (g: unknown) => Array.from(group.act(g, x), (v) => v.toFixed(6)).join(',');
  const keys = new Set(els.map(key));
  if (keys.size !== els.length) fail('elements() has duplicates');
  for (let t = 0; t < 20; t++) {
    const g = els[rng.int(els.length)];
    const h = els[rng.int(els.length)];
    if (!keys.has(key(group.compose(g, h)))) fail('closure: a product of listed elements is not listed');
    if (!keys.has(key(group.sample(rng)))) fail('sample() returned an element not in elements()');
  }
  void close;
}

function checkHaarMoments(group: GroupAction, rng: Rng, draws: number, zMax: number, fail: (m: string) => void): void {
  const n = group.dimension;
  const exact = group.haarMoments!();
  const s1 = new Float64Array(n * n);
  const s2 = new Float64Array(n * n);
  const s4 = new Float64Array(n * n);
  for (let t = 0; t < draws; t++) {
    const r = group.matrix!(group.sample(rng));
    for (let i = 0; i < r.length; i++) {
      const v = r[i];
      s1[i] += v;
      s2[i] += v * v;
      s4[i] += v * v * v * v;
    }
  }
  let worst = { z: 0, what: '' };
  for (let i = 0; i < n * n; i++) {
    const m1 = s1[i] / draws;
    const m2 = s2[i] / draws;
    const se1 = Math.sqrt(Math.max(m2 - m1 * m1, 0) / draws);
    const se2 = Math.sqrt(Math.max(s4[i] / draws - m2 * m2, 0) / draws);
    for (const [est, ex, se, label] of [
      [m1, exact.mean[i], se1, 'E[ρ_ij]'],
      [m2, exact.second[i], se2, 'E[ρ_ij²]'],
    ] as const) {
      const diff = Math.abs(est - ex);
      const z = se > 1e-12 ? diff / se : diff > 1e-9 ? Infinity : 0;
      if (z > worst.z) worst = { z, what: `${label} at (${Math.floor(i / n)},${i % n}): sample ${est.toFixed(5)}, exact ${ex.toFixed(5)}` };
    }
  }
  if (worst.z > zMax) fail(`Haar moments off by ${worst.z.toFixed(1)} standard errors (${draws} draws): ${worst.what}`);
}

function finish(failures: string[], options: GroupActionConformanceOptions): string[] {
  if (options.throwOnFailure && failures.length) throw new Error(`group action conformance failed:\n  ${failures.join('\n  ')}`);
  return failures;
}

import { UsageError, plugins as defaultHost, type ParamLayout, type PluginHost } from '@nnsym/core';
import { createFromPlugin } from '@nnsym/core';
import { getDistributionPlugin } from '../dists/builtin';
import { normalDistribution } from '../dists/normal';
import type { Distribution } from '../types';
import type { InitRule, InitSpec, ResolvedBlock, ResolvedParamInit } from './types';

/** Options of {@link resolveInit} and {@link compileInitSpec}. */
export interface InitOptions {
  /** Registry of distributions (default: the process-wide one, falling back to the built-ins). */
  host?: PluginHost;
  /** Option path named in errors (default `init`; the CLI maps it to its flag). */
  flag?: string;
}

/** Does `rule` select parameter `L`? */
export function ruleMatches(rule: Pick<InitRule, 'target'>, L: ParamLayout): boolean {
  switch (rule.target) {
    case '*':
      return true;
    case 'W*':
      return L.role === 'weight';
    case 'b*':
      return L.role === 'bias';
    case 'Wout':
      return L.role === 'weight' && L.output;
    case 'bout':
      return L.role === 'bias' && L.output;
    default:
      return rule.target === L.name;
  }
}

function stdOf(d: Distribution, fallback: number): number {
  return Number.isFinite(d.variance) ? Math.sqrt(d.variance) : fallback;
}

/** Apply one rule's law changes to `cur` (the law before the rule). */
function applyRule(cur: Distribution, rule: InitRule, L: ParamLayout, host: PluginHost, flag: string): Distribution {
  let d = cur;
  const where = `${rule.target}${rule.rows ? `.rows[${rule.rows.join(':')}]` : ''}${rule.cols ? `.cols[${rule.cols.join(':')}]` : ''}`;
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`${flag}: ${where}: ${e.message}`, flag);
      throw e;
    }
  };
  if (rule.dist !== undefined) {
    const plugin = wrap(() => getDistributionPlugin(rule.dist as string, host, flag));
    const params: Record<string, unknown> = { ...(rule.params ?? {}) };
    if (!plugin.locationKeys.some((k) => k in params)) params.mean = d.mean;
    if (!plugin.scaleKeys.some((k) => k in params)) params.std = stdOf(d, L.std);
    d = wrap(() => createFromPlugin(plugin, params));
  }
  if (rule.mean !== undefined || rule.std !== undefined || rule.gain !== undefined) {
    const mean = rule.mean ?? d.mean;
    const std = (rule.std ?? stdOf(d, L.std)) * (rule.gain ?? 1);
    d = wrap(() => d.withMoments(mean, std));
  }
  return d;
}

function range(
  sel: [number, number?] | undefined,
  size: number,
  what: string,
  rule: InitRule,
  L: ParamLayout,
  flag: string,
): [number, number] {
  if (!sel) return [0, size];
  const end = sel[1] ?? size;
  if (sel[0] >= size || end > size) {
    throw new UsageError(
      `${flag}: ${rule.target}.${what}[${sel[0]}:${sel[1] ?? ''}] is outside ${L.name}, which has ${size} ${what} per network (shape [${L.shape.join(', ')}])`,
      flag,
    );
  }
  return [sel[0], end];
}

/**
 * Resolve a spec for one parameter: its base law (default N(0, layout.std²), then every whole-parameter rule in
 * order) and its blocks (block rules in order; rules with the same rows/cols refine the same block, starting from
 * the base law). Throws a one-line UsageError naming the flag on out-of-range blocks or bad distributions.
 */
export function resolveParamInit(spec: InitSpec, L: ParamLayout, opts: InitOptions = {}): ResolvedParamInit {
  const host = opts.host ?? defaultHost;
  const flag = opts.flag ?? 'init';
  let base: Distribution = createFromPlugin(normalDistribution, { mean: 0, std: L.std });
  const mine = spec.rules.filter((r) => ruleMatches(r, L));
  for (const r of mine) if (!r.rows && !r.cols) base = applyRule(base, r, L, host, flag);
  const blocks: ResolvedBlock[] = [];
  for (const r of mine) {
    if (!r.rows && !r.cols) continue;
    if (r.cols && L.role === 'bias')
      throw new UsageError(`${flag}: ${r.target}.cols[...] selects columns, but ${L.name} is a bias vector (use rows)`, flag);
    const rows = range(r.rows, L.shape[0], 'rows', r, L, flag);
    const cols = range(r.cols, L.shape.length > 1 ? L.shape[1] : 1, 'cols', r, L, flag);
    const same = blocks.find((b) => b.rows[0] === rows[0] && b.rows[1] === rows[1] && b.cols[0] === cols[0] && b.cols[1] === cols[1]);
    if (same) same.dist = applyRule(same.dist, r, L, host, flag);
    else blocks.push({ rows, cols, dist: applyRule(base, r, L, host, flag) });
  }
  return { name: L.name, layout: L, base, blocks };
}

/**
 * Resolve a spec against an architecture's layout: the law of every parameter and block. Also checks that every
 * rule selects at least one parameter. Use it to validate `--init` before sampling, to describe an init, and to
 * predict invariances and moments from the parameter side.
 *
 * @example
 * resolveInit(parseInitSpec('Wout.rows[0:2].mean=0.5'), arch.layout()).find((p) => p.name === 'W1').blocks[0].dist.mean // 0.5
 */
export function resolveInit(spec: InitSpec, layouts: readonly ParamLayout[], opts: InitOptions = {}): ResolvedParamInit[] {
  const flag = opts.flag ?? 'init';
  for (const r of spec.rules) {
    if (!layouts.some((L) => ruleMatches(r, L))) {
      throw new UsageError(`${flag}: target ${r.target} matches no parameter; parameters: ${layouts.map((L) => L.name).join(', ')}`, flag);
    }
  }
  return layouts.map((L) => resolveParamInit(spec, L, opts));
}

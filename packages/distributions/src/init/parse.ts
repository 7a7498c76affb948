import { readFileSync } from 'node:fs';
import { UsageError } from '@nnsym/core';
import type { InitRule, InitSpec } from './types';

const TARGET = /^(W\*|b\*|\*|Wout|bout|[Wb]\d+)$/;
const FIELDS = new Set(['mean', 'std', 'gain']);

function num(raw: string, what: string, flag: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag}: ${what} must be a finite number, got "${raw}"`, flag);
  return n;
}

function slice(raw: string, what: string, flag: string): [number, number?] {
  const m = /^(\d*):(\d*)$/.exec(raw.trim());
  if (!m) throw new UsageError(`${flag}: ${what}[${raw}] must be a slice start:end of non-negative integers, e.g. rows[0:2]`, flag);
  const start = m[1] === '' ? 0 : Number(m[1]);
  const end = m[2] === '' ? undefined : Number(m[2]);
  if (end !== undefined && end <= start) throw new UsageError(`${flag}: ${what}[${raw}] is empty (end must exceed start)`, flag);
  return end === undefined ? [start] : [start, end];
}

function parseParams(raw: string | undefined, flag: string): Record<string, number> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [k, v, extra] = part.split('=').map((s) => s.trim());
    if (!k || v === undefined || extra !== undefined || !/^[a-z][a-z0-9-]*$/i.test(k))
      throw new UsageError(`${flag}: malformed distribution parameter "${part}" (expected name=number)`, flag);
    out[k] = num(v, k, flag);
  }
  return out;
}

/** Parse one statement of the string form (see {@link parseInitSpec}). */
function parseStatement(stmt: string, flag: string): InitRule[] {
  const preset = /^(normal|default)$/.exec(stmt);
  if (preset) return [];
  const mr = /^mean-rows\((.*)\)$|^mean-rows:(.*)$/.exec(stmt);
  if (mr) {
    const p = parseParams(mr[1] ?? mr[2], flag) ?? {};
    const unknown = Object.keys(p).filter((k) => k !== 'k' && k !== 'mu');
    if (unknown.length || p.k === undefined || p.mu === undefined)
      throw new UsageError(`${flag}: mean-rows needs exactly k and mu, e.g. mean-rows(k=2,mu=0.5)`, flag);
    if (!Number.isInteger(p.k) || p.k < 1) throw new UsageError(`${flag}: mean-rows k must be a positive integer, got ${p.k}`, flag);
    return [{ target: 'Wout', rows: [0, p.k], mean: p.mu }];
  }
  const eq = stmt.indexOf('=');
  if (eq < 0)
    throw new UsageError(
      `${flag}: "${stmt}" is not a rule; expected e.g. W1.rows[0:2].mean=0.5, W0=laplace or b*=point-mass(value=0)`,
      flag,
    );
  const lhs = stmt.slice(0, eq).trim();
  const rhs = stmt.slice(eq + 1).trim();
  // lhs: TARGET(.rows[a:b])?(.cols[a:b])?(.FIELD)?
  const m = /^([^.[\]]+)((?:\.(?:rows|cols)\[[^\]]*\])*)(?:\.([a-z]+))?$/.exec(lhs);
  if (!m || !TARGET.test(m[1]))
    throw new UsageError(
      `${flag}: bad target "${lhs}"; targets are W0, b0, W1, ..., Wout, bout, W*, b*, * (optionally .rows[a:b] / .cols[a:b])`,
      flag,
    );
  const rule: InitRule = { target: m[1] };
  for (const sel of m[2].matchAll(/\.(rows|cols)\[([^\]]*)\]/g)) rule[sel[1] as 'rows' | 'cols'] = slice(sel[2], sel[1], flag);
  if (m[3] !== undefined) {
    if (!FIELDS.has(m[3])) throw new UsageError(`${flag}: unknown field "${m[3]}" in "${lhs}"; fields: mean, std, gain`, flag);
    const v = num(rhs, m[3], flag);
    if (m[3] !== 'mean' && v < 0) throw new UsageError(`${flag}: ${m[3]} must be >= 0, got ${rhs}`, flag);
    rule[m[3] as 'mean' | 'std' | 'gain'] = v;
    return [rule];
  }
  const d = /^([a-z][a-z0-9-]*)(?:\((.*)\))?$/.exec(rhs);
  if (!d) throw new UsageError(`${flag}: bad distribution "${rhs}"; expected e.g. laplace, student-t(df=3), uniform(low=-1,high=1)`, flag);
  rule.dist = d[1];
  const params = parseParams(d[2], flag);
  if (params && Object.keys(params).length) rule.params = params;
  return [rule];
}

function checkRule(r: unknown, i: number, flag: string): InitRule {
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new UsageError(`${flag}: rule ${i} must be an object`, flag);
  const o = r as Record<string, unknown>;
  const allowed = new Set(['target', 'rows', 'cols', 'dist', 'params', 'mean', 'std', 'gain']);
  const bad = Object.keys(o).find((k) => !allowed.has(k));
  if (bad) throw new UsageError(`${flag}: rule ${i} has unknown field "${bad}"; fields: ${[...allowed].join(', ')}`, flag);
  if (typeof o.target !== 'string' || !TARGET.test(o.target))
    throw new UsageError(`${flag}: rule ${i}: target must be W0, b0, ..., Wout, bout, W*, b* or *, got ${JSON.stringify(o.target)}`, flag);
  for (const k of ['rows', 'cols'] as const) {
    const s = o[k];
    if (s === undefined) continue;
    const ok =
      Array.isArray(s) &&
      s.length >= 1 &&
      s.length <= 2 &&
      s.every((v) => Number.isInteger(v) && v >= 0) &&
      (s.length === 1 || s[1] > s[0]);
    if (!ok) throw new UsageError(`${flag}: rule ${i}: ${k} must be [start, end] with 0 <= start < end, got ${JSON.stringify(s)}`, flag);
  }
  for (const k of ['mean', 'std', 'gain'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || (k !== 'mean' && v < 0)))
      throw new UsageError(`${flag}: rule ${i}: ${k} must be a finite number${k === 'mean' ? '' : ' >= 0'}`, flag);
  }
  if (o.dist !== undefined && typeof o.dist !== 'string') throw new UsageError(`${flag}: rule ${i}: dist must be a distribution id`, flag);
  if (
    o.params !== undefined &&
    (typeof o.params !== 'object' || o.params === null || Object.values(o.params).some((v) => typeof v !== 'number' || !Number.isFinite(v)))
  ) {
    throw new UsageError(`${flag}: rule ${i}: params must be an object of finite numbers`, flag);
  }
  return o as unknown as InitRule;
}

/**
 * Parse an `--init` value (docs/conventions.md, "InitSpec"). Three forms:
 * - string: rules separated by `;`, each `TARGET[.rows[a:b]][.cols[a:b]]=DIST[(k=v,...)]` or
 *   `TARGET[.rows[a:b]][.cols[a:b]].FIELD=NUMBER` with FIELD in mean, std, gain; presets `normal` (the default) and
 *   `mean-rows(k=K,mu=MU)` (= `Wout.rows[0:K].mean=MU`, the symmetry-breaking init of arXiv 2106.00694);
 * - JSON: an array of {@link InitRule}s or `{ "rules": [...] }`;
 * - `@file.json`: that JSON in a file.
 *
 * @example
 * parseInitSpec('W1.rows[0:2].mean=0.5');
 * parseInitSpec('W*=laplace; b*=point-mass; W0.gain=2');
 * parseInitSpec('[{"target":"Wout","rows":[0,2],"mean":0.5}]');
 */
export function parseInitSpec(value: string, flag = 'init'): InitSpec {
  let v = value.trim();
  let source = v;
  if (v.startsWith('@')) {
    try {
      v = readFileSync(v.slice(1), 'utf8').trim();
    } catch (e) {
      throw new UsageError(`${flag}: cannot read ${v.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, flag);
    }
    source = value.trim();
  }
  if (v.startsWith('[') || v.startsWith('{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(v);
    } catch (e) {
      throw new UsageError(`${flag}: malformed JSON (${(e as Error).message.split('\n')[0]})`, flag);
    }
    const list = Array.isArray(raw) ? raw : (raw as { rules?: unknown }).rules;
    if (!Array.isArray(list)) throw new UsageError(`${flag}: JSON must be an array of rules or { "rules": [...] }`, flag);
    return { rules: list.map((r, i) => checkRule(r, i, flag)), source };
  }
  if (v === '') throw new UsageError(`${flag} must not be empty`, flag);
  const rules = v
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((s) => parseStatement(s, flag));
  return { rules, source };
}

/** The string form of a spec (inverse of {@link parseInitSpec} up to whitespace; presets are expanded). */
export function formatInitSpec(spec: InitSpec): string {
  if (spec.rules.length === 0) return 'normal';
  return spec.rules
    .map((r) => {
      const sel = `${r.rows ? `.rows[${r.rows[0]}:${r.rows[1] ?? ''}]` : ''}${r.cols ? `.cols[${r.cols[0]}:${r.cols[1] ?? ''}]` : ''}`;
      const parts: string[] = [];
      if (r.dist)
        parts.push(
          `${r.target}${sel}=${r.dist}${
            r.params && Object.keys(r.params).length
              ? `(${Object.entries(r.params)
                  .map(([k, x]) => `${k}=${x}`)
                  .join(',')})`
              : ''
          }`,
        );
      for (const k of ['mean', 'std', 'gain'] as const) if (r[k] !== undefined) parts.push(`${r.target}${sel}.${k}=${r[k]}`);
      return parts.join(';');
    })
    .join(';');
}

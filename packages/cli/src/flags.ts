import { LIMITS, UsageError, safeCount } from '@nnsym/core';

/**
 * Flag parsers for commander `.option(flag, desc, parser)` and for manual checks. Each throws a one-line
 * {@link UsageError} that names the flag, which the CLI prints and exits with code 2.
 */

/** A positive safe integer (`1e6` notation accepted), at most `max` (default Number.MAX_SAFE_INTEGER). */
export function positiveInt(flag: string, max: number = LIMITS.count) {
  return (value: string): number => safeCount(value, flag, { min: 1, max });
}

/** A non-negative safe integer, at most `max` (default Number.MAX_SAFE_INTEGER). */
export function nonNegativeInt(flag: string, max: number = LIMITS.count) {
  return (value: string): number => safeCount(value, flag, { min: 0, max });
}

export function finiteNumber(flag: string, opts: { min?: number; max?: number; exclusiveMin?: boolean } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a finite number, got "${value}"`, flag);
    if (opts.min !== undefined && (opts.exclusiveMin ? n <= opts.min : n < opts.min)) {
      throw new UsageError(`${flag} must be ${opts.exclusiveMin ? '>' : '>='} ${opts.min}, got ${value}`, flag);
    }
    if (opts.max !== undefined && n > opts.max) throw new UsageError(`${flag} must be <= ${opts.max}, got ${value}`, flag);
    return n;
  };
}

/** Comma-separated list of numbers, each checked by `item`. */
export function numberList(flag: string, item: (v: string) => number = finiteNumber(flag)) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => s.trim());
    if (parts.length === 0 || parts.some((p) => p === '')) throw new UsageError(`${flag} must be a comma-separated list, got "${value}"`, flag);
    return parts.map(item);
  };
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(flag: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`, flag);
    return value as T;
  };
}

/** `i/n` shard spec: 0 <= i < n. */
export function shardSpec(flag = '--shard') {
  return (value: string): { index: number; count: number } => {
    const m = /^(\d+)\/(\d+)$/.exec(value.trim());
    const index = m ? Number(m[1]) : NaN;
    const count = m ? Number(m[2]) : NaN;
    if (!m || count < 1 || index >= count) throw new UsageError(`${flag} must be i/n with 0 <= i < n, got "${value}"`, flag);
    return { index, count };
  };
}

/** A JSON object flag, e.g. `--group-config '{"n": 4}'`. */
export function jsonObject(flag: string) {
  return (value: string): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(value);
    } catch (e) {
      throw new UsageError(`${flag} must be a JSON object, e.g. '{"n": 4}' (${(e as Error).message})`, flag);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${flag} must be a JSON object, e.g. '{"n": 4}'`, flag);
    return v as Record<string, unknown>;
  };
}

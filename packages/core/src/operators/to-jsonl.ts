import { map, type OperatorFunction } from 'rxjs';
import type { NnsymEvent } from '../events/events';

/**
 * Serialise each event to one JSON line (no trailing newline). Non-finite numbers become `null` with the
 * original kept as a string under `"<key>$"` (e.g. `{"loss":null,"loss$":"NaN"}`), so a JSONL log never holds
 * invalid JSON and a diverged run stays visible.
 *
 * When to use: `--events <file.jsonl>` logs and any consumer that reads events back with `parseEvent`.
 *
 * @example
 * events$.pipe(toJsonl()).subscribe((line) => stream.write(line + '\n'));
 */
export function toJsonl(): OperatorFunction<NnsymEvent, string> {
  return map((e) => stringifyEvent(e));
}

/** Copy `v` with non-finite numbers replaced by `null` plus a sibling `"<key>$"` string. Does not mutate `v`. */
function sanitise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' && !Number.isFinite(x) ? null : sanitise(x)));
  if (!v || typeof v !== 'object') return v;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'number' && !Number.isFinite(x)) {
      out[k] = null;
      out[`${k}$`] = String(x);
    } else {
      out[k] = sanitise(x);
    }
  }
  return out;
}

/**
 * JSON.stringify that keeps NaN/Infinity visible instead of silently writing null: object fields that are not
 * finite become `null` plus `"<key>$": "NaN" | "Infinity" | "-Infinity"`; array entries become `null`. The
 * input is not modified.
 */
export function stringifyEvent(e: unknown): string {
  return JSON.stringify(sanitise(e));
}

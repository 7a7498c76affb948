import { map, type OperatorFunction } from 'rxjs';
import type { NnsymEvent } from '../events/events';

/**
 * Serialise each event to one JSON line (no trailing newline). Non-finite numbers become `null` with the
 * original kept as a string under `"<key>$"`, so a JSONL log never holds invalid JSON.
 *
 * @example
 * events$.pipe(toJsonl()).subscribe((line) => stream.write(line + '\n'));
 */
export function toJsonl(): OperatorFunction<NnsymEvent, string> {
  return map((e) => stringifyEvent(e));
}

/** JSON.stringify that keeps NaN/Infinity visible instead of silently writing null. */
export function stringifyEvent(e: unknown): string {
  return JSON.stringify(e, function (this: Record<string, unknown>, key, value) {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      if (key) this[`${key}$`] = String(value);
      return null;
    }
    return value;
  });
}

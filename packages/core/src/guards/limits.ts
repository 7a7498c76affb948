import { totalmem } from 'node:os';
import { UsageError } from '../errors';

/**
 * Resource guards: one place for the limits every command checks before allocating or looping.
 *
 * Counts are safe integers below documented maxima ({@link LIMITS}); a memory estimate is compared with
 * {@link memoryBudget} before allocating (refused above the machine's memory, and above
 * {@link CONFIRM_BYTES} only with `--yes`); ports, sizes and dimensions are validated. Every refusal is a one-line
 * {@link UsageError} naming the flag to change.
 */

/**
 * Documented maxima of counts and sizes (the CLI help and docs/cli-options.md quote them).
 * - `ensemble`: networks per run (1e12: about 3 years at 10^4 networks/s; the chunk plan stays small).
 * - `width`: hidden width (1e6); `dim`: input or output dimension (1e5); `depth`: hidden layers (1000).
 * - `points`: input points of one run (1e6, as the grid parser); `kernelPoints`: points of a P x P kernel (2e4: 3.2 GB);
 * - `epochs`, `steps`: 1e9; `repeats`: 1e6; `threads`: 256.
 * - `count`: any other count: Number.MAX_SAFE_INTEGER (above it integers are not exact).
 */
export const LIMITS = {
  ensemble: 1e12,
  width: 1e6,
  dim: 1e5,
  depth: 1000,
  points: 1e6,
  epochs: 1e9,
  steps: 1e9,
  repeats: 1e6,
  threads: 256,
  kernelPoints: 20000,
  count: Number.MAX_SAFE_INTEGER,
} as const;

/** Above this estimated allocation a command asks for `--yes` (2 GiB). */
export const CONFIRM_BYTES = 2 * 1024 ** 3;

/** Hard memory limit of one allocation estimate: 80% of the machine's memory (never less than 1 GiB). */
export function memoryBudget(): number {
  return Math.max(1024 ** 3, Math.floor(0.8 * totalmem()));
}

/** `1.5 GB`, `320 MB`, `12 kB`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} B`;
  if (n >= 1e15) return `${n.toExponential(2)} B`;
  if (n >= 1e12) return `${(n / 1e12).toFixed(1)} TB`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

/**
 * Parse and check a count: an integer (decimal or exponent notation such as `1e6`) in `[min, max]`, never above
 * `Number.MAX_SAFE_INTEGER`.
 *
 * When to use: every count flag (`--ensemble`, `--width`, `--samples`, ...), through the CLI's flag parsers.
 *
 * @example safeCount('1e30', '--ensemble', { max: LIMITS.ensemble }) // UsageError: --ensemble 1e30 is too large (max 1e+12)
 */
export function safeCount(value: string | number, flag: string, o: { min?: number; max?: number } = {}): number {
  const min = o.min ?? 1;
  const max = Math.min(o.max ?? LIMITS.count, LIMITS.count);
  const text = String(value).trim();
  const n = typeof value === 'number' ? value : text === '' ? NaN : Number(text);
  const what = min <= 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw new UsageError(`${flag} must be ${what}, got "${value}"`, flag);
  if (n < min) throw new UsageError(`${flag} must be ${what}, got "${value}"`, flag);
  if (n > max) throw new UsageError(`${flag} ${value} is too large (max ${max >= 1e6 ? max.toExponential(0).replace('e+', 'e') : max})`, flag);
  return n;
}

/**
 * Refuse an allocation estimated at `bytes` before making it: above the machine's memory always, above
 * {@link CONFIRM_BYTES} unless `yes` (the `--yes` flag). The message gives the estimate and the flag to change.
 *
 * @example checkMemory({ bytes: 8 * P * P * 3, what: 'three P x P float64 Gram matrices', flag: '--probe', yes: false })
 */
export function checkMemory(o: { bytes: number; what: string; flag: string; yes?: boolean; budget?: number }): void {
  const budget = o.budget ?? memoryBudget();
  if (!Number.isFinite(o.bytes) || o.bytes > budget) {
    throw new UsageError(`${o.flag}: this needs about ${formatBytes(o.bytes)} of memory (${o.what}), more than the ${formatBytes(budget)} available: lower ${o.flag}`, o.flag);
  }
  if (o.bytes > CONFIRM_BYTES && !o.yes) {
    throw new UsageError(`${o.flag}: this needs about ${formatBytes(o.bytes)} of memory (${o.what}): lower ${o.flag}, or pass --yes to go ahead`, o.flag);
  }
}

/**
 * Refuse work estimated at `units` (e.g. multiply-adds) above `limit` unless `yes`: a guard against runs that would
 * take hours by mistake. The message gives the estimate in `unit`s and the flag to change.
 *
 * @example checkWork({ units: W * W * steps, limit: 1e12, unit: 'multiply-adds', flag: '--width', yes })
 */
export function checkWork(o: { units: number; limit: number; unit: string; flag: string; yes?: boolean; what?: string }): void {
  if (!Number.isFinite(o.units) || (o.units > o.limit && !o.yes)) {
    throw new UsageError(`${o.flag}: this needs about ${o.units.toExponential(1)} ${o.unit}${o.what ? ` (${o.what})` : ''}, above the ${o.limit.toExponential(0)} that runs without asking: lower ${o.flag}, or pass --yes to go ahead`, o.flag);
  }
}

/**
 * A TCP port: an integer in 0..65535 (0 = any free port).
 *
 * @example checkPort('70000', '--dashboard-port') // UsageError: --dashboard-port must be 0..65535, got "70000"
 */
export function checkPort(value: string | number, flag: string): number {
  const n = typeof value === 'number' ? value : String(value).trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port 0..65535 (0 = any free port), got "${value}"`, flag);
  return n;
}

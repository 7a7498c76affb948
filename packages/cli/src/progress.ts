import type { NnsymEvent } from '@nnsym/core';

/**
 * Render progress events as a one-line bar on stderr with rate and ETA, e.g.
 * `correlators  [#########.........]  48% 480000/1000000 networks  95.1k/s  ETA 5s`.
 * Shown when stderr is a terminal, or when forced (`--progress`); never mixed into stdout.
 */
export class ProgressBar {
  private start = Date.now();
  private lastLen = 0;
  private shown = false;
  constructor(
    private readonly write: (s: string) => void,
    private readonly label: string,
    private readonly opts: { width?: number; tty?: boolean } = {},
  ) {}

  update(done: number, total: number, unit: string, extra = ''): void {
    const elapsed = (Date.now() - this.start) / 1000;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const w = this.opts.width ?? 24;
    const filled = Math.round(frac * w);
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : NaN;
    const line = `${this.label}  [${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${(100 * frac).toFixed(0).padStart(3)}% ${done}/${total} ${unit}  ${formatRate(rate)}/s  ETA ${formatSeconds(eta)}${extra ? '  ' + extra : ''}`;
    if (this.opts.tty === false) {
      this.write(line + '\n');
    } else {
      this.write('\r' + line.padEnd(this.lastLen));
      this.lastLen = line.length;
    }
    this.shown = true;
  }

  /** Feed any event; only `progress` events move the bar. */
  onEvent(e: NnsymEvent): void {
    if (e.type === 'progress') this.update(e.done, e.total, e.unit, e.label ?? '');
  }

  done(): void {
    if (this.shown && this.opts.tty !== false) this.write('\n');
  }
}

export function formatRate(r: number): string {
  if (!Number.isFinite(r)) return '-';
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k`;
  return r.toFixed(1);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Format a cell value for a table: numbers with 4-6 significant digits, the rest as text or compact JSON. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  const s = JSON.stringify(v);
  return s.length > 160 ? s.slice(0, 157) + '...' : s;
}

/** An HTML table from column names and rows (cells are escaped). */
export function htmlTable(columns: readonly string[], rows: readonly (readonly unknown[])[], className = 'table'): string {
  const head = columns.length ? `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` : '';
  const body = rows
    .map((r) => `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${escapeHtml(formatValue(v))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}">${head}<tbody>\n${body}\n</tbody></table>`;
}

/** Shared inline CSS of reports and the dashboard (no web fonts: the page must open offline). */
export const PAGE_CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #dde1e8; --accent: #4c78a8; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1d2330; color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header .sub { color: #c5cbd6; font-size: 13px; margin-top: 2px; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
section h2 { font-size: 16px; margin: 2px 0 10px; }
h3 { font-size: 14px; margin: 12px 0 6px; color: var(--muted); }
.grid { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
figure { margin: 0; }
figcaption { color: var(--muted); font-size: 12px; max-width: 520px; }
table.table { border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
table.table th, table.table td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
table.table td.num { font-variant-numeric: tabular-nums; text-align: right; }
table.kv td:first-child { color: var(--muted); padding-right: 18px; }
section[data-section="Parameters"] table.kv { columns: 2; display: block; } section[data-section="Parameters"] table.kv tbody { display: block; } section[data-section="Parameters"] table.kv tr { display: flex; break-inside: avoid; margin-right: 24px; }
section[data-section="Parameters"] table.kv td { flex: 1 1 60%; } section[data-section="Parameters"] table.kv td:first-child { flex: 0 0 40%; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.badge.ok { background: #dff3e4; color: #1f6b35; } .badge.bad { background: #fde2e1; color: #9b1c1c; } .badge.info { background: #e4ecf7; color: #24508a; }
p.note { color: var(--muted); font-size: 13px; margin: 6px 0; }
code { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 12px; }
h2.part { font-size: 19px; margin: 26px 0 4px; } h3.part { font-size: 15px; color: var(--fg); margin: 2px 0 8px; }
details > summary { cursor: pointer; color: var(--accent); font-size: 13px; margin: 4px 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 12px; }
`;

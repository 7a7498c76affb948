import { NNSYM_VERSION } from '@nnsym/core';
import { escapeHtml, PAGE_CSS } from '../html/html';
import { DASHBOARD_SCRIPT } from './page-script';

const DASHBOARD_CSS = `
.top { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
#status { font-weight: 600; padding: 2px 10px; border-radius: 10px; background: #e4ecf7; color: #24508a; }
#status[data-state="finished"] { background: #dff3e4; color: #1f6b35; }
#status[data-state="error"], #status[data-state="closed"] { background: #fde2e1; color: #9b1c1c; }
#progress { flex: 1; min-width: 260px; }
.track { height: 10px; background: #e8ebf0; border-radius: 5px; overflow: hidden; }
#bar { height: 100%; width: 0; background: var(--accent); transition: width .2s; }
#progress-text { font-size: 12px; color: var(--muted); margin-top: 3px; }
#charts { display: flex; flex-wrap: wrap; gap: 14px; }
.chartbox { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.ctitle { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
svg.chart text.tick { font-size: 10px; fill: #555; font-family: 'Liberation Sans', Arial, sans-serif; }
.legend { font-size: 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 10px; margin-top: 3px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
table.kv { font-size: 12px; border-collapse: collapse; } table.kv th { text-align: left; color: var(--muted); font-weight: normal; padding-right: 10px; }
`;

/**
 * The dashboard page: one HTML document with inline CSS and the inline script {@link DASHBOARD_SCRIPT}; it loads
 * nothing else (no CDN, no fonts), so it works without network access.
 */
export function dashboardHtml(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${PAGE_CSS}${DASHBOARD_CSS}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><div class="sub" id="run">waiting for the run to start…</div></header>
<main>
<section><div class="top"><span id="status" data-state="connecting">connecting</span>
<div id="progress"><div class="track"><div id="bar"></div></div><div id="progress-text">no progress yet</div></div>
<span class="note">events: <b id="events-count">0</b></span></div></section>
<section><h2>Live</h2><div id="charts"></div></section>
<section><h2>Configuration</h2><table class="kv" id="config"></table><h3>Summary</h3><table class="kv" id="summary"></table></section>
</main><footer>nnsym ${escapeHtml(NNSYM_VERSION)} live dashboard · served on loopback · server-sent events</footer>
<script>${DASHBOARD_SCRIPT}</script></body></html>
`;
}

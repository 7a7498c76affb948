// @nnsym/viz public entry: named re-exports only. Plots (Vega-Lite -> SVG in Node), HTML reports, live dashboard.
export type { PlotSpec, PlotOptions } from './plots/spec';
export { PLOT_FONT, PLOT_CONFIG } from './plots/spec';
export { lineWithBand } from './plots/line-with-band';
export type { BandPoint, LineWithBandOptions } from './plots/line-with-band';
export { heatmap } from './plots/heatmap';
export type { HeatmapOptions } from './plots/heatmap';
export { scatter } from './plots/scatter';
export type { ScatterPoint, ScatterOptions } from './plots/scatter';
export { histogram } from './plots/histogram';
export type { HistogramOptions } from './plots/histogram';
export { renderSvg } from './plots/render-svg';
export { vegaRuntime, vegaBundlePath } from './plots/vega-runtime';

export type { ReportInput, ReportProvenance, ReportBlock, ReportSection, ReportRenderer } from './report/types';
export { ReportRendererRegistry } from './report/registry';
export { reportRenderers, registerBuiltinReportRenderers, BUILTIN_REPORT_RENDERERS } from './report/default-registry';
export { parseReportInput, loadReportInput, reportInputFromResult } from './report/load';
export { buildReport, buildCombinedReport } from './report/build';
export type { BuildReportOptions, ReportPart } from './report/build';
export { eventSections } from './report/renderers/event-sections';
export { escapeHtml, formatValue, htmlTable } from './html/html';

export { startDashboard, DEFAULT_DASHBOARD_PORT } from './dashboard/server';
export type { Dashboard, DashboardOptions, EventSource$ } from './dashboard/server';
export { dashboardHtml } from './dashboard/page';

import { ReportRendererRegistry } from './registry';
import { correlatorsRenderer } from './renderers/correlators';
import { experimentRenderer } from './renderers/experiment';
import { genericRenderer } from './renderers/generic';
import { kernelRenderer } from './renderers/kernel';
import { noetherRenderer } from './renderers/noether';
import { symmetryRenderer } from './renderers/symmetry';
import { trainRenderer } from './renderers/train';

/** The built-in renderers, in resolution order (generic last: it is the fallback). */
export const BUILTIN_REPORT_RENDERERS = [correlatorsRenderer, kernelRenderer, symmetryRenderer, trainRenderer, noetherRenderer, experimentRenderer, genericRenderer];

/** Register the built-in renderers into a registry (for tests that start from a fresh one). */
export function registerBuiltinReportRenderers(reg: ReportRendererRegistry): ReportRendererRegistry {
  for (const r of BUILTIN_REPORT_RENDERERS) reg.register(r);
  return reg;
}

/**
 * The process-wide report renderer registry, with the built-in renderers. Add a renderer for your command with
 * `reportRenderers.register(myRenderer)` (see `ReportRenderer`).
 */
export const reportRenderers = registerBuiltinReportRenderers(new ReportRendererRegistry());

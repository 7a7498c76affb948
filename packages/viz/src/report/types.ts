import type { NnsymEvent } from '@nnsym/core';
import type { PlotSpec } from '../plots/spec';

/** Provenance of a result (the `nnsym` field of every result envelope, see packages/cli/src/result.ts). */
export interface ReportProvenance {
  command: string;
  version?: string;
  seed?: number | string;
  backend?: string;
  precision?: string;
  time?: string;
  argv?: string[];
}

/**
 * What a report is built from: a command's JSON result (envelope `{ nnsym, ...payload }`), an event log (JSONL of
 * `NnsymEvent`), or both (a run directory, or a `--json` train log whose last line is the result).
 */
export interface ReportInput {
  /** Where it was read from (shown in the header). */
  source: string;
  provenance: ReportProvenance;
  /** The result without its `nnsym` field; `{}` when only events were given. */
  payload: Record<string, unknown>;
  /** The event log, in order; empty when only a result was given. */
  events: NnsymEvent[];
  /** The run-start event's config, when there is an event log. */
  config?: Record<string, unknown>;
}

/** A plot (rendered to inline SVG), a table, or a paragraph. */
export type ReportBlock =
  | { kind: 'plot'; spec: PlotSpec; caption?: string }
  | { kind: 'table'; title?: string; columns: string[]; rows: unknown[][]; caption?: string }
  | { kind: 'text'; text: string }
  | { kind: 'verdict'; label: string; ok: boolean | null; text?: string };

/** One titled section of a report. */
export interface ReportSection {
  title: string;
  blocks: ReportBlock[];
}

/**
 * Renders the sections of a report for one kind of command. Renderers are registered in a
 * {@link ReportRendererRegistry}; `buildReport` picks the one whose `commands` include the result's
 * `nnsym.command` (or its first word, so `experiment init-symmetry` matches `experiment`), then asks `matches`, and
 * falls back to the generic renderer.
 *
 * @example
 * const myRenderer: ReportRenderer = {
 *   meta: { id: 'sample', description: 'network outputs: histograms per input' },
 *   commands: ['sample'],
 *   render: (input) => [{ title: 'Outputs', blocks: [{ kind: 'plot', spec: histogram(input.payload.outputs as number[]) }] }],
 * };
 * reportRenderers.register(myRenderer);
 */
export interface ReportRenderer {
  meta: { id: string; description: string };
  /** Command names handled (`nnsym.command`, or the command of an event log's run-start). */
  commands: string[];
  /** Optional finer test (e.g. only when the payload has a field). */
  matches?(input: ReportInput): boolean;
  /** Sections after the common header, provenance and parameters. */
  render(input: ReportInput): ReportSection[] | Promise<ReportSection[]>;
}

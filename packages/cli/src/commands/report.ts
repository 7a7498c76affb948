import type { Command } from 'commander';
import { atomicWriteFile, prepareOutputFile } from '@nnsym/core';
import { buildReport, loadReportInput, reportRenderers } from '@nnsym/viz';
import type { CliContext } from '../context';
import { resultEnvelope } from '../result';

interface ReportFlags {
  out: string;
  title?: string;
}

/**
 * `nnsym report <input> --out report.html`: one self-contained HTML page (inline SVG plots and CSS, no network)
 * from a command's JSON result, an event log (JSONL), or a run directory. The page is laid out by the renderer
 * registered for the result's `nnsym.command` (see `reportRenderers` in @nnsym/viz); anything that is not an nnsym
 * result is a one-line error saying what it is not (exit 2).
 */
export function registerReport(program: Command, ctx: () => CliContext): void {
  program
    .command('report')
    .description('build a self-contained HTML report (plots, parameters, seed, backend, version) from a result, event log or run directory')
    .argument('<input>', 'a result .json (`--json` output of any command), an event log .jsonl, or a run directory (holding a result and/or an event log, or a `train --checkpoint` directory)')
    .option('--out <file>', 'the HTML file to write', 'report.html')
    .option('--title <text>', 'page title (default: "nnsym <command>")')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym kernel --arch gauss-net --inputs '[-1,-0.5,0,0.5,1]' --json > kernel.json && nnsym report kernel.json --out kernel.html\n" +
        '  nnsym train --dataset mnist --epochs 2 --json > run.jsonl && nnsym report run.jsonl --out train.html\n' +
        `Renderers: ${reportRenderers.ids().join(', ')} (generic is the fallback for other commands).\n`,
    )
    .action(async (input: string, flags: ReportFlags) => {
      const c = ctx();
      const out = prepareOutputFile(flags.out, '--out');
      const data = loadReportInput(input);
      const html = await buildReport(data, { title: flags.title });
      atomicWriteFile(out, html, '--out');
      const renderer = reportRenderers.resolve(data).meta.id;
      if (c.json) c.out(JSON.stringify(await resultEnvelope(c, 'report', 'n/a', { report: out, bytes: Buffer.byteLength(html), command: data.provenance.command, renderer, events: data.events.length }, { startBackend: false })));
      else c.out(`report: ${flags.out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} kB; ${data.provenance.command} via the ${renderer} renderer${data.events.length ? `, ${data.events.length} events` : ''})`);
    });
}

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError, atomicWriteFile, prepareOutputFile, type SeedKey } from '@nnsym/core';
import { kernelRows, type AnalyticKernels } from '@nnsym/ntk';
import type { CorrelatorPartial, CorrelatorResult, SweepSummary } from '@nnsym/correlators';
import type { CliContext } from '../context';
import { ProgressBar } from '../progress';
import { resultEnvelope } from '../result';

/**
 * The output flag family: `--json` (global), `--out FILE`, `--progress`; atomic result files; the text printers
 * shared by several commands (correlator tables, kernel matrices).
 */
export interface OutputFlags {
  out?: string;
  progress?: boolean;
}

/**
 * Add `--out <file>` and/or `--progress` to `cmd`. `--out` is validated before the command computes anything (the
 * run-file policy of `@nnsym/core`: its directory must exist or be creatable one level, it must not be a directory).
 *
 * @param o.out the `--out` description, or false for none; o.progress false for no `--progress`
 * @example addOutputOptions(program.command('kernel'))
 */
export function addOutputOptions(cmd: Command, o: { out?: string | false; progress?: string | false } = {}): Command {
  if (o.out !== false) {
    cmd.option('--out <file>', o.out ?? 'also write the JSON result (the --json envelope) to this file, atomically');
    cmd.hook('preAction', (_cmd, action) => {
      const v = action.opts<{ out?: unknown }>().out;
      if (v !== undefined) prepareOutputFile(String(v), '--out');
    });
  }
  if (o.progress !== false) cmd.option('--progress', o.progress ?? 'show progress on stderr even when it is not a terminal or with --json');
  return cmd;
}

/**
 * Write an nnsym result file atomically (the run-file policy); errors name `flag` and the user's path.
 *
 * @example writeResultFile('run.json', env)
 */
export function writeResultFile(path: string, envelope: unknown, flag = '--out'): void {
  atomicWriteFile(path, JSON.stringify(envelope), flag);
}

/**
 * Emit a command's result: build the envelope when `--json` or `--out` asks for it, write `--out` atomically, print
 * it on stdout under `--json`. Returns true when the JSON was printed (the command then prints no text).
 *
 * @example if (await emitResult(c, o, 'kernel', 'float64', payload)) return;
 */
export async function emitResult(
  c: CliContext,
  flags: OutputFlags,
  command: string,
  precision: string,
  payload: Record<string, unknown> | (() => Record<string, unknown>),
  o: { complete?: boolean; seed?: SeedKey } = {},
): Promise<boolean> {
  if (!c.json && !flags.out) return false;
  const env = await resultEnvelope(c, command, precision, typeof payload === 'function' ? payload() : payload, o);
  if (flags.out) writeResultFile(flags.out, env);
  if (c.json) c.out(JSON.stringify(env));
  return c.json;
}

/**
 * A progress bar on stderr when stderr is a terminal (and not --json), or when `--progress` forces it.
 *
 * @example const bar = progressBar(c, o, 'compare'); bar?.update(3, 10, 'pairs'); bar?.done();
 */
export function progressBar(c: CliContext, flags: OutputFlags, label: string): ProgressBar | undefined {
  const show = Boolean(flags.progress) || (c.interactive && !c.json);
  return show ? new ProgressBar((s) => process.stderr.write(s), label, { tty: c.interactive }) : undefined;
}

/**
 * Read a correlator partial (a `--checkpoint` file or an `--out` result holding `partial`). Bad files are one line
 * naming `flag`.
 */
export function readPartial(path: string, flag: string): CorrelatorPartial {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]}`, flag);
  }
  const p = (raw as { partial?: unknown } | null)?.partial ?? raw;
  if (!p || typeof p !== 'object' || (p as { format?: string }).format !== 'nnsym-correlators-partial') throw new UsageError(`${flag}: ${path} holds no correlator partial result`, flag);
  const q = p as Partial<CorrelatorPartial>;
  if (!q.spec || typeof q.spec !== 'object' || !Array.isArray(q.done) || typeof q.chunks !== 'number') throw new UsageError(`${flag}: ${path} is a damaged correlator partial (missing spec, done or chunks)`, flag);
  return p as CorrelatorPartial;
}

/** A number for tables: 4 significant digits, exponent notation outside [1e-3, 1e5), '-' for none. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toPrecision(digits) : v.toExponential(digits - 1);
}

/** Print a correlator result (one width) as text, `show` tuples per order. */
export function printCorrelatorResult(c: CliContext, r: CorrelatorResult, show: number): void {
  const head = r.method === 'exact' ? `exact-in-N (${r.moments?.note})` : `${r.networks} networks${r.complete ? '' : r.interrupted ? ' (INTERRUPTED: partial result)' : ' (shard: partial ensemble)'}`;
  c.out(`correlators: ${r.arch} N=${r.width}, ${head}; ${r.inputs.length} inputs, d_out ${r.dOut}; K: ${r.kernel.source} (${r.kernel.detail.split('(')[0].trim()})`);
  for (const [n, o] of Object.entries(r.orders)) {
    const s = o.summary;
    // The estimator of each error in brackets: per-network (exact sd(s_m)/√M) or jackknife-B (groups).
    const by = s.stderrEstimators;
    const pm = (e: number | null, how?: string | null) => (e === 0 ? '' : ` ± ${fmt(e, 2)}${how && how !== 'exact' ? ` (${how})` : ''}`);
    const conn = s.meanConnectedDeviation !== null ? `; mean G_c/GP ${fmt(s.meanConnectedDeviation)}${pm(s.meanConnectedDeviationStderr, by?.meanConnectedDeviation)}` : '';
    c.out(`order ${n}: ${o.tuples.length} tuples; mean (G-GP)/GP ${fmt(s.meanDeviation)}${pm(s.meanDeviationStderr, by?.meanDeviation)}; m_${n} = mean |G-GP|/GP ${fmt(s.meanAbsDeviation)}${conn}${s.maxAbsZ !== null ? `; max |G-GP|/se ${fmt(s.maxAbsZ, 3)}` : ''}`);
    if (show > 0) {
      c.out(`  ${'tuple'.padEnd(4 * Number(n) + 2)} ${'estimate'.padStart(12)} ${'± stderr'.padStart(10)} ${'GP'.padStart(12)} ${'(G-GP)/GP'.padStart(11)} ${'connected'.padStart(12)}`);
      for (let t = 0; t < Math.min(show, o.tuples.length); t++) {
        const tup = `[${o.tuples[t].join(',')}]${o.outputs ? `_${o.outputs[t].join('')}` : ''}`;
        c.out(`  ${tup.padEnd(4 * Number(n) + 2)} ${fmt(o.estimate[t], 6).padStart(12)} ${fmt(o.stderr[t], 2).padStart(10)} ${fmt(o.gp[t], 6).padStart(12)} ${fmt(o.deviation[t], 3).padStart(11)} ${fmt(o.connected[t], 4).padStart(12)}`);
      }
      if (o.tuples.length > show) c.out(`  (${show} of ${o.tuples.length} tuples; --json for all)`);
    }
  }
}

/** Print a width sweep of correlators with its 1/N fits. */
export function printSweep(c: CliContext, s: SweepSummary): void {
  const orders = Object.keys(s.rows[0]?.orders ?? {});
  const cols = orders.flatMap((n) => (n === '2' ? [`dev${n}`] : n === '4' ? [`dev${n}`, `m${n}`] : [`dev${n}`, `conn${n}/GP`]));
  c.out(`width sweep: ${s.arch}, ${s.method}`);
  c.out(`  ${'N'.padStart(6)} ${cols.map((h) => h.padStart(22)).join(' ')}`);
  for (const r of s.rows) {
    const cells = orders.flatMap((n) => {
      const o = r.orders[n];
      const pm = (v: number | null, e: number | null) => (e === 0 ? fmt(v) : `${fmt(v)} ± ${fmt(e, 2)}`);
      if (n === '2') return [pm(o.meanDeviation, o.meanDeviationStderr)];
      if (n === '4') return [pm(o.meanDeviation, o.meanDeviationStderr), pm(o.meanAbsDeviation, o.meanAbsDeviationStderr)];
      return [pm(o.meanDeviation, o.meanDeviationStderr), pm(o.meanConnectedDeviation, o.meanConnectedDeviationStderr)];
    });
    c.out(`  ${String(r.width).padStart(6)} ${cells.map((x) => x.padStart(22)).join(' ')}`);
  }
  c.out('fits (weighted least squares over the widths; errors from the per-width errors):');
  for (const f of s.fits) {
    const terms = f.fit.powers.map((p, i) => `${p === 0 ? 'a' : `c/N^${p}`}=${fmt(f.fit.coefficients[i])}${f.fit.stderr[i] === 0 ? '' : ` ± ${fmt(f.fit.stderr[i], 2)}`}`).join(', ');
    c.out(`  order ${f.order} ${f.quantity.padEnd(13)} ${f.model.padEnd(20)} ${terms}; chi2/dof ${fmt(f.fit.chi2, 3)}/${f.fit.dof}; log-log slope ${fmt(f.slope.slope, 3)}${f.slope.slopeStderr === 0 ? '' : ` ± ${fmt(f.slope.slopeStderr, 2)}`}`);
  }
}

/** Largest matrix side printed in full as text; bigger matrices show their top-left corner (M7). */
export const MAX_TEXT_MATRIX = 12;

/**
 * Format a P×P matrix for the terminal: every entry up to {@link MAX_TEXT_MATRIX} rows, else the top-left corner and
 * a line saying so (`--json` has all of it).
 *
 * @example formatMatrix(new Float64Array([1, 0, 0, 1]), 2)
 */
export function formatMatrix(k: Float64Array, P: number, max = MAX_TEXT_MATRIX, o: { missing?: string } = {}): string[] {
  const rows = kernelRows(k, P);
  // `missing`: how to print NaN entries that mean "not computed" (an interrupted kernel), instead of "NaN".
  const cell = (v: number) => (o.missing !== undefined && Number.isNaN(v) ? o.missing : v.toPrecision(8)).padStart(15);
  if (P <= max) return rows.map((r) => r.map(cell).join(' '));
  const lines = rows.slice(0, max).map((r) => r.slice(0, max).map(cell).join(' ') + ' ...');
  lines.push(`... (${max}x${max} corner of the ${P}x${P} matrix; --json for all of it)`);
  return lines;
}

/** The fields every analytic kernel result reports besides its matrices. */
export function analyticMeta(k: AnalyticKernels & { architecture: string }): Record<string, unknown> {
  return {
    arch: k.architecture,
    activation: k.activation,
    method: k.method,
    reference: k.reference,
    depth: k.depth,
    sigmaW: k.sigmaW,
    sigmaB: k.sigmaB,
    bias: k.bias,
    dIn: k.dIn,
    dOut: k.dOut,
    P: k.P,
    outputStructure: 'K_ab = delta_ab K (zero-mean weights); the matrix is K for one output',
    notes: k.notes,
  };
}

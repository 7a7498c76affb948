import type { Command } from 'commander';
import { UsageError, atomicWriteFile, prepareOutputFile } from '@nnsym/core';
import { renderSvg, scatter } from '@nnsym/viz';
import type { EftReport } from '@nnsym/correlators';
import type { CliContext } from '../context';
import { numberList } from '../flags';
import { fmt } from './output';

/** Flags of the EFT-coupling extension of `nnsym correlators`. */
export interface EftFlags {
  eftCutoffs?: number[];
  eftFitCutoff?: number;
  eftCsv?: string;
  eftSvg?: string;
}

/** A cutoff Λ: a positive number or `inf`. */
function cutoff(flag: string) {
  return (v: string): number => {
    if (/^\+?inf(inity)?$/i.test(v.trim())) return Infinity;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must list positive numbers or inf, got "${v}"`, flag);
    return n;
  };
}

/** `--eft-cutoffs`, `--eft-fit-cutoff`, `--eft-csv` (arXiv 2008.08601 §4; docs/conventions.md "EFT couplings"). */
export function addEftOptions(cmd: Command): void {
  cmd
    .option('--eft-cutoffs <list>', 'also compute the EFT quartic coupling λ = ΔG4 / 24∫_{|x|<=Λ} Π K_EFT per 4-tuple at these cutoffs Λ (e.g. 7,10,100 or inf for gauss-net; d_in = 1, order 4 needed)', numberList('--eft-cutoffs', cutoff('--eft-cutoffs')))
    .option('--eft-fit-cutoff <L>', 'cutoff of the λ0, λ2, λNL least-squares fit (default: the first --eft-cutoffs)', cutoff('--eft-fit-cutoff'))
    .option('--eft-csv <file>', 'write λ per cutoff and tuple as CSV (cutoff,tuple,lambda,lambda_stderr,integral,integral_error)')
    .option('--eft-svg <file>', 'write the running plot |λ| against Λ, log-log (mean and min/max over tuples, finite cutoffs) as SVG');
}

/** One-line checks of the EFT flags before any work. */
export function checkEftFlags(o: EftFlags, ctx: { orders: number[]; dIn: number; sweep: boolean }): void {
  const used = o.eftFitCutoff !== undefined ? '--eft-fit-cutoff' : o.eftCsv !== undefined ? '--eft-csv' : o.eftSvg !== undefined ? '--eft-svg' : undefined;
  if (!o.eftCutoffs) {
    if (used) throw new UsageError(`${used} needs --eft-cutoffs`, used);
    return;
  }
  if (!ctx.orders.includes(4)) throw new UsageError('--eft-cutoffs needs the 4-point function: add 4 to --orders', '--eft-cutoffs');
  if (ctx.dIn !== 1) throw new UsageError(`--eft-cutoffs: the EFT integrals are implemented for d_in = 1 (got d_in = ${ctx.dIn})`, '--eft-cutoffs');
  if (ctx.sweep) throw new UsageError('--eft-cutoffs works with one --width, not --widths', '--eft-cutoffs');
  if (o.eftFitCutoff !== undefined && !o.eftCutoffs.includes(o.eftFitCutoff)) throw new UsageError('--eft-fit-cutoff must be one of --eft-cutoffs', '--eft-fit-cutoff');
  if (o.eftCsv) prepareOutputFile(o.eftCsv, '--eft-csv');
  if (o.eftSvg) {
    if (o.eftCutoffs.filter((L) => Number.isFinite(L)).length < 2) throw new UsageError('--eft-svg needs at least two finite --eft-cutoffs', '--eft-svg');
    prepareOutputFile(o.eftSvg, '--eft-svg');
  }
}

/** The λ table (mean per cutoff), the running slope and the fit, as text. */
export function printEft(c: CliContext, r: EftReport): void {
  c.out(`EFT couplings (${r.method}${r.networks !== undefined ? `, ${r.networks} networks` : ''}, ${r.tuples.length} tuples): λ = ΔG4 / I0, I0 = 24∫_{|x|<=Λ} Π K_EFT`);
  c.out('  Λ          mean λ        ± (bound)     spread over tuples   max δI0/I0');
  for (const row of r.cutoffs) {
    const relErr = row.integral.reduce((m, v, t) => Math.max(m, row.integralError[t] / Math.abs(v)), 0);
    c.out(`  ${String(row.cutoff).padEnd(10)} ${fmt(row.mean, 5).padEnd(13)} ${fmt(row.meanStderrBound, 2).padEnd(13)} ${fmt(row.spread, 3).padEnd(20)} ${fmt(relErr, 2)}`);
  }
  if (r.running) c.out(`  running: log10|λ_t| = ${fmt(r.running.slope, 4)} log10 Λ + ${fmt(r.running.intercept, 4)} (R² ${fmt(r.running.r2, 5)}, ${r.running.points} points)`);
  if (r.fit) {
    const f = r.fit;
    c.out(`  fit at Λ = ${f.cutoff}: λ0 ${fmt(f.lambda0, 5)}, λ2 ${fmt(f.lambda2, 5)}, λNL ${fmt(f.lambdaNL, 5)}; MAPE ${fmt(f.mape, 3)}% (max ${fmt(f.maxApe, 3)}%); λ0 alone ${fmt(f.lambda0Only, 5)}, MAPE ${fmt(f.mapeLambda0Only, 3)}%; Gram det ${fmt(f.gramDeterminant, 2)}${f.gramDeterminant < 1e-8 ? ' (I0, I2, INL nearly collinear: λ0, λ2, λNL individually ill-determined; their combination fits)' : ''}`);
  }
}

/** CSV of λ per cutoff and tuple. */
export function writeEftCsv(path: string, r: EftReport): void {
  const lines = ['cutoff,tuple,lambda,lambda_stderr,integral,integral_error'];
  for (const row of r.cutoffs) {
    row.lambda.forEach((v, t) => lines.push([row.cutoff, r.tuples[t].join(' '), v, row.lambdaStderr[t] ?? '', row.integral[t], row.integralError[t]].join(',')));
  }
  atomicWriteFile(prepareOutputFile(path, '--eft-csv'), lines.join('\n') + '\n', '--eft-csv');
}

/** The running plot: |mean λ| and the min and max of |λ_t| over tuples against Λ, log-log (rg.py's figure, compacted). */
export async function writeEftSvg(path: string, r: EftReport): Promise<void> {
  const pts: { x: number; y: number; series: string }[] = [];
  for (const row of r.cutoffs) {
    if (row.cutoff === 'inf') continue;
    const abs = row.lambda.map(Math.abs).filter((v) => v > 0);
    if (abs.length === 0) continue;
    pts.push({ x: row.cutoff, y: Math.max(...abs), series: 'max |λ_t| over tuples' });
    if (row.mean !== 0) pts.push({ x: row.cutoff, y: Math.abs(row.mean), series: '|mean λ|' });
    pts.push({ x: row.cutoff, y: Math.min(...abs), series: 'min |λ_t| over tuples' });
  }
  const slope = r.running ? `, pooled slope ${r.running.slope.toFixed(3)} (R² ${r.running.r2.toFixed(5)})` : '';
  const spec = scatter(pts, { title: `${r.arch} N=${r.width} (${r.method}): λ against the cutoff${slope}`, xTitle: 'Λ', yTitle: '|λ|', xScale: 'log', yScale: 'log' });
  atomicWriteFile(prepareOutputFile(path, '--eft-svg'), await renderSvg(spec), '--eft-svg');
}

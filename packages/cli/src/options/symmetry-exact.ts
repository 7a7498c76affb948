import { UsageError, type SeedKey } from '@nnsym/core';
import type { GroupAction, GroupSpace } from '@nnsym/groups';
import { exactSymmetryStudy, type ExactSymmetryResult } from '@nnsym/symmetry';
import type { CliContext } from '../context';
import { emitResult, type OutputFlags } from './output';

/** The study-design flags of `nnsym symmetry` that every engine reads (the command's flags extend this). */
export interface SymmetryDesignFlags {
  on: GroupSpace;
  orders: number[];
  breakMean?: number;
  breakRows: number;
  inputMean?: number;
  sigmaW: number;
  sigmaB: number;
  groupSamples: number;
  maxComponents?: number;
}

/** The `nnsym symmetry` flags the exact engine reads. */
export interface ExactSymmetryFlags extends OutputFlags, SymmetryDesignFlags {
  arch: string;
  dIn: number;
  dOut: number;
  width: number;
  widths?: number[];
  predict?: boolean;
  calibrate?: string;
  repeats?: number;
  init?: string;
  train?: string;
  threads?: number;
  shard?: unknown;
  checkpoint?: string;
  resume?: unknown;
  resumeFrom?: string;
}

/** One-line refusal of the flags that mean nothing without Monte Carlo (call before any work). */
export function checkExactFlags(o: ExactSymmetryFlags): void {
  const bad = (['calibrate', 'repeats', 'init', 'train', 'shard', 'checkpoint', 'resume', 'resumeFrom'] as const).find((k) => o[k] !== undefined && o[k] !== false);
  const flag = bad === 'resumeFrom' ? '--resume-from' : `--${bad}`;
  if (bad) throw new UsageError(`${flag}: not with --engine exact (deterministic: no ensemble to repeat, calibrate, shard, resume or train)`, flag);
}

const e = (x: number) => (x === 0 ? '0' : x.toExponential(2));

function line(r: ExactSymmetryResult, label = ''): string {
  const pred = r.predicted === 'unknown' ? 'unknown' : `${r.predicted} (${r.agree === null ? 'undecided' : r.agree ? 'agree' : 'DISAGREE'})`;
  const cells = r.orderTests.map((t) => `order ${t.order}: max |ΔG|/|G| ${e(t.maxRelativeDifference)} vs float64 bound ${e(t.relativeTolerance)}, ${t.exceeding}/${t.components} exceed`);
  return `${label}${r.group.padEnd(26)} ${r.on.padEnd(7)} ${r.verdict.padEnd(12)} exact N=${r.width} max |ΔG|/bound=${e(r.statistic)} predicted=${pred} [${cells.join('; ')}]`;
}

/**
 * `nnsym symmetry --engine exact`: the exact-in-N verdict of every group (and width of `--widths`), in the shape of
 * the Monte-Carlo result (per-order rows, `verdict`, `method: "exact"`).
 */
export async function runExactSymmetry(c: CliContext, o: ExactSymmetryFlags, groups: GroupAction[], inputs: Float64Array[], seed: SeedKey): Promise<void> {
  const widths = o.widths ?? [o.width];
  const study = (group: GroupAction, width: number) =>
    exactSymmetryStudy({
      ensemble: { arch: o.arch, dIn: o.dIn, dOut: o.dOut, width, networks: 0, sw: o.sigmaW, sb: o.sigmaB, breakMean: o.breakMean, breakRows: o.breakRows, inputMean: o.inputMean },
      inputs,
      group,
      on: o.on,
      orders: o.orders,
      samples: o.groupSamples,
      maxComponents: o.maxComponents,
      seed,
      requirePrediction: o.predict,
    });
  const precision = 'float64 exact-in-N correlators (no Monte Carlo)';
  if (o.widths) {
    const group = groups[0];
    const rows = widths.map((w) => study(group, w));
    if (!(await emitResult(c, o, 'symmetry', precision, { group: group.name, on: o.on, engine: 'exact', sweep: rows }))) for (const r of rows) c.out(line(r, `N=${String(r.width).padEnd(6)} `));
    return;
  }
  const results = groups.map((g) => study(g, o.width));
  const payload = groups.length === 1 ? { engine: 'exact', ...results[0] } : { group: 'auto', on: o.on, engine: 'exact', results };
  if (!(await emitResult(c, o, 'symmetry', precision, payload))) for (const r of results) c.out(line(r));
}

/**
 * The parts of an `nnsym correlators` / `nnsym merge` JSON result that the sharding tests compare, and the
 * comparison itself (shared by shards.spec.ts and slurm.spec.ts).
 */
import * as fs from 'node:fs';

export interface OrderBlock {
  estimate: number[];
  stderr: number[];
  connected: number[];
}

export interface CorrelatorResultFile {
  networks: number;
  complete: boolean;
  orders: Record<string, OrderBlock>;
  partial: { done: number[]; networks: number; complete: boolean; state: { n: number[] } };
}

export function readResult(file: string): CorrelatorResultFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CorrelatorResultFile;
}

/** Largest |a_i − b_i| relative to the scale max |a| of the statistic (a few hundred ulps is float64 merge rounding). */
export function maxRelDiff(a: number[], b: number[]): number {
  const scale = Math.max(...a.map(Math.abs), 1e-300);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / scale));
}

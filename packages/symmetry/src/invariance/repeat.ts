import { Rng, UsageError, type SeedKey } from '@nnsym/core';
import { runSymmetryStudy, type SymmetryStudyOptions, type SymmetryStudyResult } from './study';

/** Result of {@link invarianceRepeat}: the "broken" rate over R independent ensembles. */
export interface InvarianceRepeatResult {
  repeat: number;
  broken: number;
  /** broken / repeat: ≈ α under invariance (calibration), the power under breaking. */
  brokenRate: number;
  /** Binomial standard error √(rate (1 − rate) / R). */
  brokenRateStderr: number;
  /** P(X ≥ broken) for X ~ Binomial(R, α): small means the test rejects more often than α (miscalibrated or broken). */
  exceedanceP: number;
  pValues: number[];
  /** The first study (prediction, unbroken subgroup, design). */
  first: SymmetryStudyResult;
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space (float64). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  let lc = 0; // log C(n, 0)
  let sum = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) lc += Math.log((n - j + 1) / j);
    if (j >= k) sum += Math.exp(lc + j * Math.log(p) + (n - j) * Math.log1p(-p));
  }
  return Math.min(1, sum);
}

/**
 * Repeat a symmetry study on R independent ensembles (seeds `Rng.derive(seed, 'repeat', r)`) and report how often
 * it says "broken", with the binomial standard error and the binomial tail P(X ≥ broken | α).
 *
 * When to use: calibration (an invariant ensemble: the rate should be ≈ α) and power (a broken one); behind
 * `nnsym symmetry --repeat R`. Cost R studies.
 *
 * @example
 * const r = await invarianceRepeat({ ensemble: { arch: 'gauss-net', dIn: 1, dOut: 2, width: 50, networks: 2000 },
 *   inputs: [Float64Array.of(1)], group: createSpecialOrthogonal(2), on: 'outputs', orders: [2], source: referenceSource }, 40);
 * r.brokenRate; // ≈ 0.05 ± 0.03
 */
export async function invarianceRepeat(
  opts: SymmetryStudyOptions,
  repeat: number,
  onProgress?: (done: number, total: number) => void,
): Promise<InvarianceRepeatResult> {
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new UsageError(`--repeat must be a positive integer, got ${repeat}`, '--repeat');
  const seed: SeedKey = opts.seed ?? 0;
  const alpha = opts.alpha ?? 0.05;
  const pValues: number[] = [];
  let broken = 0;
  const study = (r: number) => runSymmetryStudy({ ...opts, seed: Rng.derive(seed, 'repeat', r).nextUint32() });
  const first = await study(0);
  for (let r = 0; r < repeat; r++) {
    const res = r === 0 ? first : await study(r);
    pValues.push(res.pValue);
    if (res.verdict === 'broken') broken++;
    onProgress?.(r + 1, repeat);
  }
  const rate = broken / repeat;
  return {
    repeat,
    broken,
    brokenRate: rate,
    brokenRateStderr: Math.sqrt((rate * (1 - rate)) / repeat),
    exceedanceP: binomialUpperTail(broken, repeat, alpha),
    pValues,
    first,
  };
}

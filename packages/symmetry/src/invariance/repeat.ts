import { Rng, UsageError, type SeedKey } from '@nnsym/core';
import { betaI } from '@nnsym/numerics';
import { runSymmetryStudy, type SymmetryStudyOptions, type SymmetryStudyResult } from './study';

/** Result of {@link invarianceRepeat}: the "broken" rate over R independent ensembles. */
export interface InvarianceRepeatResult {
  repeat: number;
  broken: number;
  invariant: number;
  /** Ensembles whose rejection the tail diagnostics could not support (see `decideInvariance`). */
  inconclusive: number;
  /** inconclusive / repeat. */
  inconclusiveRate: number;
  /** Clopper–Pearson 95% interval of the broken rate. */
  brokenInterval: [number, number];
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

/** Inverse of the regularised incomplete beta in x (bisection; I_x(a, b) is increasing in x). */
function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (betaI(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Clopper–Pearson (exact) two-sided interval for a binomial rate k/n at confidence 1 − level (default 95%):
 * [B(level/2; k, n − k + 1), B(1 − level/2; k + 1, n − k)] with B the beta quantile.
 *
 * @example
 * clopperPearson(5, 100); // ≈ [0.0164, 0.1128]
 */
export function clopperPearson(k: number, n: number, level = 0.05): [number, number] {
  const lo = k === 0 ? 0 : betaQuantile(level / 2, k, n - k + 1);
  const hi = k === n ? 1 : betaQuantile(1 - level / 2, k + 1, n - k);
  return [lo, hi];
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
  const runs: SymmetryStudyResult[] = [];
  for (let r = 0; r < repeat; r++) {
    runs.push(await runSymmetryStudy({ ...opts, seed: invarianceRepeatSeed(seed, r) }));
    onProgress?.(r + 1, repeat);
  }
  return { ...summarizeInvarianceRepeats(runs, opts.alpha ?? 0.05), first: runs[0] };
}

/**
 * The seed of repeat r of {@link invarianceRepeat}: `Rng.derive(seed, 'repeat', r).nextUint32()`. Repeat r is one
 * study with this seed, so repeats can run anywhere (shards of `nnsym symmetry --repeats R --shard i/n`).
 *
 * @example runSymmetryStudy({ ...opts, seed: invarianceRepeatSeed(opts.seed ?? 0, 7) }) // repeat 7
 */
export function invarianceRepeatSeed(seed: SeedKey, r: number): number {
  return Rng.derive(seed, 'repeat', r).nextUint32();
}

/**
 * The summary of {@link invarianceRepeat} from its repeats' verdicts and p-values, in repeat order: the "broken"
 * rate, its binomial standard error, Clopper–Pearson interval and binomial tail P(X ≥ broken | α).
 *
 * @example summarizeInvarianceRepeats([{ verdict: 'invariant', pValue: 0.4 }, { verdict: 'broken', pValue: 0.01 }], 0.05).brokenRate // 0.5
 */
export function summarizeInvarianceRepeats(runs: readonly Pick<SymmetryStudyResult, 'verdict' | 'pValue'>[], alpha: number): Omit<InvarianceRepeatResult, 'first'> {
  const repeat = runs.length;
  const broken = runs.filter((r) => r.verdict === 'broken').length;
  const inconclusive = runs.filter((r) => r.verdict === 'inconclusive').length;
  const rate = broken / repeat;
  return {
    repeat,
    broken,
    invariant: repeat - broken - inconclusive,
    inconclusive,
    inconclusiveRate: inconclusive / repeat,
    brokenInterval: clopperPearson(broken, repeat),
    brokenRate: rate,
    brokenRateStderr: Math.sqrt((rate * (1 - rate)) / repeat),
    exceedanceP: binomialUpperTail(broken, repeat, alpha),
    pValues: runs.map((r) => r.pValue),
  };
}

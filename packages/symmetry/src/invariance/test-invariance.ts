import { nextMacrotask } from '@nnsym/core';
import { InvarianceAccumulator, type InvarianceStatistic, type OutputChunk } from './accumulator';
import type { InvarianceDesign } from './design';
import { decideInvariance, type InvarianceDecision, type OrderTest } from './decide';

/**
 * How the verdict is decided: `per-order` (default): one Hotelling test per order, Holm-combined, with tail
 * diagnostics that can make it `inconclusive` ({@link decideInvariance}); `hotelling`: the joint F test of every
 * component (one rank cut-off on the joint matrix; the method before issue 16); `bonferroni`: min p · K.
 */
export type InvarianceMethod = 'per-order' | 'hotelling' | 'bonferroni';

/** The three verdicts. */
export type InvarianceVerdict = 'invariant' | 'broken' | 'inconclusive';

/** Options of {@link testInvariance} / {@link invarianceVerdict}. */
export interface InvarianceTestOptions {
  /** Significance level (default 0.05). */
  alpha?: number;
  /** `per-order` (default), `hotelling` (joint) or `bonferroni`, see {@link InvarianceMethod}. */
  method?: InvarianceMethod;
  /** Level of the Hill test of infinite variance behind `inconclusive` (default 0.05; `per-order` only). */
  tailLevel?: number;
  /** Precision of the network outputs fed in, recorded in the result (default: tfjs float32). */
  outputPrecision?: string;
}

/** The outcome of an invariance test. */
export interface InvarianceResult {
  group: string;
  groupId: string;
  on: 'inputs' | 'outputs';
  verdict: InvarianceVerdict;
  method: InvarianceMethod;
  alpha: number;
  /** The statistic of `method` (Hotelling T² of the order with the smallest p for `per-order`, joint T², or max |z|). */
  statistic: number;
  /** Rank kept (degrees of freedom) of that statistic. */
  dof: number;
  /** The p-value the verdict uses (Holm-combined over orders for `per-order`). */
  pValue: number;
  /** Why `inconclusive` (empty otherwise). */
  reason: string;
  /** For `inconclusive`: the ensemble size that would decide (null: none will, see {@link InvarianceDecision}). */
  suggestedEnsemble: number | null;
  /** The per-order tests with their Holm-adjusted p, rank, components and tail diagnostics. */
  orderTests: OrderTest[];
  effectSize: number;
  maxAbsZ: number;
  networks: number;
  elements: number;
  components: number;
  orders: number[];
  /** The same test restricted to each order. */
  perOrder: Record<string, InvarianceStatistic>;
  joint: InvarianceStatistic;
  precision: string;
}

/**
 * Decide invariant / broken from an accumulator: the null hypothesis is E[ΔG_c] = 0 for every component; it is
 * rejected ("broken") when the p-value of `method` is below `alpha`. Under the null the Hotelling p-value is
 * uniform for large M, so over many invariant ensembles the "broken" rate is `alpha` (calibration).
 */
export function invarianceVerdict(acc: InvarianceAccumulator, options: InvarianceTestOptions = {}): InvarianceResult {
  const alpha = options.alpha ?? 0.05;
  const method = options.method ?? 'per-order';
  const d = acc.design;
  const joint = acc.statistic();
  const perOrder: Record<string, InvarianceStatistic> = {};
  if (d.orders.length > 1) {
    for (const n of d.orders) {
      const idx = d.components.map((c, j) => (c.order === n ? j : -1)).filter((j) => j >= 0);
      perOrder[String(n)] = acc.statistic(idx);
    }
  } else {
    perOrder[String(d.orders[0])] = joint;
  }
  const decision: InvarianceDecision = decideInvariance(acc, { alpha, tailLevel: options.tailLevel });
  const best = decision.orders.reduce((a, b) => (b.pValue < a.pValue ? b : a));
  const pValue = method === 'per-order' ? decision.pValue : method === 'hotelling' ? joint.pValue : joint.bonferroniPValue;
  const verdict: InvarianceVerdict = method === 'per-order' ? decision.verdict : pValue < alpha ? 'broken' : 'invariant';
  return {
    group: d.group.name,
    groupId: d.group.id,
    on: d.on,
    verdict,
    method,
    alpha,
    statistic: method === 'per-order' ? best.statistic : method === 'hotelling' ? joint.statistic : joint.maxAbsZ,
    dof: method === 'per-order' ? best.rank : joint.dof,
    pValue,
    reason: method === 'per-order' ? decision.reason : '',
    suggestedEnsemble: method === 'per-order' ? decision.suggestedEnsemble : null,
    orderTests: decision.orders,
    effectSize: joint.effectSize,
    maxAbsZ: joint.maxAbsZ,
    networks: acc.count,
    elements: d.elements.length,
    components: d.components.length,
    orders: [...d.orders],
    perOrder,
    joint,
    precision: `network outputs in ${options.outputPrecision ?? 'float32 (tfjs)'}; products, covariance and statistics in float64`,
  };
}

/**
 * Run an invariance test over a stream of ensemble chunks evaluated on `design.evalInputs`.
 *
 * When to use: the one-call form (design → chunks → verdict). Paper: Maiti, Halverson, Stoner, arXiv 2106.00694,
 * ΔG^(n) = G^(n)(g·x) − G^(n)(x) (their Fig. 2-4), with the Monte-Carlo error made explicit and paired.
 *
 * @example
 * const design = designInvarianceTest({ group, on: 'outputs', inputs, dOut: 5, orders: [2, 4] });
 * const result = await testInvariance(design, runEnsemble(spec, design.evalInputs));
 * result.verdict; // 'invariant' | 'broken'
 */
export async function testInvariance(
  design: InvarianceDesign,
  chunks: Iterable<OutputChunk> | AsyncIterable<OutputChunk>,
  options: InvarianceTestOptions = {},
): Promise<InvarianceResult> {
  const { acc } = await accumulateInvariance(design, chunks);
  return invarianceVerdict(acc, options);
}

/** Options of {@link accumulateInvariance}. */
export interface InvarianceAccumulateOptions {
  /** Stop at the next safe point (after a chunk) when aborted, unless `planned` networks are already in. */
  signal?: AbortSignal;
  /** Networks the stream will deliver (a signal after the last chunk changes nothing). */
  planned?: number;
  /** Networks accumulated so far, after each chunk. */
  onProgress?: (done: number) => void;
}

/**
 * Push a stream of chunks into one accumulator (the loop of {@link testInvariance}), with a safe point after each
 * chunk when a `signal` is given: a macrotask turn lets a SIGINT/SIGTERM handler run, and an abort stops the loop
 * with `stopped: true` and the networks done in `acc`. Without an abort the accumulator is the same as
 * testInvariance's.
 *
 * @example const { acc, stopped } = await accumulateInvariance(design, chunks, { signal, planned: 10000 });
 */
export async function accumulateInvariance(
  design: InvarianceDesign,
  chunks: Iterable<OutputChunk> | AsyncIterable<OutputChunk>,
  options: InvarianceAccumulateOptions = {},
): Promise<{ acc: InvarianceAccumulator; stopped: boolean }> {
  const acc = new InvarianceAccumulator(design);
  for await (const chunk of chunks) {
    acc.push(chunk);
    options.onProgress?.(acc.count);
    if (options.signal) {
      await nextMacrotask();
      if (options.signal.aborted && (options.planned === undefined || acc.count < options.planned)) return { acc, stopped: true };
    }
  }
  return { acc, stopped: false };
}

import { InvarianceAccumulator, type InvarianceStatistic, type OutputChunk } from './accumulator';
import type { InvarianceDesign } from './design';

/** How the verdict is decided. */
export type InvarianceMethod = 'hotelling' | 'bonferroni';

/** Options of {@link testInvariance} / {@link invarianceVerdict}. */
export interface InvarianceTestOptions {
  /** Significance level (default 0.05). */
  alpha?: number;
  /** `hotelling` (default): joint F test of every component with the paired covariance; `bonferroni`: min p · K. */
  method?: InvarianceMethod;
  /** Precision of the network outputs fed in, recorded in the result (default: tfjs float32). */
  outputPrecision?: string;
}

/** The outcome of an invariance test. */
export interface InvarianceResult {
  group: string;
  groupId: string;
  on: 'inputs' | 'outputs';
  verdict: 'invariant' | 'broken';
  method: InvarianceMethod;
  alpha: number;
  /** The statistic of `method` (Hotelling T², or max |z| for Bonferroni). */
  statistic: number;
  dof: number;
  pValue: number;
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
  const method = options.method ?? 'hotelling';
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
  const pValue = method === 'hotelling' ? joint.pValue : joint.bonferroniPValue;
  return {
    group: d.group.name,
    groupId: d.group.id,
    on: d.on,
    verdict: pValue < alpha ? 'broken' : 'invariant',
    method,
    alpha,
    statistic: method === 'hotelling' ? joint.statistic : joint.maxAbsZ,
    dof: joint.dof,
    pValue,
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
  const acc = new InvarianceAccumulator(design);
  for await (const chunk of chunks) acc.push(chunk);
  return invarianceVerdict(acc, options);
}

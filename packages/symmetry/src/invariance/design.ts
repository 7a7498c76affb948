import { Rng, UsageError, type SeedKey } from '@nnsym/core';
import type { GroupAction, GroupSpace } from '@nnsym/groups';
import { tupleCount, tuplesOfOrder } from '@nnsym/correlators';

/** One entry of ΔG: group element `element`, correlator order, and the n (point, output index) slots it multiplies. */
export interface InvarianceComponent {
  /** Index into `design.elements`. */
  readonly element: number;
  readonly order: number;
  /** Slots s = point·dOut + a, non-decreasing, length `order`. */
  readonly slots: Int32Array;
}

/** Options of {@link designInvarianceTest}. */
export interface InvarianceDesignOptions {
  group: GroupAction;
  on: GroupSpace;
  /** Base input points x_1..x_P (each of length d_in). */
  inputs: readonly Float64Array[];
  dOut: number;
  /** Even correlator orders (default [2, 4]). */
  orders?: readonly number[];
  /** Number of sampled group elements g (default 4). Finite groups of order ≤ samples use every element ≠ e. */
  samples?: number;
  /** Cap on the number of components (g, tuple) in the joint test (default 120); tuples are subsampled by seed. */
  maxComponents?: number;
  seed?: SeedKey;
}

/**
 * A planned invariance test: which group elements, which correlator entries, and the input points at which the
 * ensemble must be evaluated. For input symmetries the ensemble is evaluated on the union
 * [x_1..x_P, g_1·x_1..g_1·x_P, …, g_S·x_1..g_S·x_P], so G(g·x) and G(x) come from the same networks and their
 * difference has a paired (per-network) error. For output symmetries the base points suffice: outputs are
 * transformed by ρ(g_s) network by network.
 */
export interface InvarianceDesign {
  readonly group: GroupAction;
  readonly on: GroupSpace;
  readonly elements: readonly unknown[];
  readonly basePoints: number;
  readonly dOut: number;
  readonly orders: readonly number[];
  /** Points to evaluate the ensemble on: [P·(S+1), d_in] for inputs, [P, d_in] for outputs. */
  readonly evalInputs: readonly Float64Array[];
  /** ρ(g_s), d_out×d_out, for output symmetries. */
  readonly rhos?: readonly Float64Array[];
  readonly components: readonly InvarianceComponent[];
  /** Number of distinct tuples per order before subsampling. */
  readonly tuplesAvailable: Record<string, number>;
}

/**
 * Plan an invariance test of the network density under `group` acting on inputs or outputs
 * (2106.00694: a symmetry of the density shows as G^(n)(g·x) = G^(n)(x), or G = ρ⊗…⊗ρ G for outputs).
 *
 * When to use: before running an ensemble: evaluate it on `design.evalInputs`, feed the chunks to
 * {@link InvarianceAccumulator}, read the verdict. `testInvariance` does all three.
 *
 * @example
 * const design = designInvarianceTest({ group: createSpecialOrthogonal(5), on: 'outputs', inputs: [x], dOut: 5 });
 */
export function designInvarianceTest(opts: InvarianceDesignOptions): InvarianceDesign {
  const { group, on, inputs, dOut } = opts;
  const orders = [...(opts.orders ?? [2, 4])].sort((a, b) => a - b);
  for (const n of orders) {
    if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) throw new UsageError(`--orders: correlator orders must be even integers >= 2, got ${n}`, '--orders');
  }
  if (inputs.length === 0) throw new UsageError('--inputs: at least one input point is needed', '--inputs');
  const dIn = inputs[0].length;
  if (inputs.some((x) => x.length !== dIn)) throw new UsageError('--inputs: every input point must have the same dimension', '--inputs');
  const space = on === 'inputs' ? dIn : dOut;
  if (group.dimension !== space) {
    throw new UsageError(`--group: ${group.name} acts on R^${group.dimension} but the ${on} have dimension ${space}`, '--group');
  }
  if (!group.actsOn.includes(on)) throw new UsageError(`--group: ${group.name} does not act on ${on}`, '--on');
  if (on === 'outputs' && !group.matrix) throw new UsageError(`--group: ${group.name} has no linear representation, needed for outputs`, '--on');
  const rng = new Rng(opts.seed ?? 0, ['invariance-design', group.id]);

  const samples = opts.samples ?? 4;
  let elements: unknown[];
  const listed = group.isFinite && group.elements ? group.elements() : undefined;
  if (listed && listed.length - 1 <= samples) {
    // Use every non-identity element (an element that acts trivially adds nothing).
    const x = Float64Array.from({ length: group.dimension }, () => rng.normal());
    const ex = group.act(group.identity(), x);
    elements = listed.filter((g) => group.act(g, x).some((v, i) => Math.abs(v - ex[i]) > 1e-12));
    if (elements.length === 0) elements = [group.identity()];
  } else {
    elements = Array.from({ length: samples }, () => group.sample(rng));
  }
  const S = elements.length;
  const P = inputs.length;
  const slots = P * dOut;
  const budget = opts.maxComponents ?? 120;
  const perCell = Math.max(1, Math.floor(budget / (orders.length * S)));
  const components: InvarianceComponent[] = [];
  const tuplesAvailable: Record<string, number> = {};
  for (const n of orders) {
    const count = tupleCount(slots, n);
    tuplesAvailable[String(n)] = count;
    let tuples: Int32Array[];
    if (count <= perCell) {
      tuples = tuplesOfOrder(slots, n);
    } else {
      // Random distinct multisets (sorted draws with rejection of duplicates).
      const seen = new Set<string>();
      tuples = [];
      while (tuples.length < perCell) {
        const t = Int32Array.from({ length: n }, () => rng.int(slots)).sort();
        const key = t.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          tuples.push(t);
        }
      }
    }
    for (let s = 0; s < S; s++) for (const t of tuples) components.push({ element: s, order: n, slots: t });
  }
  const evalInputs: Float64Array[] = inputs.map((x) => Float64Array.from(x));
  if (on === 'inputs') for (const g of elements) for (const x of inputs) evalInputs.push(group.act(g, x));
  const rhos = on === 'outputs' ? elements.map((g) => group.matrix!(g)) : undefined;
  return { group, on, elements, basePoints: P, dOut, orders, evalInputs, rhos, components, tuplesAvailable };
}

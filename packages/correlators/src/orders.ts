import { UsageError } from '@nnsym/core';
import { tupleCount } from './tuples';

/**
 * Largest correlator order a run accepts. With {@link MAX_TUPLES} it bounds the accumulator: it holds ~4 x groups
 * float64 per tuple (16 groups: 512 bytes), so 200k tuples is ~100 MB, and the JSON lists every tuple.
 */
export const MAX_ORDER = 10;

/** Largest number of tuples over all stored orders (2, 4, ..., max order) that a run accepts (see {@link MAX_ORDER}). */
export const MAX_TUPLES = 200_000;

/**
 * Validate correlator orders against the inputs: each even, >= 2 and <= {@link MAX_ORDER} (odd orders vanish by the
 * output layer's sign symmetry), and the number of non-decreasing index tuples of all stored orders over
 * Q = points x dOut indices within {@link MAX_TUPLES}. Throws a `UsageError` naming `--orders`.
 *
 * When to use: before starting a correlator run (`nnsym correlators`, sweeps, `merge`), so a too-large request fails
 * at once instead of after allocating the accumulator.
 *
 * @example
 * checkOrders([2, 4], 8, 1); // ok: 36 + 330 tuples
 * checkOrders([3], 8, 1); // throws "--orders: correlators are computed for even orders ..."
 */
export function checkOrders(orders: number[], points: number, dOut: number): void {
  for (const n of orders) {
    if (n % 2 !== 0 || n < 2) throw new UsageError(`--orders: correlators are computed for even orders 2, 4, 6, ... (odd ones vanish by the output layer's sign symmetry); got ${n}`, '--orders');
    if (n > MAX_ORDER) throw new UsageError(`--orders: ${n} is above the largest supported order ${MAX_ORDER}`, '--orders');
  }
  const Q = points * dOut;
  let total = 0;
  for (let k = 2; k <= Math.max(...orders); k += 2) total += tupleCount(Q, k);
  if (total > MAX_TUPLES) {
    throw new UsageError(`--orders ${Math.max(...orders)} with ${points} inputs x ${dOut} outputs needs ${total.toExponential(2)} tuples (limit ${MAX_TUPLES}): use fewer inputs or a lower order`, '--orders');
  }
}

import { Option, type Command } from 'commander';
import { UsageError } from '@nnsym/core';
import { tupleCount } from '@nnsym/symmetry';
import { numberList, positiveInt } from '../flags';
import { addHiddenAlias } from './alias';

/**
 * Largest order, and largest number of tuples over all stored orders, that a run accepts: the accumulator holds
 * ~4 x groups float64 per tuple (16 groups: 512 bytes), so 200k tuples is ~100 MB, and the JSON lists every tuple.
 */
export const MAX_ORDER = 10;
/** See {@link MAX_ORDER}. */
export const MAX_TUPLES = 200_000;

/**
 * Add `--orders <list>` (even correlator orders; hidden alias `--order`).
 *
 * @example addOrdersOption(cmd, [2, 4])
 */
export function addOrdersOption(cmd: Command, defaults: number[] = [2, 4], help = 'even orders, e.g. 2,4,6'): Command {
  cmd.addOption(new Option('--orders <list>', help).argParser(numberList('--orders', positiveInt('--orders', 1000))).default(defaults, defaults.join(',')));
  return addHiddenAlias(cmd, '--order <list>', '--orders', numberList('--order', positiveInt('--order', 1000)));
}

/**
 * Validate --orders against the inputs: even, >= 2, <= MAX_ORDER, and a tuple count that fits in memory.
 *
 * @example checkOrders([2, 4], 3, 1)
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

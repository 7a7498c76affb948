import { Option, type Command } from 'commander';
import { MAX_ORDER, MAX_TUPLES, checkOrders } from '@nnsym/correlators';
import { numberList, positiveInt } from '../flags';
import { addHiddenAlias } from './alias';

export { MAX_ORDER, MAX_TUPLES, checkOrders };

/**
 * Add `--orders <list>` (even correlator orders; hidden alias `--order`). Validation against the inputs is
 * `checkOrders` of `@nnsym/correlators` (even, at most MAX_ORDER, a tuple count that fits in memory).
 *
 * @example addOrdersOption(cmd, [2, 4])
 */
export function addOrdersOption(cmd: Command, defaults: number[] = [2, 4], help = 'even orders, e.g. 2,4,6'): Command {
  cmd.addOption(new Option('--orders <list>', help).argParser(numberList('--orders', positiveInt('--orders', 1000))).default(defaults, defaults.join(',')));
  return addHiddenAlias(cmd, '--order <list>', '--orders', numberList('--order', positiveInt('--order', 1000)));
}

import { createFromPlugin, plugins, UsageError, type PluginHost } from '@nnsym/core';
import type { GroupAction, GroupSpace } from './types';

/**
 * Create a registered group action by id, with `n` defaulting to the dimension of the space it will act on, and
 * check that its dimension matches that space.
 *
 * When to use: the CLI and any caller that knows the space (d_in or d_out) and wants a one-line error naming the
 * mismatch (`--group`, `--d-out`) rather than a wrong answer.
 *
 * @example
 * const so5 = createGroupAction('so', { n: 5 });
 * const g = groupForSpace('stabiliser', {}, { on: 'outputs', dimension: 5, flag: '--d-out' });
 */
export function createGroupAction(id: string, config: Record<string, unknown> = {}, host: PluginHost = plugins): GroupAction {
  const reg = host.kind('group-action');
  if (!reg.has(id)) throw new UsageError(`group: ${reg.unknownMessage(id)}`, 'group');
  return createFromPlugin(reg.get(id), config) as GroupAction;
}

/** {@link createGroupAction} for a given space: fills `n`, checks the dimension and that the group acts there. */
export function groupForSpace(
  id: string,
  config: Record<string, unknown>,
  space: { on: GroupSpace; dimension: number; flag: string },
  host: PluginHost = plugins,
): GroupAction {
  const group = createGroupAction(id, { n: space.dimension, ...config }, host);
  if (group.dimension !== space.dimension) {
    throw new UsageError(
      `group ${id}: ${group.name} acts on R^${group.dimension} but the ${space.on} have dimension ${space.dimension} (${space.flag} ${space.dimension})`,
      'group',
    );
  }
  if (!group.actsOn.includes(space.on)) {
    const why = space.on === 'outputs' && !group.linear ? ' (output symmetries need a linear representation ρ(g))' : '';
    throw new UsageError(`group ${id}: ${group.name} does not act on ${space.on}${why}; it acts on ${group.actsOn.join(', ')}`, 'group');
  }
  return group;
}

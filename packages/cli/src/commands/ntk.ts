import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `nnsym ntk` (registered by its owner; see the issue tracker). */
export function registerNtk(_program: Command, _ctx: () => CliContext): void {
  // not yet implemented: the command is not registered until it works
}

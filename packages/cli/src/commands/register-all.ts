import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerList } from './list';

/** Every command of the CLI, one file each. */
export function registerCommands(program: Command, ctx: () => CliContext): void {
  registerList(program, ctx);
}

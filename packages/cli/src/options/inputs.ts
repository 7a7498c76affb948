import type { Command } from 'commander';

/** Help text of `--inputs <spec>`: the input syntaxes every command accepts. */
export const INPUTS_HELP =
  'inputs: JSON (0.2, [0.1, 0.2] = two 1-D points, [[0.1, 0.2]] = one 2-D point), @file.json, or a grid (linspace:-1,1,6, grid:-1,1,3, circle:1,8, sphere:1,16, normal:10, axis:0,2,5)';

/**
 * Add `--inputs <spec>` (the input points of a run; parsed by `@nnsym/core`'s `parseInputs`, at most 1e6 points).
 *
 * @param o.required required (default) or optional with the description's default
 * @example addInputsOption(cmd)
 */
export function addInputsOption(cmd: Command, o: { required?: boolean; help?: string } = {}): Command {
  const help = o.help ?? INPUTS_HELP;
  return o.required === false ? cmd.option('--inputs <spec>', help) : cmd.requiredOption('--inputs <spec>', help);
}

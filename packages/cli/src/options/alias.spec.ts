import type { Command } from 'commander';
import { buildProgram, main } from '../main';

/**
 * Renamed flags keep their old spelling as a hidden alias (flag-alias.ts). For each alias family: parse the same
 * command line once with the canonical flag and once with the alias, with the command's action replaced by a capture
 * (nothing is computed), and compare the parsed option value; also check the alias is hidden from --help and that its
 * parse errors name the flag the user typed.
 */

const silentIO = { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: process.cwd() };

/** The subcommand at `path` (e.g. ['meanfield']) of a fresh program, with its action replaced by a capture. */
function capture(path: string[]): { program: Command; sub: Command; opts: () => Record<string, unknown> } {
  const { program } = buildProgram(silentIO);
  let sub: Command = program;
  for (const name of path) {
    const next = sub.commands.find((c) => c.name() === name);
    if (!next) throw new Error(`no command ${path.join(' ')}`);
    sub = next;
  }
  let seen: Record<string, unknown> | undefined;
  sub.action(function (this: Command) {
    seen = this.opts();
  });
  return { program, sub, opts: () => seen ?? {} };
}

async function parsed(path: string[], args: string[]): Promise<Record<string, unknown>> {
  const { program, opts } = capture(path);
  await program.parseAsync(['node', 'nnsym', ...path, ...args]);
  return opts();
}

// [command path, canonical flag, alias, attribute, value given, parsed value expected, extra required args]
const families: [string[], string, string, string, string, unknown, string[]][] = [
  [['correlators'], '--orders', '--order', 'orders', '2,6', [2, 6], ['--arch', 'erf-net', '--inputs', '[0.2,0.4]']],
  [['symmetry'], '--repeats', '--repeat', 'repeats', '7', 7, []],
  [['ntk-symmetry'], '--tol', '--tolerance', 'tol', '3e-6', 3e-6, ['--group', 'so', '--inputs', 'normal:3']],
  [['meanfield'], '--d-in', '--dim', 'dIn', '6', 6, []],
  [['ntk-drift'], '--d-in', '--d', 'dIn', '5', 5, []],
  [['ntk'], '--kernel-output', '--output', 'kernelOutput', 'diagonal', 'diagonal', ['--arch', 'relu-net', '--inputs', '[[1,0]]']],
];

describe('renamed flags: the old spelling is a hidden alias of the canonical one', () => {
  it.each(families)('%j: %s and its alias %s parse to the same value', async (path, canonical, alias, attr, given, expected, extra) => {
    const viaCanonical = await parsed(path, [...extra, canonical, given]);
    const viaAlias = await parsed(path, [...extra, alias, given]);
    expect(viaCanonical[attr]).toEqual(expected);
    expect(viaAlias[attr]).toEqual(expected);
    // The alias writes the canonical attribute, not a field of its own, so the action sees one option.
    expect(Object.keys(viaAlias).sort()).toEqual(Object.keys(viaCanonical).sort());
    // Defaults are untouched when neither spelling is given (the value differs from the one passed above).
    expect((await parsed(path, extra))[attr]).not.toEqual(expected);

    const help = capture(path).sub.helpInformation();
    expect(help).toContain(`${canonical} <`);
    expect(help).not.toMatch(new RegExp(`${alias} <`));
  });

  it('both spellings given: the last one wins, as when a flag is repeated', async () => {
    expect((await parsed(['correlators'], ['--arch', 'erf-net', '--inputs', '[0.2]', '--order', '2', '--orders', '4']))['orders']).toEqual([4]);
    expect((await parsed(['correlators'], ['--arch', 'erf-net', '--inputs', '[0.2]', '--orders', '4', '--order', '2']))['orders']).toEqual([2]);
  });

  it('meanfield discover reads the alias --dim through the parent options', async () => {
    const { program, sub } = capture(['meanfield', 'discover']);
    let dIn: unknown;
    sub.action((_o: unknown, cmd: Command) => {
      dIn = cmd.parent?.opts()['dIn'];
    });
    await program.parseAsync(['node', 'nnsym', 'meanfield', 'discover', '--dim', '3']);
    expect(dIn).toBe(3);
  });

  it('a bad value for an alias is a one-line error naming the alias, exit 2', async () => {
    for (const [args, flag] of [
      [['ntk', '--arch', 'relu-net', '--output', 'half', '--inputs', '[[1,0]]'], '--output'],
      [['ntk-drift', '--d', '0'], '--d'],
      [['ntk-symmetry', '--group', 'so', '--inputs', 'normal:3', '--tolerance', '-1'], '--tolerance'],
    ] as const) {
      let err = '';
      const code = await main(['node', 'nnsym', ...args], { ...silentIO, stderr: (s) => (err += s) });
      expect(code).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toContain(`${flag} must be`);
    }
  });
});

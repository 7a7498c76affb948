import { Option, type Command } from 'commander';

/**
 * An option whose value is stored under another option's attribute: a hidden, backward-compatible spelling of a
 * renamed flag. Commander keys option values by `attributeName()`, so overriding it makes `--old <v>` write exactly
 * where `--new <v>` writes (same `opts()` key, value source `cli`).
 */
class AliasOption extends Option {
  constructor(
    flags: string,
    description: string,
    private readonly target: string,
  ) {
    super(flags, description);
  }

  override attributeName(): string {
    return this.target;
  }
}

/**
 * Keep an old flag spelling working as a hidden alias of a canonical option already added to `cmd`.
 *
 * When to use: a flag was renamed for consistency across commands and scripts/docs still use the old name. The alias
 * is hidden from `--help`, parses with `parse` (give it a parser that names the alias, so errors quote what the user
 * typed) and stores its value under the canonical option's attribute, so the action sees one field. If both spellings
 * are given, the last one on the command line wins, as when a flag is repeated.
 *
 * Example: `addHiddenAlias(cmd, '--order <list>', '--orders', numberList('--order'))` after
 * `cmd.option('--orders <list>', ...)`; then `--order 2,4` and `--orders 2,4` both give `opts().orders = [2, 4]`.
 *
 * @param cmd the command holding the canonical option
 * @param flags the alias flags, e.g. `'--order <list>'`
 * @param canonical the canonical long flag, e.g. `'--orders'` (must already be on `cmd`)
 * @param parse optional value parser for the alias (same result type as the canonical parser)
 * @returns `cmd`, for chaining
 */
export function addHiddenAlias(cmd: Command, flags: string, canonical: string, parse?: (value: string, previous: unknown) => unknown): Command {
  const target = cmd.options.find((o) => o.long === canonical);
  if (!target) throw new Error(`addHiddenAlias: ${cmd.name()} has no option ${canonical} to alias with ${flags}`);
  const alias = new AliasOption(flags, `alias of ${canonical}`, target.attributeName()).hideHelp();
  if (parse) alias.argParser(parse);
  return cmd.addOption(alias);
}

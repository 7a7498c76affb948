import type { Command } from 'commander';

/**
 * Option paths and flags: libraries name the field at fault by its option path (`config.width`, `arch.width`,
 * `ensemble`, `inputs`, `group`), the CLI maps a path to the flag the user typed here, once.
 *
 * The last segment of a path is an option's attribute name (commander's `attributeName()`, camelCase); a command's
 * own options decide which flag it is. `config` / `architecture` / `arch` alone mean `--arch`.
 */

/** camelCase attribute -> `--kebab-case` flag. */
export function flagOfAttribute(attr: string): string {
  return `--${attr.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
}

const WHOLE_ARCH = new Set(['config', 'architecture', 'arch']);

/**
 * The option paths libraries use whose flag is not the kebab-case of the path's last segment (the one table of
 * path -> flag exceptions; every other path maps by {@link flagOfAttribute}).
 */
export const PATH_FLAGS: Readonly<Record<string, string>> = {
  points: '--inputs',
  batchSize: '--batch',
  'group-action': '--group',
  teacherGroup: '--teacher-group',
};

/**
 * The flag for a library field path, looked up among `cmd`'s options when a command is given (so only flags that
 * exist are named), else derived from the path. Paths that already are flags (`--width`) are returned as they are.
 *
 * @example flagOfPath('config.sigmaW') // '--sigma-w'
 * @example flagOfPath('config') // '--arch'
 */
export function flagOfPath(path: string | undefined, cmd?: Command): string | undefined {
  if (!path) return undefined;
  if (path.startsWith('--')) return path;
  if (WHOLE_ARCH.has(path)) return '--arch';
  if (PATH_FLAGS[path]) return !cmd || cmd.options.some((o) => o.long === PATH_FLAGS[path]) ? PATH_FLAGS[path] : undefined;
  const last = path.split('.').pop()!.replace(/\[.*$/, '');
  if (!cmd) return flagOfAttribute(last);
  const opt = cmd.options.find((o) => o.attributeName() === last && !o.hidden) ?? cmd.options.find((o) => o.attributeName() === last);
  return opt?.long ?? undefined;
}

/**
 * Rewrite a library message that starts with a field path (`config.classes: Too small: expected number to be >=2`)
 * so that it starts with the flag instead (`--classes: Too small: expected number to be >=2`). With the error's
 * `field` (an option path such as `inputs`, `group`, `threads`, `dIn`), a message that starts with that path
 * (`inputs: malformed JSON ...`, `group so: SO(3) acts on R^3 ...`) starts with the flag of this command instead.
 * Messages that do not start with a known path are returned unchanged.
 *
 * @example messageWithFlag('group: unknown group-action "x"', cmd, 'group') // '--group: unknown group-action "x"'
 */
export function messageWithFlag(message: string, cmd?: Command, field?: string): string {
  // Only option paths (`group`, `config.width`) become flags; a field naming a file (`nnsym.config.json`, `x.json:plugins`) stays.
  if (field && /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*$/.test(field) && !/\.json$/.test(field) && message.startsWith(field) && /^[:\s]/.test(message.charAt(field.length))) {
    const flag = flagOfPath(field, cmd);
    if (flag) return flag + message.slice(field.length);
  }
  // `dataset "teacher-student": config.classes: Too small ...` -> `--classes: Too small ...` (or `--dataset: ...` when
  // the command has no flag for the field), and a bare `config.width: ...` -> `--width: ...`.
  const m = /^(?:(dataset|architecture|activation|group-action|distribution|optimizer|loss) "([^"]*)": )?(config(?:\.[A-Za-z][A-Za-z0-9]*)+):\s*/.exec(message);
  if (!m) return message;
  const rest = message.slice(m[0].length);
  const flag = flagOfPath(m[3], cmd);
  if (flag && (!cmd || cmd.options.some((o) => o.long === flag))) return `${flag}: ${rest}`;
  if (m[1]) {
    const kindFlag = m[1] === 'architecture' ? '--arch' : m[1] === 'group-action' ? '--group' : `--${m[1]}`;
    const field = m[3].replace(/^config\.?/, '');
    return `${kindFlag} ${m[2]}: ${field ? `${field}: ` : ''}${rest}`;
  }
  return message;
}

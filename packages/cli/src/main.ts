import { Command, CommanderError, Option } from 'commander';
import { editDistance, isNnsymError, NNSYM_VERSION, parseBackendName, plugins, UsageError } from '@nnsym/core';
import { messageWithFlag } from './options/paths';
import { makeContext, type CliContext, type GlobalOptions } from './context';
import { registerCommands } from './commands/register-all';
import { registerBuiltins } from './builtins';
import { loadConfigPlugins, loadPluginModule } from './plugins/load';

export interface MainIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  cwd: string;
}

const defaultIO = (): MainIO => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});

/** Pre-scan argv for `--plugin` so plugins are registered before commands parse their flags. */
function scanPluginFlags(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--plugin' && i + 1 < argv.length) out.push(argv[++i]);
    else if (a.startsWith('--plugin=')) out.push(a.slice('--plugin='.length));
  }
  return out;
}

let builtinsRegistered = false;

/** Every command below `root` (not `root` itself), depth first. */
function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** File-system errors that mean "this path is wrong", not "nnsym is broken". */
const FS_USER_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EEXIST']);

/** Build the commander program (exported for tests and for docs generation). */
export function buildProgram(io: MainIO = defaultIO()): { program: Command; context: () => CliContext } {
  const program = new Command();
  let ctx: CliContext | undefined;
  const context = () => (ctx ??= makeContext(program.opts<GlobalOptions>(), io));
  program
    .name('nnsym')
    .description(
      'nnsym: symmetries of neural networks, in parameter space and function space.\n' +
        'Sample network ensembles, estimate their correlators, compare them with Gaussian-process limits,\n' +
        'test symmetries, compute kernels, train and track conserved quantities.',
    )
    .version(NNSYM_VERSION, '-V, --version', 'print the nnsym version')
    .option('--json', 'print machine-readable JSON on stdout (progress stays on stderr)')
    .option('--seed <seed>', 'seed for every stochastic step (integer or string); recorded in results', (v: string) => {
      if (v.trim() === '') throw new UsageError('--seed must be an integer or a non-empty string, got ""', '--seed');
      return v;
    }, '0')
    .addOption(new Option('--backend <name>', 'force the compute backend (default: node-gpu, node, wasm, cpu, first that loads; env NNSYM_BACKEND)').argParser((v: string) => parseBackendName(v)))
    .option('--blas <mode>', 'native BLAS for the wasm backend\'s matmuls: auto (default: OpenBLAS, MKL, Accelerate ... if found), off, or a CBLAS library path; env NNSYM_BLAS (threads: NNSYM_BLAS_THREADS)')
    .option('--plugin <path>', 'load a plugin module (repeatable); also read from nnsym.config.json', (v: string, prev: string[] = []) => [...prev, v])
    .option('-q, --quiet', 'no informational messages on stderr')
    .option('-y, --yes', 'go ahead past a cost estimate\'s confirmation threshold (memory above 2 GB, or hours of work)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: () => {
        // Errors are printed once, by main(), as one line.
      },
    });
  registerCommands(program, context);
  for (const cmd of allCommands(program)) {
    // Subcommand help lists the global options too (--json, --seed, --backend, --plugin, -q, -y).
    cmd.configureHelp({ showGlobalOptions: true });
    cmd.exitOverride();
    cmd.showSuggestionAfterError(true);
    cmd.configureOutput({ writeOut: (t) => io.stdout(t), writeErr: (t) => io.stderr(t), outputError: () => undefined });
    // Defaults in help use the input syntax (2,4), not JSON ([2,4]).
    for (const opt of cmd.options) {
      if (Array.isArray(opt.defaultValue) && opt.defaultValueDescription === undefined) opt.defaultValueDescription = opt.defaultValue.join(',');
    }
  }
  return { program, context };
}

/**
 * Run the CLI. Returns the exit code: 0 on success (or the code a command set in `ctx.exitCode`, e.g. 130 for a
 * run stopped by Ctrl-C), 2 on bad input (one line on stderr naming the flag, no stack trace), 1 on an unexpected
 * failure.
 */
export async function main(argv: string[], io: MainIO = defaultIO()): Promise<number> {
  const { program, context } = buildProgram(io);
  const user = argv.slice(2);
  const wantsJson = user.includes('--json');
  let active: Command | undefined;
  program.hook('preAction', (_p, action) => {
    active = action;
  });
  const fail = (msg: string, code: number, field?: string) => {
    // One line (commander's "(Did you mean --x?)" suggestion kept on it), naming the flag; under --json also a JSON
    // error object on stdout, so scripts that parse stdout see why.
    const lines = msg.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter(Boolean);
    const suggestion = lines.find((l) => /^\(Did you mean/.test(l));
    let line = messageWithFlag(lines[0] ?? 'error', active, field);
    if (suggestion && !line.includes(suggestion)) line += ` ${suggestion.toLowerCase().replace('(did you mean', '(did you mean')}`;
    io.stderr(`nnsym: error: ${line}\n`);
    if (wantsJson) {
      const flag = (field?.startsWith('--') ? field : undefined) ?? /(^|\s)(--[a-z][a-z0-9-]*)/.exec(line)?.[2];
      io.stdout(JSON.stringify({ nnsym: { command: active?.name() ?? user.find((a) => !a.startsWith('-')) ?? '', version: NNSYM_VERSION, time: new Date().toISOString() }, error: { message: line, exitCode: code, ...(flag ? { flag } : {}) } }) + '\n');
    }
    return code;
  };
  try {
    if (!builtinsRegistered) {
      registerBuiltins(plugins);
      builtinsRegistered = true;
    }
    loadConfigPlugins(io.cwd, plugins);
    for (const p of scanPluginFlags(argv.slice(2))) loadPluginModule(p, io.cwd, plugins, '--plugin');
    // `nnsym help <unknown>` is an unknown command, not the root help with exit 0.
    const helpAt = user.indexOf('help');
    if (helpAt >= 0 && user.slice(0, helpAt).every((a) => a.startsWith('-')) && user[helpAt + 1] && !user[helpAt + 1].startsWith('-')) {
      const name = user[helpAt + 1];
      if (!program.commands.some((c) => c.name() === name || c.aliases().includes(name))) {
        const near = program.commands.map((c) => c.name()).filter((n) => editDistance(n, name) <= Math.max(2, Math.floor(name.length / 3)));
        return fail(`unknown command '${name}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`, 2);
      }
    }
    await program.parseAsync(argv);
    return context().exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return fail(e.message, 2);
    }
    if (isNnsymError(e)) return fail(e.message, e.exitCode, e.field);
    const fsErr = e as NodeJS.ErrnoException;
    if (fsErr && typeof fsErr.code === 'string' && fsErr.syscall && FS_USER_ERRORS.has(fsErr.code)) {
      // A path the user gave (--out, --checkpoint, an input file) cannot be read or written: one line, exit 2.
      return fail(`cannot ${fsErr.syscall} ${fsErr.path ?? ''} (${fsErr.code}); check the path flags (--out, --checkpoint, inputs)`, 2);
    }
    const err = e as Error & { exitCode?: number };
    if (err && err.exitCode === 2) return fail(err.message, 2);
    io.stderr(`nnsym: internal error: ${err?.stack ?? String(e)}\n`);
    return 1;
  }
}

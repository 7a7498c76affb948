import { describeBackend, initBackend, normaliseSeed, type BackendInfo, type SeedKey } from '@nnsym/core';

/** Global flags every command sees. */
export interface GlobalOptions {
  json?: boolean;
  seed?: string;
  backend?: string;
  blas?: string;
  plugin?: string[];
  quiet?: boolean;
  /** Go ahead past a cost estimate's confirmation threshold (memory or work). */
  yes?: boolean;
}

/** What a command needs from the CLI: output channels, the seed, the backend. No science here. */
export interface CliContext {
  readonly options: GlobalOptions;
  readonly json: boolean;
  readonly seed: SeedKey;
  /** Write a line of the command's result to stdout. */
  out(line: string): void;
  /** Write a human message to stderr (suppressed by --quiet). */
  info(line: string): void;
  /** Whether stderr is a terminal (progress bars only then, or when forced). */
  readonly interactive: boolean;
  /** Start the backend (once) and report it on stderr; returns its info. */
  backend(): Promise<BackendInfo>;
  /**
   * Exit code a command asks for when it ends normally (e.g. 130 after a graceful Ctrl-C stop); `main` returns it.
   * Unset: 0. Errors keep their own codes (2 bad input, 1 failure).
   */
  exitCode?: number;
}

export function makeContext(options: GlobalOptions, io: { stdout: (s: string) => void; stderr: (s: string) => void; isTTY: boolean }): CliContext {
  let info: BackendInfo | undefined;
  const ctx: CliContext = {
    options,
    json: Boolean(options.json),
    seed: normaliseSeed(options.seed ?? '0'),
    out: (line) => io.stdout(line + '\n'),
    info: (line) => {
      if (!options.quiet) io.stderr(line + '\n');
    },
    interactive: io.isTTY,
    backend: async () => {
      if (!info) {
        info = await initBackend({ backend: options.backend, blas: options.blas });
        ctx.info(`nnsym: backend ${describeBackend(info)}`);
      }
      return info;
    },
  };
  return ctx;
}

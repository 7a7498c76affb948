/**
 * Errors that reach a user. Every error nnsym raises on bad input is an {@link NnsymError}: its message is one
 * line that names the offending flag or field, and the CLI maps it to exit code 2 without a stack trace.
 *
 * @example
 * throw new UsageError('--width must be a positive integer, got -3', '--width');
 */
export class NnsymError extends Error {
  /** The flag (`--width`) or field (`config.width`) at fault, when there is one. */
  readonly field?: string;
  /** Exit code the CLI uses for this error. */
  readonly exitCode: number;
  constructor(message: string, options: { field?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NnsymError';
    this.field = options.field;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Bad input from a user: a flag, a config field, an input file. Exit code 2. */
export class UsageError extends NnsymError {
  constructor(message: string, field?: string) {
    super(message, { field, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** Is `e` an error whose message is meant for the user as-is? */
export function isNnsymError(e: unknown): e is NnsymError {
  return e instanceof NnsymError;
}

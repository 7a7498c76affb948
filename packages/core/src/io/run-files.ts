import { accessSync, closeSync, constants as fsConstants, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors';

/**
 * The run-file policy: one rule for every file nnsym writes (results, checkpoints, reports, plots).
 *
 * 1. Paths are checked **before any work**: {@link prepareOutputFile} / {@link prepareDirectory} at the start of a
 *    command, so a wrong `--out` fails in milliseconds, not after hours of computing.
 * 2. Directories: an existing directory is used; a missing one is created **only when its parent exists** (one level,
 *    like `mkdir` without `-p`: a typo never creates a tree, and a path under `/proc` fails at once instead of spinning);
 *    anything else is refused naming the flag.
 * 3. Writes are atomic ({@link atomicWriteFile}): a temporary file beside the target, then a rename; on failure the
 *    temporary file is removed and the error names the user's path, never the temporary one.
 * 4. Checkpoints ({@link checkpointAction}): an existing checkpoint is never overwritten without `--resume` or
 *    `--overwrite`, and it is resumed only under an identical spec ({@link assertSameSpec}, every field, complete or
 *    not; the differing field is named).
 *
 * Errors are {@link UsageError}s (exit code 2) whose one-line message names the flag.
 */

function errCode(e: unknown): string {
  const x = e as NodeJS.ErrnoException;
  return x?.code ?? (x?.message ?? String(e)).split('\n')[0];
}

function kindOf(path: string): 'missing' | 'dir' | 'file' | 'other' {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'other';
    throw new UsageError(`cannot inspect ${path} (${errCode(e)})`);
  }
}

function checkPathText(path: string, flag: string): void {
  if (typeof path !== 'string' || path.trim() === '') throw new UsageError(`${flag} needs a path, got "${path}"`, flag);
  if (path.includes('\0')) throw new UsageError(`${flag}: the path contains a NUL byte`, flag);
  if (Buffer.byteLength(path) > 4096) throw new UsageError(`${flag}: the path is longer than 4096 bytes`, flag);
}

/**
 * Make sure `dir` is a usable directory: use it if it exists, create it if only it is missing (its parent exists),
 * refuse otherwise. Bounded: at most one `mkdir` call.
 *
 * When to use: a checkpoint or report directory (`train --checkpoint DIR`, `demo --out DIR`) and the parent directory
 * of every output file, before the command computes anything.
 *
 * @example prepareDirectory('runs/ck', '--checkpoint') // creates runs/ck when runs/ exists
 * @returns the resolved directory path
 */
export function prepareDirectory(dir: string, flag: string): string {
  checkPathText(dir, flag);
  const abs = resolve(dir);
  const kind = kindOf(abs);
  if (kind === 'dir') {
    try {
      accessSync(abs, fsConstants.W_OK);
    } catch (e) {
      throw new UsageError(`${flag}: directory ${dir} is not writable (${errCode(e)})`, flag);
    }
    return abs;
  }
  if (kind !== 'missing') throw new UsageError(`${flag}: ${dir} exists and is not a directory`, flag);
  const parent = dirname(abs);
  if (kindOf(parent) !== 'dir') {
    throw new UsageError(`${flag}: directory ${dirname(dir) === '.' ? parent : dirname(dir)} does not exist (nnsym creates at most the last directory of a path; create the rest first)`, flag);
  }
  try {
    mkdirSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || kindOf(abs) !== 'dir') throw new UsageError(`${flag}: cannot create directory ${dir} (${errCode(e)})`, flag);
  }
  return abs;
}

/**
 * Check, before any work, that `path` can be written as a file: not a directory, its directory usable
 * ({@link prepareDirectory}'s rule). Existing files may be replaced (they are, atomically, at the end) unless
 * `mustNotExist`.
 *
 * @example prepareOutputFile('results/run.json', '--out')
 * @returns the resolved path
 */
export function prepareOutputFile(path: string, flag: string, options: { mustNotExist?: boolean } = {}): string {
  checkPathText(path, flag);
  const abs = resolve(path);
  const kind = kindOf(abs);
  if (kind === 'dir') throw new UsageError(`${flag}: ${path} is a directory; give a file name`, flag);
  if (kind === 'other') throw new UsageError(`${flag}: ${path} is not a regular file`, flag);
  if (kind === 'file' && options.mustNotExist) throw new UsageError(`${flag}: ${path} already exists`, flag);
  prepareDirectory(dirname(abs), flag);
  return abs;
}

let tmpCounter = 0;

/**
 * Write `data` to `path` atomically: a temporary file in the same directory, flushed, then renamed over `path`.
 * On any failure the temporary file is removed and a one-line {@link UsageError} names `flag` and `path`.
 *
 * @example atomicWriteFile('run.json', JSON.stringify(result), '--out')
 */
export function atomicWriteFile(path: string, data: string | Uint8Array, flag: string): void {
  const abs = resolve(path);
  const tmp = join(dirname(abs), `.${basename(abs)}.nnsym-tmp-${process.pid}-${tmpCounter++}`);
  let fd: number | undefined;
  try {
    if (kindOf(abs) === 'dir') throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fd = openSync(tmp, 'wx');
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, abs);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${flag}: cannot write ${path} (${errCode(e)})`, flag);
  }
}

/** What to do with a checkpoint path: start a fresh run or resume the saved one. */
export type CheckpointAction = 'fresh' | 'resume';

/**
 * Decide, before any work, what happens to a checkpoint: resume it (`--resume` and it exists), start fresh (it does
 * not exist, or `--overwrite`), or refuse (it exists and neither flag was given: never overwrite a partial run).
 *
 * @param o.exists whether a checkpoint is at the path
 * @param o.describe a short description of what it holds, for the refusal ("1507328 networks done")
 * @example checkpointAction({ path: 'cp.json', flag: '--checkpoint', exists: true, resume: false, overwrite: false }) // throws
 */
export function checkpointAction(o: { path: string; flag: string; exists: boolean; resume?: boolean; overwrite?: boolean; describe?: string }): CheckpointAction {
  if (o.resume && o.overwrite) throw new UsageError('give --resume or --overwrite, not both', '--overwrite');
  if (!o.exists) return 'fresh';
  if (o.resume) return 'resume';
  if (o.overwrite) return 'fresh';
  throw new UsageError(`${o.flag}: checkpoint ${o.path} exists${o.describe ? ` (${o.describe})` : ''}: pass --resume to continue it, or --overwrite to start afresh`, o.flag);
}

/** Where two specs first differ: the field path and both values. */
export interface SpecDifference {
  field: string;
  saved: unknown;
  wanted: unknown;
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  return typeof a === 'number' && typeof b === 'number' && a === b;
}

/**
 * The first field (depth first, in `wanted`'s key order, then keys only in `saved`) where two JSON-like specs differ,
 * or undefined when they are identical. Arrays compare element-wise (`inputs[2][0]`); a missing key differs from a
 * present one.
 *
 * @example firstDifference({ width: 10, seed: 0 }, { width: 12, seed: 0 }) // { field: 'width', saved: 10, wanted: 12 }
 */
export function firstDifference(saved: unknown, wanted: unknown, path = ''): SpecDifference | undefined {
  if (same(saved, wanted)) return undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
  if (Array.isArray(saved) && Array.isArray(wanted)) {
    if (saved.length !== wanted.length) return { field: path || '(root)', saved: `${saved.length} entries`, wanted: `${wanted.length} entries` };
    for (let i = 0; i < wanted.length; i++) {
      const d = firstDifference(saved[i], wanted[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObj(saved) && isObj(wanted) && !Array.isArray(saved) && !Array.isArray(wanted)) {
    const keys = [...Object.keys(wanted), ...Object.keys(saved).filter((k) => !(k in wanted))];
    for (const k of keys) {
      const d = firstDifference(saved[k], wanted[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return undefined;
  }
  return { field: path || '(root)', saved, wanted };
}

function show(v: unknown): string {
  if (v === undefined) return 'unset';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/**
 * Refuse to resume `label` unless its saved spec equals this run's in every field.
 *
 * @param fieldToFlag maps a spec field path (`width`, `arch.width`) to the flag the user types, for the message
 * @example assertSameSpec(saved, wanted, '--resume', 'cp.json') // UsageError: --resume: cp.json is another run: "width" differs (10 vs 12) ...
 */
export function assertSameSpec(saved: unknown, wanted: unknown, flag: string, label: string, fieldToFlag: (field: string) => string | undefined = () => undefined): void {
  const d = firstDifference(saved, wanted);
  if (!d) return;
  const f = fieldToFlag(d.field.replace(/\[.*$/, ''));
  throw new UsageError(
    `${flag}: ${label} is another run: "${d.field}" differs (saved ${show(d.saved)}, this run ${show(d.wanted)})${f ? `; change ${f} back` : ''}, or pass --overwrite to start afresh`,
    flag,
  );
}

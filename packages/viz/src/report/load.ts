import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError, parseEvent, type NnsymEvent } from '@nnsym/core';
import type { ReportInput, ReportProvenance } from './types';

const FLAG = '<input>';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function envelopeParts(v: Record<string, unknown>, what: string): { provenance: ReportProvenance; payload: Record<string, unknown> } {
  const { nnsym, ...payload } = v;
  if (!isRecord(nnsym) || typeof nnsym['command'] !== 'string') {
    throw new UsageError(`report: ${what} is not an nnsym result: its "nnsym" field has no "command"`, FLAG);
  }
  return { provenance: nnsym as unknown as ReportProvenance, payload };
}

/**
 * Parse the text of a result (JSON envelope), an event log (JSONL of NnsymEvent, possibly ending with a result
 * envelope line, as `nnsym train --json` prints), into a {@link ReportInput}. Anything else is a one-line
 * `UsageError` (exit 2) that says what the text is not.
 *
 * @example
 * const input = parseReportInput(readFileSync('kernel.json', 'utf8'), 'kernel.json');
 */
export function parseReportInput(text: string, source: string): ReportInput {
  const trimmed = text.trim();
  const name = basename(source);
  if (trimmed === '') throw new UsageError(`report: ${name} is empty, not an nnsym result or event log`, FLAG);
  let whole: unknown;
  let wholeOk = false;
  try {
    whole = JSON.parse(trimmed);
    wholeOk = true;
  } catch {
    // not one JSON document: maybe JSONL
  }
  if (wholeOk) {
    if (isRecord(whole) && 'nnsym' in whole) return { source, ...envelopeParts(whole, name), events: [] };
    if (isRecord(whole) && typeof whole['type'] === 'string') return fromLines([trimmed], source);
    const what = Array.isArray(whole) ? 'a JSON array' : isRecord(whole) ? 'JSON without an "nnsym" provenance field' : `a JSON ${typeof whole}`;
    throw new UsageError(`report: ${name} is not an nnsym result: ${what} (expected { "nnsym": { "command", "version", "seed", ... }, ... } or an event log)`, FLAG);
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2 || !lines[0].trim().startsWith('{')) {
    throw new UsageError(`report: ${name} is not an nnsym result or event log: not JSON (starts with ${JSON.stringify(trimmed.slice(0, 24))})`, FLAG);
  }
  return fromLines(lines, source);
}

function fromLines(lines: string[], source: string): ReportInput {
  const name = basename(source);
  const events: NnsymEvent[] = [];
  let result: { provenance: ReportProvenance; payload: Record<string, unknown> } | undefined;
  for (const [i, line] of lines.entries()) {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UsageError(`report: ${name} is not an nnsym event log: line ${i + 1} is not JSON`, FLAG);
    }
    if (isRecord(v) && 'nnsym' in v) {
      result = envelopeParts(v, `${name} line ${i + 1}`);
      continue;
    }
    try {
      events.push(parseEvent(line));
    } catch (e) {
      throw new UsageError(`report: ${name} is not an nnsym event log: line ${i + 1}: ${(e as Error).message.replace(/^not an nnsym event: /, '')}`, FLAG);
    }
  }
  return mergeInputs(source, result, events);
}

function mergeInputs(source: string, result: { provenance: ReportProvenance; payload: Record<string, unknown> } | undefined, events: NnsymEvent[]): ReportInput {
  const start = events.find((e) => e.type === 'run-start');
  const fromStart: ReportProvenance | undefined =
    start && start.type === 'run-start' ? { command: start.command, version: start.version, seed: start.seed, backend: start.backend, time: start.time } : undefined;
  const provenance = result?.provenance ?? fromStart ?? { command: 'events' };
  const config = start && start.type === 'run-start' ? start.config : undefined;
  return { source, provenance, payload: result?.payload ?? {}, events, config };
}

/**
 * A report input from a result object already in memory (a command's envelope `{ nnsym, ...payload }`), with an
 * optional event log: what `nnsym demo` uses to report results it computed without writing files.
 *
 * @example
 * const input = reportInputFromResult(await resultEnvelope(ctx, 'symmetry', precision, payload));
 */
export function reportInputFromResult(result: Record<string, unknown>, events: NnsymEvent[] = [], source = '(in memory)'): ReportInput {
  if (!isRecord(result) || !('nnsym' in result)) throw new UsageError('report: not an nnsym result: no "nnsym" provenance field', FLAG);
  const parts = envelopeParts(result, source);
  const merged = mergeInputs(source, parts, events);
  return merged;
}

/**
 * Read a report input from a path: a result `.json`, an event log `.jsonl`, or a run directory holding either or
 * both (`result.json` / `events.jsonl` preferred, else any `*.json` with an `nnsym` field and any `*.jsonl`), or
 * else a `train --checkpoint` directory (its `checkpoint.json` history per epoch and `run.json` settings).
 * Missing paths and non-nnsym files are one-line `UsageError`s.
 */
export function loadReportInput(path: string): ReportInput {
  if (!existsSync(path)) throw new UsageError(`report: no such file or directory: ${path}`, FLAG);
  if (!statSync(path).isDirectory()) return parseReportInput(readFileSync(path, 'utf8'), path);
  const files = readdirSync(path).sort();
  const jsonl = files.includes('events.jsonl') ? 'events.jsonl' : files.find((f) => f.endsWith('.jsonl'));
  const jsons = ['result.json', ...files.filter((f) => f.endsWith('.json') && f !== 'result.json')].filter((f) => files.includes(f));
  let result: ReportInput | undefined;
  for (const f of jsons) {
    try {
      const r = parseReportInput(readFileSync(join(path, f), 'utf8'), join(path, f));
      if (r.events.length === 0) {
        result = r;
        break;
      }
    } catch {
      // checkpoint.json and other files are not results
    }
  }
  const log = jsonl ? parseReportInput(readFileSync(join(path, jsonl), 'utf8'), join(path, jsonl)) : undefined;
  if (!result && !log) {
    const ck = checkpointInput(path, files);
    if (ck) return ck;
    throw new UsageError(`report: ${path} is a directory without an nnsym result (*.json with an "nnsym" field), event log (*.jsonl) or train checkpoint (checkpoint.json)`, FLAG);
  }
  if (result && log) return { ...result, source: path, events: log.events, config: log.config, payload: { ...log.payload, ...result.payload } };
  const only = (result ?? log) as ReportInput;
  return { ...only, source: path };
}

/**
 * A `train --checkpoint` directory as a train report input: the per-epoch `history` of `checkpoint.json` (what the
 * train renderer draws from a result), its fingerprint, position and the settings in `run.json`. Undefined when the
 * directory holds no nnsym checkpoint.
 */
function checkpointInput(path: string, files: string[]): ReportInput | undefined {
  if (!files.includes('checkpoint.json')) return undefined;
  const read = (f: string): Record<string, unknown> | undefined => {
    try {
      const v: unknown = JSON.parse(readFileSync(join(path, f), 'utf8'));
      return isRecord(v) ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const ck = read('checkpoint.json');
  if (!ck || ck['format'] !== 'nnsym-checkpoint') return undefined;
  const run = files.includes('run.json') ? (read('run.json') ?? {}) : {};
  const fingerprint = isRecord(ck['fingerprint']) ? ck['fingerprint'] : {};
  const seed = typeof ck['seed'] === 'number' || typeof ck['seed'] === 'string' ? ck['seed'] : undefined;
  return {
    source: path,
    provenance: { command: 'train', ...(seed !== undefined ? { seed } : {}) },
    payload: { checkpoint: path, ...fingerprint, ...run, epochsDone: ck['epoch'], batch: ck['batch'], step: ck['step'], history: Array.isArray(ck['history']) ? ck['history'] : [] },
    events: [],
  };
}

/**
 * Events of training runs and long computations, as a discriminated union on `type`. They mirror tfjs-layers'
 * callbacks (onTrainBegin ... onBatchEnd ... onEpochEnd ... onTrainEnd). Producers return a cold
 * `Observable<NnsymEvent>`; consumers (CLI progress, JSONL writer, viz dashboard) only subscribe.
 */

/** Emitted once, first. */
export interface RunStartEvent {
  type: 'run-start';
  /** Command or computation, e.g. `train`, `correlators`. */
  command: string;
  /** The resolved configuration (JSON-serialisable). */
  config: Record<string, unknown>;
  seed: number | string;
  backend: string;
  /** nnsym version that produced the run. */
  version?: string;
  /** ISO time. */
  time: string;
}

export interface EpochStartEvent {
  type: 'epoch-start';
  epoch: number;
  epochs: number;
}

export interface BatchEndEvent {
  type: 'batch-end';
  epoch: number;
  batch: number;
  /** Global optimisation step, from 0. */
  step: number;
  loss: number;
  /** Samples in this batch. */
  size: number;
  metrics?: Record<string, number>;
}

export interface EpochEndEvent {
  type: 'epoch-end';
  epoch: number;
  epochs: number;
  /** e.g. `{ loss, accuracy, testLoss, testAccuracy, samplesPerSecond }`. */
  metrics: Record<string, number>;
}

/** Generic progress of a long computation (ensemble chunks, sweep points). */
export interface ProgressEvent {
  type: 'progress';
  done: number;
  total: number;
  /** What is counted, e.g. `networks`, `steps`. */
  unit: string;
  label?: string;
  /** Elapsed seconds since run start. */
  elapsed?: number;
}

/** Named scalar or vector quantities at a step (Noether charges, kernel drift, ...). */
export interface MetricEvent {
  type: 'metric';
  step: number;
  name: string;
  values: Record<string, number>;
}

export interface CheckpointEvent {
  type: 'checkpoint';
  path: string;
  epoch?: number;
  step?: number;
  done?: number;
}

export interface RunEndEvent<S = Record<string, unknown>> {
  type: 'run-end';
  /** Whether the run was interrupted (Ctrl-C) and ended early with what it had. */
  interrupted?: boolean;
  /** The run's result; typed by the producer (e.g. `RunEndEvent<EnsembleRunSummary<S>>` of `ensembleStatistic$`). */
  summary: S;
}

/** A run-ending error (divergence, I/O). `step` and `cause` say where and why. */
export interface ErrorEvent {
  type: 'error';
  message: string;
  step?: number;
  cause?: string;
}

export type NnsymEvent =
  | RunStartEvent
  | EpochStartEvent
  | BatchEndEvent
  | EpochEndEvent
  | ProgressEvent
  | MetricEvent
  | CheckpointEvent
  | RunEndEvent
  | ErrorEvent;

export type NnsymEventType = NnsymEvent['type'];

/** Narrow an event by type. */
export function isEvent<T extends NnsymEventType>(type: T) {
  return (e: NnsymEvent): e is Extract<NnsymEvent, { type: T }> => e.type === type;
}

const TYPES: ReadonlySet<string> = new Set<NnsymEventType>(['run-start', 'epoch-start', 'batch-end', 'epoch-end', 'progress', 'metric', 'checkpoint', 'run-end', 'error']);

/** Parse one JSONL line into an event; throws a one-line error if it is not one. */
export function parseEvent(line: string): NnsymEvent {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`not an nnsym event: invalid JSON: ${line.slice(0, 60)}`);
  }
  if (!v || typeof v !== 'object' || !TYPES.has((v as { type?: string }).type ?? '')) {
    throw new Error(`not an nnsym event: missing or unknown "type": ${line.slice(0, 60)}`);
  }
  return v as NnsymEvent;
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors';
import { hashString } from '../rng/hash';
import type { HostParams, LayerShape } from './types';

/** What makes two runs "the same model": a resume is refused when any of these differ. */
export interface ModelFingerprint {
  /** Dense architecture id (`mlp`, `tanh-net`, ...; see `trainArchitecture`). */
  arch: string;
  sizes: number[];
  bias: boolean;
  activation: string;
  loss: string;
  optimizer: string;
  dataset: string;
  numClasses: number;
}

/** Position and state of a run, stored beside the parameters. */
export interface CheckpointMeta {
  format: 'nnsym-checkpoint';
  version: 1;
  fingerprint: ModelFingerprint;
  /** Epoch to continue in (= completed epochs when `batch` is 0). */
  epoch: number;
  /** Next batch within `epoch` (non-zero after a Ctrl-C checkpoint). */
  batch: number;
  /** Optimisation steps done. */
  step: number;
  seed: number | string;
  optimizerScalars: Record<string, number>;
  /** Float32 counts in the binary file: parameters, then optimiser slots. */
  paramSizes: number[];
  slotSizes: number[];
  /** Metric rows of finished epochs. */
  history: Record<string, number>[];
  binBytes: number;
  binHash: number;
  time: string;
}

/** A checkpoint read back: its meta, the parameters ([out, in] layout) and the optimiser slots. */
export interface Checkpoint {
  meta: CheckpointMeta;
  params: HostParams;
  slots: Float32Array[];
}

const META = 'checkpoint.json';
const BIN = 'checkpoint.bin';

function hashBytes(b: Uint8Array): number {
  // FNV-1a over a stride of the bytes: cheap, catches a bin/json pair that do not belong together.
  let h = 0x811c9dc5;
  const stride = Math.max(1, Math.floor(b.length / 65536));
  for (let i = 0; i < b.length; i += stride) h = Math.imul(h ^ b[i], 0x01000193);
  return (h ^ hashString(String(b.length))) >>> 0;
}

/** Whether `dir` holds a checkpoint. */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, META));
}

/**
 * Write a checkpoint to `dir`: `checkpoint.bin` (float32 parameters in [out, in] layout, then optimiser slots)
 * and `checkpoint.json` (position, fingerprint, history). Both go to temporary files first and are renamed into
 * place, the json last, so an error or a crash mid-write leaves the previous checkpoint intact.
 */
export function writeCheckpoint(dir: string, meta: Omit<CheckpointMeta, 'format' | 'version' | 'paramSizes' | 'slotSizes' | 'binBytes' | 'binHash' | 'time'>, params: HostParams, slots: Float32Array[]): string {
  mkdirSync(dir, { recursive: true });
  const arrays: Float32Array[] = [];
  const paramSizes: number[] = [];
  for (const L of params) {
    arrays.push(L.w);
    paramSizes.push(L.w.length);
    if (L.b) {
      arrays.push(L.b);
      paramSizes.push(L.b.length);
    }
  }
  const total = [...arrays, ...slots].reduce((a, x) => a + x.length, 0);
  const all = new Float32Array(total);
  let off = 0;
  for (const a of [...arrays, ...slots]) {
    all.set(a, off);
    off += a.length;
  }
  const bytes = new Uint8Array(all.buffer);
  const full: CheckpointMeta = { format: 'nnsym-checkpoint', version: 1, ...meta, paramSizes, slotSizes: slots.map((s) => s.length), binBytes: bytes.length, binHash: hashBytes(bytes), time: new Date().toISOString() };
  const tmpBin = join(dir, `${BIN}.${process.pid}.tmp`);
  const tmpMeta = join(dir, `${META}.${process.pid}.tmp`);
  writeFileSync(tmpBin, bytes);
  writeFileSync(tmpMeta, JSON.stringify(full, null, 1));
  renameSync(tmpBin, join(dir, BIN));
  renameSync(tmpMeta, join(dir, META));
  return dir;
}

/** Read a checkpoint; one-line errors for a missing, partial or corrupt one. */
export function readCheckpoint(dir: string, shapes?: LayerShape[]): Checkpoint {
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(readFileSync(join(dir, META), 'utf8')) as CheckpointMeta;
  } catch (e) {
    throw new UsageError(`--checkpoint: cannot read ${join(dir, META)} (${(e as Error).message.split('\n')[0]})`, '--checkpoint');
  }
  if (meta.format !== 'nnsym-checkpoint') throw new UsageError(`--checkpoint: ${join(dir, META)} is not an nnsym checkpoint`, '--checkpoint');
  let raw: Buffer;
  try {
    raw = readFileSync(join(dir, BIN));
  } catch {
    throw new UsageError(`--checkpoint: ${join(dir, BIN)} is missing`, '--checkpoint');
  }
  const bytes = new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (bytes.length !== meta.binBytes || hashBytes(bytes) !== meta.binHash) {
    throw new UsageError(`--checkpoint: ${join(dir, BIN)} does not match ${META} (size or checksum differs; partial copy?)`, '--checkpoint');
  }
  const all = new Float32Array(bytes.buffer);
  let off = 0;
  const take = (n: number) => {
    const a = all.slice(off, off + n);
    off += n;
    return a;
  };
  const sizes = meta.fingerprint.sizes;
  const sh = shapes ?? sizes.slice(1).map((out, l) => ({ out, in: sizes[l], bias: meta.fingerprint.bias }));
  const params: HostParams = sh.map((s) => ({ out: s.out, in: s.in, w: take(s.out * s.in), b: s.bias ? take(s.out) : undefined }));
  const slots = meta.slotSizes.map((n) => take(n));
  return { meta, params, slots };
}

/**
 * Differences between a checkpoint's model and this run's, as `field checkpoint-value vs run-value` phrases;
 * empty when they match.
 */
export function fingerprintDiff(saved: ModelFingerprint, run: ModelFingerprint): string[] {
  const out: string[] = [];
  for (const k of Object.keys(run) as (keyof ModelFingerprint)[]) {
    const a = JSON.stringify(saved[k]);
    const b = JSON.stringify(run[k]);
    if (a !== b) out.push(k === 'sizes' ? `sizes ${saved.sizes.join('-')} (checkpoint) vs ${run.sizes.join('-')} (this run)` : `${k} ${a} (checkpoint) vs ${b} (this run)`);
  }
  return out;
}

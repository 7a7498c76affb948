import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { hashString } from '@nnsym/core';
import type { DataSplit, Dataset } from '@nnsym/core';

const MAGIC = 'NNSYMDS1';

/** The cache directory: `options` if given, else `$NNSYM_CACHE_DIR`, else `~/.cache/nnsym`. */
export function cacheDir(explicit?: string): string {
  return explicit ?? process.env['NNSYM_CACHE_DIR'] ?? join(homedir(), '.cache', 'nnsym');
}

/** A cache key from the identity of the source files (path, size, mtime) and a format version. */
export function sourceKey(id: string, files: string[], extra = ''): string {
  const parts = files.map((f) => {
    const s = statSync(f);
    return `${f}:${s.size}:${s.mtimeMs}`;
  });
  return `${id}-${(hashString([id, extra, ...parts].join('|')) >>> 0).toString(16).padStart(8, '0')}`;
}

interface SplitHeader {
  n: number;
  d: number;
  dtype: 'uint8' | 'float32';
  scale: number;
}
interface Header {
  id: string;
  numClasses: number;
  inputShape: number[];
  source: string;
  train: SplitHeader;
  test: SplitHeader;
}

/**
 * Write a dataset as one compact binary file: 8-byte magic, uint32 header length, JSON header, then for each split
 * the features (uint8 or float32, 4-byte aligned) and the labels. Written to a temporary file and renamed, so a
 * crash never leaves a half-written cache entry.
 */
export function writeCache(dir: string, key: string, ds: Dataset): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${key}.bin`);
  const tmp = `${path}.${process.pid}.tmp`;
  const sh = (s: DataSplit): SplitHeader => ({ n: s.n, d: s.d, dtype: s.x instanceof Uint8Array ? 'uint8' : 'float32', scale: s.scale });
  const header: Header = { id: ds.id, numClasses: ds.numClasses, inputShape: [...ds.inputShape], source: ds.source, train: sh(ds.train), test: sh(ds.test) };
  let json = Buffer.from(JSON.stringify(header));
  const pad = (4 - ((8 + 4 + json.length) % 4)) % 4;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const fd = openSync(tmp, 'w');
  try {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    writeSync(fd, Buffer.from(MAGIC, 'ascii'));
    writeSync(fd, len);
    writeSync(fd, json);
    for (const s of [ds.train, ds.test]) {
      const xb = Buffer.from(s.x.buffer, s.x.byteOffset, s.x.byteLength);
      writeSync(fd, xb);
      writeSync(fd, Buffer.alloc((4 - (xb.length % 4)) % 4));
      writeSync(fd, Buffer.from(s.y.buffer, s.y.byteOffset, s.y.byteLength));
      writeSync(fd, Buffer.alloc((4 - (s.y.byteLength % 4)) % 4));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

/** Read a cached dataset, or `undefined` if there is none (or it is unreadable: it will be rebuilt). */
export function readCache(dir: string, key: string): Dataset | undefined {
  const path = join(dir, `${key}.bin`);
  if (!existsSync(path)) return undefined;
  try {
    const buf = readFileSync(path);
    if (buf.toString('ascii', 0, 8) !== MAGIC) return undefined;
    const hlen = buf.readUInt32LE(8);
    const header = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as Header;
    let off = 12 + hlen;
    const split = (h: SplitHeader): DataSplit => {
      const nx = h.n * h.d;
      const bytes = h.dtype === 'uint8' ? nx : 4 * nx;
      // Copy into fresh, aligned storage (the Buffer may be a view into Node's pool).
      const x = h.dtype === 'uint8' ? new Uint8Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes)) : new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes));
      off += bytes + ((4 - (bytes % 4)) % 4);
      const y = new Uint8Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + h.n));
      off += h.n + ((4 - (h.n % 4)) % 4);
      if (off > buf.length) throw new Error('short cache file');
      return { n: h.n, d: h.d, x, scale: h.scale, y };
    };
    const train = split(header.train);
    const test = split(header.test);
    return { id: header.id, numClasses: header.numClasses, inputShape: header.inputShape, source: header.source, train, test, cached: true };
  } catch {
    return undefined;
  }
}

/**
 * Load through the cache: return the cached copy for `key` if present, else `build()` it and write the cache.
 * A cache that cannot be written (read-only home) is not an error: the data are returned uncached.
 */
export async function withCache(dirOpt: string | false | undefined, key: string, build: () => Dataset | Promise<Dataset>): Promise<Dataset> {
  if (dirOpt === false) return build();
  const dir = cacheDir(dirOpt);
  const hit = readCache(dir, key);
  if (hit) return hit;
  const ds = await build();
  try {
    writeCache(dir, key, ds);
  } catch {
    try {
      unlinkSync(join(dir, `${key}.bin.${process.pid}.tmp`));
    } catch {
      // nothing to clean up
    }
  }
  return ds;
}

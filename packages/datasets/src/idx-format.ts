import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { UsageError } from '@nnsym/core';

/** A parsed IDX file: its dimensions and unsigned-byte payload. */
export interface IdxArray {
  /** e.g. [60000, 28, 28] for images, [60000] for labels. */
  dims: number[];
  data: Uint8Array;
}

/**
 * Parse an IDX file (LeCun's MNIST format), optionally gzipped (detected by the 1f 8b magic bytes).
 *
 * Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type MNIST-style sets use), the number of
 * dimensions, then each dimension as a big-endian uint32, then the data. Errors are one line and name the file:
 * wrong magic number, unsupported type, truncated or oversized payload.
 *
 * @example
 * const { dims, data } = parseIdx(readFileSync('train-images-idx3-ubyte'), 'train-images-idx3-ubyte');
 * // dims = [60000, 28, 28]; data.length = 47040000
 */
export function parseIdx(raw: Uint8Array, name = 'IDX file'): IdxArray {
  let buf = raw;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new UsageError(`${name}: corrupt gzip data (${(e as Error).message})`, name);
    }
  }
  if (buf.length < 4) throw new UsageError(`${name}: truncated: ${buf.length} bytes, too short for an IDX header`, name);
  const magic = ((buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3]) >>> 0;
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw new UsageError(`${name}: wrong magic number 0x${magic.toString(16).padStart(8, '0')} (not an IDX file; expected 0x0000080N)`, name);
  }
  if (buf[2] !== 0x08) {
    throw new UsageError(`${name}: unsupported IDX element type 0x${buf[2].toString(16)} (magic 0x${magic.toString(16).padStart(8, '0')}); only unsigned bytes (0x08) are supported`, name);
  }
  const nd = buf[3];
  if (nd < 1 || nd > 4) throw new UsageError(`${name}: wrong magic number 0x${magic.toString(16).padStart(8, '0')}: ${nd} dimensions`, name);
  const headerLen = 4 + 4 * nd;
  if (buf.length < headerLen) throw new UsageError(`${name}: truncated: ${buf.length} bytes, header needs ${headerLen}`, name);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const have = buf.length - headerLen;
  if (have < count) throw new UsageError(`${name}: truncated: dims [${dims.join(', ')}] need ${count} data bytes, file has ${have}`, name);
  if (have > count) throw new UsageError(`${name}: ${have - count} unexpected trailing bytes after [${dims.join(', ')}] data`, name);
  return { dims, data: buf.subarray(headerLen, headerLen + count) };
}

/** Read and parse an IDX or IDX.gz file; a missing file is a one-line error naming the path. */
export function readIdx(path: string): IdxArray {
  let raw: Uint8Array;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: cannot read IDX file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`, path);
  }
  return parseIdx(raw, path);
}

/**
 * Read an image file and a label file into a split. Checks that the image file has 3 dimensions, the label file
 * 1, and that their counts agree.
 */
export function readIdxPair(imagesPath: string, labelsPath: string): { n: number; rows: number; cols: number; x: Uint8Array; y: Uint8Array } {
  const img = readIdx(imagesPath);
  const lab = readIdx(labelsPath);
  if (img.dims.length !== 3) throw new UsageError(`${imagesPath}: expected an image file with 3 dimensions [n, rows, cols], got [${img.dims.join(', ')}]`, imagesPath);
  if (lab.dims.length !== 1) throw new UsageError(`${labelsPath}: expected a label file with 1 dimension [n], got [${lab.dims.join(', ')}]`, labelsPath);
  if (img.dims[0] !== lab.dims[0]) {
    throw new UsageError(`count mismatch: ${imagesPath} has ${img.dims[0]} images but ${labelsPath} has ${lab.dims[0]} labels`, labelsPath);
  }
  return { n: img.dims[0], rows: img.dims[1], cols: img.dims[2], x: img.data, y: lab.data };
}

/** Encode an IDX file of unsigned bytes (for tests and for exporting data). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

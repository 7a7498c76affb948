import { mkdtempSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx, readIdxPair } from './idx-format';
import { idxDataset } from './idx';
import { createFromPlugin } from '@nnsym/core';
import { readCache, writeCache } from './cache';
import { limitSplit, type Dataset } from '@nnsym/core';
import { splitFashionClasses } from './fashion-mnist';
import { teacherStudentDataset } from '@nnsym/core';

/** A small IDX image/label pair: n images of 2x3 bytes with pixel value (10 i + j), labels i mod 3. */
function smallSet(n: number) {
  const x = new Uint8Array(n * 6).map((_, k) => 10 * Math.floor(k / 6) + (k % 6));
  const y = new Uint8Array(n).map((_, i) => i % 3);
  return { images: encodeIdx([n, 2, 3], x), labels: encodeIdx([n], y), x, y };
}

describe('IDX parser', () => {
  it('reads the header (magic 0x00000803 / 0x00000801, big-endian dims) and the bytes, plain and gzipped', () => {
    const s = smallSet(4);
    // Header bytes written by hand: 00 00 08 03, then 4, 2, 3 as big-endian uint32.
    expect([...s.images.subarray(0, 16)]).toEqual([0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 3]);
    const a = parseIdx(s.images, 'img');
    expect(a.dims).toEqual([4, 2, 3]);
    expect([...a.data]).toEqual([...s.x]);
    const g = parseIdx(gzipSync(s.labels), 'lab.gz');
    expect(g.dims).toEqual([4]);
    expect([...g.data]).toEqual([0, 1, 2, 0]);
  });

  it('rejects a wrong magic number, truncation and trailing bytes with one-line errors naming the file', () => {
    const s = smallSet(4);
    const bad = s.images.slice();
    bad[0] = 0x50; // e.g. a PNG/ZIP or text file
    expect(() => parseIdx(bad, 'x.idx')).toThrow(/^x\.idx: wrong magic number 0x50000803/);
    const badType = s.images.slice();
    badType[2] = 0x0d; // float32 IDX
    expect(() => parseIdx(badType, 'f.idx')).toThrow(/unsupported IDX element type 0xd/);
    expect(() => parseIdx(s.images.subarray(0, s.images.length - 1), 't.idx')).toThrow('t.idx: truncated: dims [4, 2, 3] need 24 data bytes, file has 23');
    expect(() => parseIdx(s.images.subarray(0, 10), 'h.idx')).toThrow(/truncated: 10 bytes, header needs 16/);
    expect(() => parseIdx(new Uint8Array([...s.labels, 7]), 'l.idx')).toThrow(/1 unexpected trailing bytes/);
    expect(() => parseIdx(gzipSync(s.images).subarray(0, 20), 'c.gz')).toThrow(/c\.gz: corrupt gzip data/);
  });

  it('checks that image and label counts agree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-idx-'));
    writeFileSync(join(dir, 'img'), smallSet(5).images);
    writeFileSync(join(dir, 'lab'), smallSet(4).labels);
    expect(() => readIdxPair(join(dir, 'img'), join(dir, 'lab'))).toThrow(/count mismatch: .*img has 5 images but .*lab has 4 labels/);
    expect(() => readIdxPair(join(dir, 'nope'), join(dir, 'lab'))).toThrow(/nope: cannot read IDX file \(no such file\)/);
  });

  it('loads an IDX.gz directory through the idx plugin, caches it, and reads the cache back identically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-idxdir-'));
    const cache = mkdtempSync(join(tmpdir(), 'nnsym-cache-'));
    const tr = smallSet(6);
    const te = smallSet(3);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(tr.images));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(tr.labels));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), te.images);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), te.labels);
    const first = await createFromPlugin(idxDataset, { dir }).load({ cacheDir: cache });
    expect(first.cached).toBeUndefined();
    expect([first.train.n, first.train.d, first.test.n, first.numClasses]).toEqual([6, 6, 3, 3]);
    expect([...first.train.x]).toEqual([...tr.x]);
    const second = await createFromPlugin(idxDataset, { dir }).load({ cacheDir: cache });
    expect(second.cached).toBe(true);
    expect([...second.train.x]).toEqual([...tr.x]);
    expect([...second.test.y]).toEqual([...te.y]);
    expect(second.train.scale).toBeCloseTo(1 / 255, 12);
  });

  it('refuses an idx config without files, naming the field', () => {
    expect(() => createFromPlugin(idxDataset, {})).toThrow(/dataset "idx": config: give dir/);
  });
});

describe('dataset cache and splits', () => {
  it('round-trips float32 and uint8 splits through the binary cache file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-cache-'));
    const ds: Dataset = {
      id: 't', numClasses: 2, inputShape: [3], source: 'test',
      train: { n: 3, d: 3, x: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9.5]), scale: 1, y: new Uint8Array([0, 1, 1]) },
      test: { n: 1, d: 3, x: new Uint8Array([9, 8, 7]), scale: 1 / 255, y: new Uint8Array([1]) },
    };
    const path = writeCache(dir, 'key', ds);
    expect(statSync(path).size).toBeGreaterThan(36 + 3);
    const back = readCache(dir, 'key') as Dataset;
    expect(back.train.x).toBeInstanceOf(Float32Array);
    expect([...back.train.x]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9.5]);
    expect([...back.test.x]).toEqual([9, 8, 7]);
    expect([...back.train.y]).toEqual([0, 1, 1]);
    // A corrupt cache file is ignored (rebuilt by the caller), not an error.
    writeFileSync(path, readFileSync(path).subarray(0, 20));
    expect(readCache(dir, 'key')).toBeUndefined();
  });

  it('splits Fashion-MNIST class lists: drops malformed rows, first testPerClass of each class to test', () => {
    const img = (v: number) => new Array(784).fill(v);
    const classes = [[img(1), img(2), [], img(3)], [img(4), img(5), img(6)]];
    const { train, test } = splitFashionClasses(classes, 2);
    expect([train.n, test.n]).toEqual([2, 4]);
    expect([...test.y]).toEqual([0, 0, 1, 1]);
    expect([test.x[0], test.x[784], test.x[2 * 784], test.x[3 * 784]]).toEqual([1, 2, 4, 5]);
    expect([...train.y]).toEqual([0, 1]);
    expect([train.x[0], train.x[784]]).toEqual([3, 6]);
  });

  it('limitSplit takes a fixed subset, the same for every call', () => {
    const s = { n: 10, d: 1, x: new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), scale: 1, y: new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) };
    const a = limitSplit(s, 4);
    const b = limitSplit(s, 4);
    expect(a.n).toBe(4);
    expect([...a.y]).toEqual([...b.y]);
    expect([...a.x]).toEqual([...a.y]);
    expect(new Set(a.y).size).toBe(4);
    expect(limitSplit(s, 20)).toBe(s);
  });

  it('teacher-student data are a deterministic function of the seed, with labels in range', async () => {
    const a = await createFromPlugin(teacherStudentDataset, { d: 5, nTrain: 50, nTest: 10, classes: 3, seed: 4 }).load();
    const b = await createFromPlugin(teacherStudentDataset, { d: 5, nTrain: 50, nTest: 10, classes: 3, seed: 4 }).load();
    const c = await createFromPlugin(teacherStudentDataset, { d: 5, nTrain: 50, nTest: 10, classes: 3, seed: 5 }).load();
    expect([...a.train.x]).toEqual([...b.train.x]);
    expect([...a.train.x]).not.toEqual([...c.train.x]);
    expect(Math.max(...a.train.y)).toBeLessThan(3);
    expect(new Set(a.train.y).size).toBeGreaterThan(1);
  });
});

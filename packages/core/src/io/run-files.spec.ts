import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSameSpec, atomicWriteFile, checkpointAction, prepareDirectory, prepareOutputFile, firstDifference } from './run-files';

describe('run-file policy', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnsym-runfiles-'));

  it('creates only the last missing directory level, refuses deeper trees', () => {
    expect(prepareDirectory(join(root, 'a'), '--out')).toBe(join(root, 'a'));
    expect(existsSync(join(root, 'a'))).toBe(true);
    expect(() => prepareDirectory(join(root, 'x', 'y', 'z'), '--out')).toThrow(/--out: directory .* does not exist/);
    expect(existsSync(join(root, 'x'))).toBe(false);
  });

  it('refuses /proc paths at once (bounded: one mkdir, no spin)', () => {
    const t0 = Date.now();
    expect(() => prepareDirectory('/proc/nope/x', '--checkpoint')).toThrow(/--checkpoint/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses a directory as an output file and a file as a directory', () => {
    expect(() => prepareOutputFile(root, '--out')).toThrow(/--out: .* is a directory/);
    const f = join(root, 'file.txt');
    writeFileSync(f, 'x');
    expect(() => prepareDirectory(f, '--checkpoint')).toThrow(/exists and is not a directory/);
    expect(() => prepareOutputFile(join(f, 'y.json'), '--out')).toThrow(/--out/);
    expect(() => prepareOutputFile('', '--out')).toThrow(/--out needs a path/);
  });

  it('writes atomically and leaves no temporary file behind on failure, naming the user path', () => {
    const f = join(root, 'r.json');
    atomicWriteFile(f, '{"a":1}', '--out');
    expect(readFileSync(f, 'utf8')).toBe('{"a":1}');
    const d = join(root, 'adir');
    mkdirSync(d);
    let msg = '';
    try {
      atomicWriteFile(d, 'x', '--out');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^--out: cannot write .*adir \(EISDIR\)$/);
    expect(msg).not.toMatch(/nnsym-tmp/);
    expect(readdirSync(root).filter((n) => n.includes('nnsym-tmp'))).toEqual([]);
  });

  it('never overwrites a checkpoint without --resume or --overwrite', () => {
    const o = { path: 'cp.json', flag: '--checkpoint' };
    expect(checkpointAction({ ...o, exists: false })).toBe('fresh');
    expect(checkpointAction({ ...o, exists: false, resume: true })).toBe('fresh');
    expect(checkpointAction({ ...o, exists: true, resume: true })).toBe('resume');
    expect(checkpointAction({ ...o, exists: true, overwrite: true })).toBe('fresh');
    expect(() => checkpointAction({ ...o, exists: true, describe: '5 networks done' })).toThrow('--checkpoint: checkpoint cp.json exists (5 networks done): pass --resume to continue it, or --overwrite to start afresh');
    expect(() => checkpointAction({ ...o, exists: true, resume: true, overwrite: true })).toThrow(/not both/);
  });

  it('names the first differing field of two specs, at any depth', () => {
    expect(firstDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toBeUndefined();
    expect(firstDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })).toEqual({ field: 'b[1]', saved: 2, wanted: 3 });
    expect(firstDifference({ a: 1 }, { a: 1, c: 0 })).toEqual({ field: 'c', saved: undefined, wanted: 0 });
    expect(firstDifference({ a: 1, extra: true }, { a: 1 })).toEqual({ field: 'extra', saved: true, wanted: undefined });
    expect(firstDifference({ x: [[1, 2]] }, { x: [[1, 2], [3, 4]] })?.field).toBe('x');
    expect(() => assertSameSpec({ width: 10 }, { width: 12 }, '--resume', 'cp.json', (f) => (f === 'width' ? '--width' : undefined))).toThrow(
      '--resume: cp.json is another run: "width" differs (saved 10, this run 12); change --width back, or pass --overwrite to start afresh',
    );
  });
});

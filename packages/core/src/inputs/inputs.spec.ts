import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInputs, inputRows, checkInputDim, inputsFromJson } from './parse';
import { inputGrid } from './grids';

describe('inputs', () => {
  test('JSON forms: a number, an array of numbers (1-D points), an array of arrays, { inputs }', () => {
    expect(inputRows(parseInputs('0.2'))).toEqual([[0.2]]);
    expect(inputRows(parseInputs('[0.1, 0.2]'))).toEqual([[0.1], [0.2]]);
    expect(inputRows(parseInputs('[[0.1, 0.2], [3, 4]]', { dIn: 2 }))).toEqual([[0.1, 0.2], [3, 4]]);
    expect(inputRows(inputsFromJson({ inputs: [[1, 2]] }))).toEqual([[1, 2]]);
    const s = parseInputs('[[1,2,3]]');
    expect([s.count, s.dIn, s.source]).toEqual([1, 3, 'inline']);
  });

  test('@file.json reads the same JSON from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnsym-inputs-'));
    const f = join(dir, 'x.json');
    writeFileSync(f, '[[1, 0], [0, 1]]');
    const s = parseInputs(`@${f}`, { dIn: 2 });
    expect(inputRows(s)).toEqual([[1, 0], [0, 1]]);
    expect(s.source).toBe(f);
    expect(() => parseInputs(`@${join(dir, 'missing.json')}`)).toThrow(/^inputs: cannot read .*missing.json: ENOENT$/);
  });

  test('named grids', () => {
    expect(Array.from(inputGrid('linspace:-1,1,5').points)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(inputRows(inputGrid('grid:0,1,2', { dIn: 2 }))).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const c = inputRows(inputGrid('circle:2,4', { dIn: 2 }));
    [[2, 0], [0, 2], [-2, 0], [0, -2]].forEach((p, k) => p.forEach((v, i) => expect(c[k][i]).toBeCloseTo(v, 12)));
    const sph = inputRows(parseInputs('sphere:3,5', { dIn: 4, seed: 1 }));
    sph.forEach((p) => expect(Math.hypot(...p)).toBeCloseTo(3, 12));
    expect(inputRows(parseInputs('normal:4', { dIn: 3, seed: 7 }))).toEqual(inputRows(parseInputs('normal:4', { dIn: 3, seed: 7 })));
    expect(inputRows(parseInputs('axis:0,2,3', { dIn: 2 }))).toEqual([[0, 0], [1, 0], [2, 0]]);
    // circle fixes its dimension: with no d_in given it makes 2-D points (audit L6).
    expect(parseInputs('circle:1,8').dIn).toBe(2);
  });

  test('bad input: one-line errors naming the flag', () => {
    const bad: [string, object, RegExp][] = [
      ['[0.1, 0.2', {}, /^inputs: malformed JSON/],
      ['[]', {}, /^inputs must be a number or a non-empty JSON array/],
      ['[0.1, "a"]', {}, /^inputs: point 1 must be a finite number/],
      ['[[1, 2], [3]]', {}, /^inputs: point 1 has dimension 1 but point 0 has dimension 2$/],
      ['[0.1, 0.2]', { dIn: 2 }, /^inputs: points have dimension 1 but the architecture has d_in = 2 \(write each point as an array/],
      ['linspace:0,1', {}, /^inputs: malformed grid "linspace:0,1"; expected linspace:a,b,n/],
      ['linspace:0,1,0', {}, /point count/],
      ['circle:1,8', { dIn: 3 }, /grid "circle" makes 2-dimensional points but the architecture has d_in = 3/],
      ['sphere:1,8', {}, /grid "sphere" needs the input dimension d_in/],
      ['', {}, /must not be empty/],
    ];
    for (const [v, o, re] of bad) {
      let msg = '';
      try {
        parseInputs(v, o);
      } catch (e) {
        msg = (e as Error).message;
        expect((e as { field?: string }).field).toBe('inputs');
      }
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    }
    expect(() => checkInputDim(parseInputs('[1]'), 3, '--x')).toThrow(/^--x: points have dimension 1 but the architecture has d_in = 3$/);
  });
});

import { Rng } from '@nnsym/core';
import { matFrom, zeros, type Mat } from '@nnsym/numerics';
import { linearAssignment } from './assignment';

const randn = (rng: Rng, r: number, c: number): Mat => ({ rows: r, cols: c, data: rng.fillNormal(new Float64Array(r * c)) });

describe('linearAssignment (Jonker-Volgenant / Hungarian)', () => {
  const brute = (c: Mat, maximize: boolean): number => {
    let best = maximize ? -Infinity : Infinity;
    const cols = Array.from({ length: c.cols }, (_, i) => i);
    const rec = (row: number, used: Set<number>, acc: number) => {
      if (row === c.rows) {
        best = maximize ? Math.max(best, acc) : Math.min(best, acc);
        return;
      }
      for (const j of cols) if (!used.has(j)) rec(row + 1, new Set([...used, j]), acc + c.data[row * c.cols + j]);
    };
    rec(0, new Set(), 0);
    return best;
  };

  it('matches brute force on random square and rectangular problems', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 20; t++) {
      const n = 2 + (t % 5);
      const m = n + (t % 3);
      const c = randn(rng, n, m);
      for (const maximize of [false, true]) {
        const { rowToCol, total } = linearAssignment(c, { maximize });
        expect(new Set(rowToCol).size).toBe(n);
        expect(total).toBeCloseTo(brute(c, maximize), 10);
      }
    }
  });

  it('recovers a hidden permutation and solves a hand case', () => {
    // [[4, 1], [2, 3]]: identity costs 7, swap costs 1 + 2 = 3.
    expect(
      Array.from(
        linearAssignment(
          matFrom([
            [4, 1],
            [2, 3],
          ]),
        ).rowToCol,
      ),
    ).toEqual([1, 0]);
    const perm = new Rng(3).permutation(50);
    const c = zeros(50, 50);
    const rng = new Rng(4);
    for (let i = 0; i < 50; i++) for (let j = 0; j < 50; j++) c.data[i * 50 + j] = rng.uniform() + (j === perm[i] ? 1 : 0);
    expect(Array.from(linearAssignment(c, { maximize: true }).rowToCol)).toEqual(Array.from(perm));
  });
});

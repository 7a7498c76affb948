import { createCyclic, directProduct } from '@nnsym/groups';
import { discoverSubspace } from './discover';

describe('discoverSubspace', () => {
  it('recovers E^H for an SI teacher of a hidden group H, from E_0 = {0}', () => {
    // H = C_2 x C_2 swapping (x0,x1) and (x2,x3): E^H = span{(1,1,0,0), (0,0,1,1)}, dimension 2 (by hand).
    const H = directProduct([createCyclic(2), createCyclic(2)]);
    const data = createCyclic(4); // only its dimension matters for the data law x ~ N(0, I_4)
    const r = discoverSubspace({ group: data, teacherGroup: H, width: 100, steps: 200, batch: 64, seed: 1 });
    expect(r.converged).toBe(true);
    expect(r.dimension).toBe(2);
    // every basis vector lies in E^H: entries 0,1 equal and entries 2,3 equal
    for (const b of r.basis) {
      expect(Math.abs(b[0] - b[1])).toBeLessThan(0.05);
      expect(Math.abs(b[2] - b[3])).toBeLessThan(0.05);
    }
  });
});

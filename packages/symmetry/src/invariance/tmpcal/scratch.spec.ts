import { createTranslations } from '../../groups/translations';
import { createSpecialOrthogonal } from '../../groups/special-orthogonal';
import { runSymmetryStudy, referenceSource } from '../study';
jest.setTimeout(600000);
it('scratch', async () => {
  const mode = process.env.SCR ?? 'tr';
  const R = Number(process.env.R ?? 20);
  let broken = 0; const ps: number[] = []; const dofs: number[] = [];
  for (let r = 0; r < R; r++) {
    const res = mode === 'tr'
      ? await runSymmetryStudy({ ensemble: { arch: 'gauss-net', dIn: 1, dOut: 1, width: 50, networks: Number(process.env.M ?? 20000) }, inputs: [Float64Array.of(0.2), Float64Array.of(-0.4)], group: createTranslations(1, 0.5), on: 'inputs', orders: [2], source: referenceSource, seed: 1000 + r })
      : await runSymmetryStudy({ ensemble: { arch: 'gauss-net', dIn: 1, dOut: 3, width: 100, networks: 3000, sb: 1 }, inputs: [Float64Array.of(1)], group: createSpecialOrthogonal(3), on: 'outputs', orders: [2, 4], source: referenceSource, seed: 1000 + r });
    ps.push(res.pValue); dofs.push(res.dof); if (res.verdict === 'broken') broken++;
  }
  console.log(mode, 'broken', broken, '/', R, 'dof', dofs.join(','), 'p', ps.map((p) => p.toExponential(1)).join(' '));
});

import { CLOSED_FORM_DUALS } from '../analytic/duals/lookup';
import { scalarActivation } from '../analytic/scalar-activations';
import type { ActivationDual } from '../analytic/types';
import { runActivationDualConformance } from './dual-conformance';

describe('runActivationDualConformance', () => {
  it('passes for the built-in closed forms against their scalar forms', () => {
    for (const id of ['relu', 'erf', 'identity', 'exp']) {
      expect(runActivationDualConformance(CLOSED_FORM_DUALS[id], scalarActivation(id)!)).toEqual([]);
    }
    expect(runActivationDualConformance(CLOSED_FORM_DUALS.gauss)).toEqual([]);
  });

  it('catches a wrong closed form (relu dual with the wrong angle term)', () => {
    const wrong: ActivationDual = { ...CLOSED_FORM_DUALS.relu, phiPhi: (q1, q2, c) => CLOSED_FORM_DUALS.relu.phiPhi(q1, q2, c) * 1.01 };
    expect(runActivationDualConformance(wrong, scalarActivation('relu')!).length).toBeGreaterThan(0);
  });
});

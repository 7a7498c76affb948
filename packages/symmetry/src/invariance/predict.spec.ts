import { createSpecialOrthogonal, createOrthogonal, createPermutations, createSignFlips, createTranslations, createStabiliser } from '@nnsym/groups';
import type { GroupAction } from '@nnsym/groups';
import { predictInvariance, requirePrediction } from './predict';
import type { ParameterSide } from './types';

const side = (extra: Partial<ParameterSide> = {}): ParameterSide => ({
  arch: 'gauss-net',
  first: { invariance: 'orthogonal' },
  last: { invariance: 'orthogonal' },
  ...extra,
});

describe('parameter-side prediction', () => {
  it('zero-mean isotropic layers: SO(d_out) outputs and SO(d_in) inputs invariant', () => {
    expect(predictInvariance(createSpecialOrthogonal(5), 'outputs', [2, 4], side()).predicted).toBe('invariant');
    expect(predictInvariance(createOrthogonal(3), 'inputs', [2], side()).predicted).toBe('invariant');
  });

  it('a mean μ on output row 0 breaks SO(5) to Stab(e0) ≅ SO(4), which is predicted invariant', () => {
    const s = side({ last: { invariance: 'orthogonal', mean: [0.5, 0, 0, 0, 0] } });
    const p = predictInvariance(createSpecialOrthogonal(5), 'outputs', [2, 4], s);
    expect(p.predicted).toBe('broken');
    expect(p.unbrokenSubgroup?.name).toBe('Stab_SO(5)(m) ≅ SO(4)');
    expect(predictInvariance(createStabiliser(5, [Float64Array.of(1, 0, 0, 0, 0)]), 'outputs', [2, 4], s).predicted).toBe('invariant');
    // A sign flip of row 0 maps m to −m: even orders cannot see it.
    expect(predictInvariance(createSignFlips(5), 'outputs', [2], s).predicted).toBe('invariant');
  });

  it('a mean on W0 (all columns equal) breaks SO(d_in) but not S_{d_in}, which fixes (1, …, 1)', () => {
    const s = side({ first: { invariance: 'orthogonal', mean: [0.3, 0.3, 0.3] } });
    expect(predictInvariance(createSpecialOrthogonal(3), 'inputs', [2], s).predicted).toBe('broken');
    expect(predictInvariance(createPermutations(3), 'inputs', [2], s).predicted).toBe('invariant');
  });

  it('a law that is only signed-permutation invariant (iid uniform) keeps Z2^n but not SO(n)', () => {
    const s = side({ last: { invariance: 'signed-permutation' } });
    expect(predictInvariance(createSignFlips(3), 'outputs', [2], s).predicted).toBe('invariant');
    expect(predictInvariance(createSpecialOrthogonal(3), 'outputs', [2], s).predicted).toBe('broken');
  });

  it("translations: gauss-net order 2 invariant, order 4 not; relu-net not", () => {
    const p = predictInvariance(createTranslations(1), 'inputs', [2, 4], side());
    expect(p.perOrder).toEqual({ '2': 'invariant', '4': 'broken' });
    expect(predictInvariance(createTranslations(1), 'inputs', [2], side({ arch: 'relu-net' })).predicted).toBe('broken');
  });

  it('no metadata: unknown, and an error when a prediction is required', () => {
    const p = predictInvariance(createSpecialOrthogonal(3), 'outputs', [2], side({ arch: 'my-net' }));
    expect(p.predicted).toBe('unknown');
    expect(() => requirePrediction(p)).toThrow('--predict: architecture "my-net" declares no symmetry metadata (how it transports parameter invariances): no prediction is possible');
    const bare = { ...createSpecialOrthogonal(3), id: 'external', orthogonal: undefined } as unknown as GroupAction;
    expect(predictInvariance(bare, 'outputs', [2], side()).reason).toMatch(/group "external" .* declares no relation to O\(n\)/);
  });
});

import { Rng, UsageError } from '@nnsym/core';
import type { GroupAction, GroupSpace } from '@nnsym/groups';
import type { ArchitectureSymmetry } from '@nnsym/core';
import { architectureSymmetry } from './architecture-symmetry';
import type { LayerLaw, ParameterSide } from './types';

/** A prediction from the parameter side. */
export interface InvariancePrediction {
  /** `invariant` / `broken`, or `unknown` when the architecture or the group carries no metadata. */
  predicted: 'invariant' | 'broken' | 'unknown';
  /** Per correlator order. */
  perOrder: Record<string, 'invariant' | 'broken' | 'unknown'>;
  reason: string;
  /** The largest subgroup of O(n) that the parameter side leaves unbroken, when the full group is broken by a mean. */
  unbrokenSubgroup?: { name: string; group?: string; config?: Record<string, unknown> };
}

const unknown = (orders: readonly number[], reason: string): InvariancePrediction => ({
  predicted: 'unknown',
  perOrder: Object.fromEntries(orders.map((n) => [String(n), 'unknown' as const])),
  reason,
});

/** Check ρ(g)v_i = v_i for all i (or = −v_i for all i, when `allowSign`) on the elements, or on generators and samples. */
function preserves(group: GroupAction, vs: readonly (readonly number[])[], allowSign: boolean): boolean {
  const n = group.dimension;
  const vecs = vs.map((v) => Float64Array.from(v));
  const scale = Math.max(1e-300, ...vs.flatMap((v) => v.map(Math.abs)));
  const tol = 1e-9 * scale * n;
  const ok = (g: unknown) => {
    const images = vecs.map((v) => group.act(g, v));
    const same = images.every((gv, k) => gv.every((t, i) => Math.abs(t - vecs[k][i]) <= tol));
    const flipped = allowSign && images.every((gv, k) => gv.every((t, i) => Math.abs(t + vecs[k][i]) <= tol));
    return same || flipped;
  };
  if (group.elements) return group.elements().every(ok);
  const gens = group.generators?.() ?? [];
  if (!gens.every((x) => vecs.every((v) => x.apply(v).every((t) => Math.abs(t) <= tol)))) return false;
  // Generators annihilating v fix v on the identity component; samples cover the other components (O(n)).
  const rng = new Rng(0, ['predict-preserves', group.id]);
  for (let t = 0; t < 16; t++) if (!ok(group.sample(rng))) return false;
  return true;
}

/** A linearly independent subset of the vectors (Gram-Schmidt), for the stabiliser's `fix`. */
function independent(vs: readonly (readonly number[])[]): number[][] {
  const basis: Float64Array[] = [];
  const out: number[][] = [];
  for (const v of vs) {
    const r = Float64Array.from(v);
    for (const b of basis) {
      const d = b.reduce((s, t, i) => s + t * r[i], 0);
      for (let i = 0; i < r.length; i++) r[i] -= d * b[i];
    }
    const nr = Math.hypot(...r);
    if (nr > 1e-9 * Math.max(1e-300, Math.hypot(...v))) {
      basis.push(r.map((t) => t / nr));
      out.push([...v]);
    }
  }
  return out;
}

/** Whether every ρ(g) is a signed permutation matrix (checked on the elements, or on samples for infinite groups). */
function isSignedPermutationGroup(group: GroupAction, unsigned: boolean): boolean {
  if (!group.matrix || group.lieDimension > 0) return false;
  const els = group.elements?.();
  if (!els) return false;
  return els.every((g) => group.matrix!(g).every((t) => t === 0 || t === 1 || (!unsigned && t === -1)));
}

/**
 * Predict from the parameter side whether the network density is invariant under `group` acting on `on` — the
 * duality of 2106.00694: a symmetry of P(θ) that the architecture transports to function space is a symmetry of
 * P[f], so its correlators are invariant. Rules:
 *
 * - outputs, G ⊆ O(d_out): f = W_L h + b_L, so ρ(g) f is the same network with W_L -> ρ W_L, b_L -> ρ b_L; if the
 *   last layer's law (minus its mean m) is invariant under G, then even-order correlators are invariant iff
 *   ρ(g) m = ±m for every g (ρ m m^T ρ^T = m m^T). Mean μ on rows 0..k−1 (m = μ(1..1,0..0)) breaks SO(d_out) to
 *   Stab(m) ≅ SO(d_out − 1).
 * - inputs, G ⊆ O(d_in), first layer linear in x: f(ρx; W0) = f(x; W0 ρ); invariant iff W0's law is G-invariant
 *   and ρ(g)ᵀ m0 = m0 (no sign freedom: W0 -> −W0 is not a symmetry of a generic activation).
 * - translations on inputs: the architecture says at which orders (gauss-net: order 2 at every width, since its
 *   exact finite-width G2 is its GP kernel, a function of |x − x'|; higher orders only as N -> ∞).
 * - scalings: correlators scale as s^n: broken.
 *
 * Without metadata (an architecture with no declared symmetry transport, a group that declares neither
 * `orthogonal` nor a known id) the prediction is `unknown`; {@link requirePrediction} turns that into an error.
 *
 * @example
 * predictInvariance(so5, 'outputs', [2, 4], { arch: 'gauss-net', first: { invariance: 'orthogonal' },
 *   last: { invariance: 'orthogonal', mean: [0.5, 0, 0, 0, 0] } });
 * // -> { predicted: 'broken', unbrokenSubgroup: { name: 'Stab_SO(5)(m) ≅ SO(4)', ... } }
 */
export function predictInvariance(group: GroupAction, on: GroupSpace, orders: readonly number[], side: ParameterSide): InvariancePrediction {
  const arch: ArchitectureSymmetry | undefined = architectureSymmetry(side.arch);
  if (!arch) return unknown(orders, `architecture "${side.arch}" declares no symmetry metadata (how it transports parameter invariances): no prediction is possible`);
  const all = (v: 'invariant' | 'broken', reason: string, extra: Partial<InvariancePrediction> = {}): InvariancePrediction => ({
    predicted: v,
    perOrder: Object.fromEntries(orders.map((n) => [String(n), v])),
    reason,
    ...extra,
  });
  if (group.id === 'scalings') return all('broken', 'scalings multiply an n-point function by s^n (≠ 1): not a symmetry of a non-zero correlator');
  if (group.id === 'translations') {
    if (on !== 'inputs') return unknown(orders, 'translations act on inputs only');
    const inv = arch.translationInvariantOrders;
    if (!inv) return unknown(orders, `architecture "${side.arch}" declares nothing about translations: no prediction is possible`);
    const zeroMean = (l: LayerLaw) => ![l.mean ?? [], ...(l.means ?? [])].some((v) => v.some((t) => t !== 0));
    const firstOk = side.first.invariance === 'orthogonal' && zeroMean(side.first);
    const lastOk = zeroMean(side.last);
    const perOrder = Object.fromEntries(orders.map((n) => [String(n), firstOk && lastOk && inv.includes(n) ? ('invariant' as const) : ('broken' as const)]));
    const predicted = Object.values(perOrder).every((v) => v === 'invariant') ? 'invariant' : 'broken';
    return {
      predicted,
      perOrder,
      reason: inv.length
        ? `${side.arch}: correlators of order ${inv.join(', ')} are translation invariant at every width (zero-mean normal W0, zero-mean last layer); higher orders only in the GP limit`
        : `${side.arch}: its kernel depends on |x|, |x'| and not only on x − x': not translation invariant`,
    };
  }
  if (group.orthogonal !== true || !group.matrix) {
    return unknown(orders, `group "${group.id}" (${group.name}) declares no relation to O(n) (orthogonal: true) or other known structure: no prediction is possible`);
  }
  const layer = on === 'outputs' ? side.last : side.first;
  const transported = on === 'outputs' ? arch.lastLayerLinear : arch.firstLayerLinear;
  if (!transported) return unknown(orders, `architecture "${side.arch}" does not declare that its ${on === 'outputs' ? 'last' : 'first'} layer is linear in ${on === 'outputs' ? 'the outputs' : 'x'}: no prediction is possible`);
  const lawOk =
    layer.invariance === 'orthogonal' ||
    (layer.invariance === 'signed-permutation' && isSignedPermutationGroup(group, false)) ||
    (layer.invariance === 'permutation' && isSignedPermutationGroup(group, true));
  const where = on === 'outputs' ? 'last-layer' : 'first-layer';
  if (!lawOk) return all('broken', `the ${where} distribution declares ${layer.invariance} invariance, which does not contain ${group.name}`);
  const vectors = [layer.mean ?? [], ...(layer.means ?? [])].filter((v) => v.some((t) => t !== 0));
  if (vectors.length === 0) return all('invariant', `the ${where} distribution is ${layer.invariance}-invariant with zero mean and the architecture transports it to ${on}`);
  const mean = vectors[0];
  const fixes = preserves(group, vectors, on === 'outputs');
  // For SO(n) / O(n) the unbroken subgroup is the stabiliser of m, SO(n−1) (resp. O(n−1)), which the `stabiliser`
  // group can test; for other groups it is named only.
  const n = group.dimension;
  const fixCount = independent(vectors).length;
  const stab =
    (group.id === 'so' || group.id === 'o') && fixCount < n
      ? {
          name: group.id === 'so' ? `Stab_SO(${n})(m) ≅ SO(${n - fixCount})` : `Stab_O(${n})(m) ≅ O(${n - fixCount}) (tested through its SO(${n - fixCount}))`,
          group: 'stabiliser',
          config: { n, fix: independent(vectors) },
        }
      : { name: `Stab_${group.name}(m)` };
  if (fixes) return all('invariant', `${group.name} fixes the ${where} mean m${on === 'outputs' ? ' up to sign (even orders)' : ''}, so the mean does not break it`);
  return all('broken', `the ${where} mean m = [${mean.join(', ')}]${vectors.length > 1 ? ` (and ${vectors.length - 1} more mean vectors)` : ''} is moved by ${group.name}; the unbroken subgroup is its stabiliser`, { unbrokenSubgroup: stab });
}

/** Throw a one-line error when a prediction was requested but none is possible. */
export function requirePrediction(p: InvariancePrediction, flag = '--predict'): InvariancePrediction {
  if (p.predicted === 'unknown') throw new UsageError(`${flag}: ${p.reason}`, flag);
  return p;
}

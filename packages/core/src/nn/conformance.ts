import { tf } from '../tf';
import type { Tensor3D } from '../tf';
import { Rng } from '../rng/rng';
import { createFromPlugin } from '../registry/plugin';
import { runPluginConformance } from '../testing/plugin-conformance';
import { disposeParams } from './params';
import type { ActivationPlugin, ArchitecturePlugin } from './types';

/**
 * Conformance of an activation plugin: the generic plugin checks, then the float32 `apply` agrees with the float64
 * `scalar` (relative 1e-5 on |z| <= 3), `derivative` agrees with a central difference, declared traits hold
 * (odd/even/positive homogeneity), and `apply` leaks no tensors. Needs an initialised backend. Returns failures.
 *
 * @example expect(runActivationConformance(mySoftplus)).toEqual([]);
 */
export function runActivationConformance(plugin: ActivationPlugin, sampleConfig: unknown = {}): string[] {
  const failures = runPluginConformance(plugin, sampleConfig);
  if (failures.length) return failures;
  const act = createFromPlugin(plugin, sampleConfig);
  const zs = [-3, -1.7, -0.4, -0.05, 0.05, 0.4, 1.1, 3];
  const q = 0.7;
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => act.apply(tf.tensor1d(zs), act.needsContext ? { preVar: tf.scalar(q) } : undefined));
  const got = out.dataSync();
  out.dispose();
  if (tf.memory().numTensors !== before) failures.push(`apply leaked ${tf.memory().numTensors - before} tensors`);
  zs.forEach((z, i) => {
    const want = act.scalar(z, act.needsContext ? q : undefined);
    if (!(Math.abs(got[i] - want) <= 1e-5 * Math.max(1, Math.abs(want)))) failures.push(`apply(${z}) = ${got[i]} but scalar(${z}) = ${want}`);
    if (act.derivative && !(act.breakpoints ?? []).some((b) => Math.abs(b - z) < 1e-3)) {
      const h = 1e-6;
      const fd = (act.scalar(z + h, q) - act.scalar(z - h, q)) / (2 * h);
      const d = act.derivative(z, act.needsContext ? q : undefined);
      if (!(Math.abs(d - fd) <= 1e-5 * Math.max(1, Math.abs(fd)))) failures.push(`derivative(${z}) = ${d} but a central difference gives ${fd}`);
    }
    const t = act.traits;
    if (t.odd && !(Math.abs(act.scalar(-z) + act.scalar(z)) <= 1e-12 * Math.max(1, Math.abs(act.scalar(z))))) failures.push(`declared odd, but φ(−${z}) ≠ −φ(${z})`);
    if (t.even && !(Math.abs(act.scalar(-z) - act.scalar(z)) <= 1e-12 * Math.max(1, Math.abs(act.scalar(z))))) failures.push(`declared even, but φ(−${z}) ≠ φ(${z})`);
    if (t.positivelyHomogeneous) {
      const a = 1.7;
      const lhs = act.scalar(a * z);
      const rhs = a ** (t.degree ?? 1) * act.scalar(z);
      if (!(Math.abs(lhs - rhs) <= 1e-10 * Math.max(1, Math.abs(rhs)))) failures.push(`declared homogeneous of degree ${t.degree}, but φ(${a}·${z}) ≠ ${a}^d φ(${z})`);
    }
  });
  return failures;
}

/**
 * Conformance of an architecture plugin: the generic plugin checks, then `layout()` is consistent with `spec`,
 * `init` gives tensors [m, ...shape], `apply` returns [m, P, d_out] finite values, evaluating networks one at a
 * time gives the same outputs as the batch (no mixing across the ensemble axis), and nothing leaks. Needs an
 * initialised backend. Returns failures.
 *
 * @example expect(runArchitectureConformance(myNet, { width: 8, dIn: 2 })).toEqual([]);
 */
export function runArchitectureConformance(plugin: ArchitecturePlugin, sampleConfig: unknown = {}): string[] {
  const failures = runPluginConformance(plugin, sampleConfig);
  if (failures.length) return failures;
  const arch = createFromPlugin(plugin, sampleConfig);
  const { spec } = arch;
  const layout = arch.layout();
  if (!layout.length) return ['layout() is empty'];
  if (layout[0].fanIn !== spec.dIn) failures.push(`first layer fanIn ${layout[0].fanIn} ≠ spec.dIn ${spec.dIn}`);
  const m = 3;
  const before = tf.memory().numTensors;
  const params = arch.init(new Rng(0), m);
  const x = tf.tensor2d(Array.from({ length: 4 * spec.dIn }, (_, i) => Math.sin(i + 1)), [4, spec.dIn]);
  try {
    for (const L of layout) {
      const t = params[L.name];
      if (!t || t.shape.join() !== [m, ...L.shape].join()) failures.push(`init: ${L.name} has shape [${t?.shape}], expected [${[m, ...L.shape]}]`);
    }
    const f = arch.apply(params, x);
    if (f.shape.join() !== [m, 4, spec.dOut].join()) failures.push(`apply returned [${f.shape}], expected [${m}, 4, ${spec.dOut}]`);
    const all = f.dataSync();
    f.dispose();
    if (!all.every(Number.isFinite)) failures.push('apply returned non-finite values');
    for (let k = 0; k < m; k++) {
      const one: Record<string, ReturnType<typeof tf.slice>> = {};
      for (const L of layout) one[L.name] = tf.slice(params[L.name], [k], [1]);
      const g = arch.apply(one, x) as Tensor3D;
      const v = g.dataSync();
      g.dispose();
      disposeParams(one);
      const off = k * 4 * spec.dOut;
      if (v.some((y, i) => Math.abs(y - all[off + i]) > 1e-5 * Math.max(1, Math.abs(y)))) failures.push(`network ${k} alone differs from network ${k} in the batch`);
    }
  } catch (e) {
    failures.push(`init/apply threw: ${(e as Error).message}`);
  } finally {
    x.dispose();
    disposeParams(params);
  }
  if (tf.memory().numTensors !== before) failures.push(`leaked ${tf.memory().numTensors - before} tensors`);
  return failures;
}

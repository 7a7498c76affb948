import { tf } from '../tf';
import type { Tensor3D } from '../tf';
import { Rng } from '../rng/rng';
import { createFromPlugin } from '../registry/plugin';
import { runPluginConformance } from './plugin-conformance';
import { disposeParams } from '../nn/params';
import { denseApply, denseLayout } from '../nn/dense';
import type { ActivationPlugin, Architecture, ArchitecturePlugin, ParamSet } from '../nn/types';

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
 * time gives the same outputs as the batch (no mixing across the ensemble axis), and nothing leaks. Then the
 * declared `capabilities` (see `ArchitecturePluginCapabilities`) are checked against the instance: a `dense` family
 * has the dense layout and forward pass with the activation and depth it declares; `engines` other than the tfjs
 * runner need one hidden layer with `singleHidden`; `symmetry.lastLayerLinear` means doubling the output layer
 * doubles f, and `symmetry.firstLayerLinear` means f(ρx; W0) = f(x; W0 ρ) for the reflection ρ of coordinate 0.
 * Needs an initialised backend. Returns failures.
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
    failures.push(...capabilityFailures(plugin, arch, params, x));
  } catch (e) {
    failures.push(`init/apply threw: ${(e as Error).message}`);
  } finally {
    x.dispose();
    disposeParams(params);
  }
  if (tf.memory().numTensors !== before) failures.push(`leaked ${tf.memory().numTensors - before} tensors`);
  return failures;
}

/** Largest |a − b| relative to max(1, |b|) over two equal-length arrays. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return d;
}

/** f for `params` transformed entry-wise by `edit` (returns the outputs; disposes what it makes). */
function applyEdited(arch: Architecture, params: ParamSet, x: ReturnType<typeof tf.tensor2d>, edit: (name: string, t: ParamSet[string]) => ParamSet[string] | undefined): Float32Array {
  return tf.tidy(() => {
    const p: ParamSet = {};
    for (const [k, t] of Object.entries(params)) p[k] = edit(k, t) ?? t;
    return arch.apply(p, x).dataSync() as Float32Array;
  });
}

function capabilityFailures(plugin: ArchitecturePlugin, arch: Architecture, params: ParamSet, x: ReturnType<typeof tf.tensor2d>): string[] {
  const caps = plugin.capabilities;
  if (!caps) return [];
  const failures: string[] = [];
  const { spec } = arch;
  const f0 = tf.tidy(() => arch.apply(params, x).dataSync() as Float32Array);
  if (caps.dense) {
    const d = caps.dense;
    if (d.activation !== undefined && spec.activation !== d.activation) failures.push(`capabilities.dense.activation is "${d.activation}" but the instance uses "${spec.activation}"`);
    if (d.depth !== undefined && spec.depth !== d.depth) failures.push(`capabilities.dense.depth is ${d.depth} but the instance has depth ${spec.depth}`);
    const want = denseLayout(spec);
    const got = arch.layout();
    if (JSON.stringify(got.map((L) => [L.name, L.shape])) !== JSON.stringify(want.map((L) => [L.name, L.shape]))) failures.push('capabilities.dense: layout() is not the dense layout of spec');
    else {
      const ref = tf.tidy(() => denseApply(spec, want, arch.activation, params, x).dataSync() as Float32Array);
      if (relDiff(f0, ref) > 1e-5) failures.push('capabilities.dense: apply differs from the dense forward pass of spec');
    }
  }
  const engines = Object.entries(caps.engines ?? {}).filter(([, on]) => on).map(([e]) => e);
  if (engines.length && (spec.depth !== 1 || !arch.singleHidden)) failures.push(`capabilities.engines (${engines.join(', ')}) need one hidden layer with singleHidden, got depth ${spec.depth}`);
  const sym = caps.symmetry;
  if (sym) {
    for (const n of sym.translationInvariantOrders ?? []) if (!(Number.isInteger(n) && n >= 2 && n % 2 === 0)) failures.push(`capabilities.symmetry.translationInvariantOrders: ${n} is not an even order >= 2`);
    const layout = arch.layout();
    if (sym.lastLayerLinear) {
      const out = new Set(layout.filter((L) => L.output).map((L) => L.name));
      const f2 = applyEdited(arch, params, x, (k, t) => (out.has(k) ? tf.mul(t, 2) : undefined));
      const twice = Float32Array.from(f0, (v) => 2 * v);
      if (out.size === 0 || relDiff(f2, twice) > 1e-5) failures.push('capabilities.symmetry.lastLayerLinear: doubling the output layer does not double f');
    }
    if (sym.firstLayerLinear) {
      const first = layout.find((L) => L.role === 'weight' && L.layer === 0);
      const mask = tf.tidy(() => tf.tensor1d(Array.from({ length: spec.dIn }, (_, i) => (i === 0 ? -1 : 1))));
      const xr = tf.mul(x, mask) as ReturnType<typeof tf.tensor2d>;
      try {
        const fx = tf.tidy(() => arch.apply(params, xr).dataSync() as Float32Array);
        const fw = first ? applyEdited(arch, params, x, (k, t) => (k === first.name ? tf.mul(t, mask) : undefined)) : undefined;
        if (!fw || relDiff(fx, fw) > 1e-5) failures.push('capabilities.symmetry.firstLayerLinear: f(ρx; W0) ≠ f(x; W0 ρ) for the reflection ρ of coordinate 0');
      } finally {
        xr.dispose();
        mask.dispose();
      }
    }
  }
  return failures;
}

import { fastExp, fastTanh, plugins, Rng, tf, UsageError, type SeedKey, type Tensor, type Tensor2D, type Tensor3D } from '@nnsym/core';
import type { DenseMlp } from './structured-mlp';

/** Elementwise tensor activations the dense ensembles know without core's activation registry. */
const TENSOR_ACTIVATIONS: Record<string, (z: Tensor) => Tensor> = {
  relu: (z) => tf.relu(z),
  erf: (z) => tf.erf(z),
  tanh: fastTanh, // 2σ(2z) − 1: the wasm Tanh kernel is ≈ 10x slower
  identity: (z) => z,
  linear: (z) => z,
  sigmoid: (z) => tf.sigmoid(z),
  softplus: (z) => tf.softplus(z),
  exp: fastExp, // σ(z)/σ(−z): faster than the wasm Exp kernel
  sin: (z) => tf.sin(z),
  cos: (z) => tf.cos(z),
  // gelu(z) = z Φ(z) = z (1 + erf(z/√2)) / 2, the exact form used by the analytic kernels.
  gelu: (z) => tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2)))),
  silu: (z) => tf.mul(z, tf.sigmoid(z)),
};

/** A tensor activation by id: core's registry first (its `apply`), else the built-in table. */
export function tensorActivation(id: string): (z: Tensor) => Tensor {
  const reg = plugins.kind('activation');
  if (reg.has(id)) {
    const inst = reg.get(id).create({}) as { apply?: (z: Tensor) => Tensor };
    const apply = inst.apply?.bind(inst);
    if (apply) return apply;
  }
  const f = TENSOR_ACTIVATIONS[id];
  if (!f) throw new UsageError(`activation "${id}" has no tensor form for the empirical NTK; known: ${Object.keys(TENSOR_ACTIVATIONS).join(', ')}`, 'activation');
  return f;
}

/** Spec of a dense ensemble (the fields of core's NetSpec that a dense MLP needs). */
export interface DenseEnsembleSpec {
  dIn: number;
  dOut: number;
  width: number;
  depth: number;
  activation: string;
  sigmaW: number;
  sigmaB: number;
  bias: boolean;
  parameterization: 'standard' | 'ntk';
}

/**
 * Sample an ensemble of M dense MLPs on the host (seeded {@link Rng}, chunk-addressable by `chunk`): standard
 * parameterisation W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²); NTK parameterisation W, b ~ N(0, 1) (scaled in the
 * forward pass). Shapes W_l [M, fan_in, fan_out], b_l [M, fan_out]. Dispose with {@link disposeDenseMlp}.
 *
 * @example
 * const net = sampleDenseMlp({ dIn: 2, dOut: 1, width: 256, depth: 2, activation: 'relu', sigmaW: 1.4, sigmaB: 0.1, bias: true, parameterization: 'ntk' }, 16, 42);
 */
export function sampleDenseMlp(spec: DenseEnsembleSpec, M: number, seed: SeedKey, chunk = 0): DenseMlp {
  const dims = [spec.dIn, ...Array.from({ length: spec.depth }, () => spec.width), spec.dOut];
  const rng = Rng.derive(seed, 'ntk-dense-ensemble', chunk);
  const ntk = spec.parameterization === 'ntk';
  const weights: Tensor3D[] = [];
  const biases: (Tensor2D | undefined)[] = [];
  for (let l = 0; l + 1 < dims.length; l++) {
    const [fi, fo] = [dims[l], dims[l + 1]];
    weights.push(tf.tensor3d(rng.normalArray(M * fi * fo, 0, ntk ? 1 : spec.sigmaW / Math.sqrt(fi)), [M, fi, fo]));
    biases.push(spec.bias ? tf.tensor2d(rng.normalArray(M * fo, 0, ntk ? 1 : spec.sigmaB), [M, fo]) : undefined);
  }
  return { weights, biases, phi: tensorActivation(spec.activation), parameterization: spec.parameterization, sigmaW: spec.sigmaW, sigmaB: spec.bias ? spec.sigmaB : 0 };
}

/** Free the tensors of a {@link DenseMlp}. */
export function disposeDenseMlp(net: DenseMlp): void {
  net.weights.forEach((w) => w.dispose());
  net.biases?.forEach((b) => b?.dispose());
}

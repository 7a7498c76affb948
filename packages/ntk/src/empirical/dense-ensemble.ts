import { createActivation, plugins, Rng, tf, type SeedKey, type Tensor, type Tensor2D, type Tensor3D } from '@nnsym/core';
import type { DenseMlp } from './structured-mlp';
import { ACTIVATION_ALIASES } from '../analytic/scalar-activations';

/**
 * A tensor activation by id (aliases such as `linear` accepted): the `apply` of core's activation registry, the one
 * source of activations, so a registered plugin works here too. Unknown id: the registry's one-line error.
 */
export function tensorActivation(id: string): (z: Tensor) => Tensor {
  const inst = createActivation(ACTIVATION_ALIASES[id] ?? id, {}, plugins, '--activation');
  return (z) => inst.apply(z);
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

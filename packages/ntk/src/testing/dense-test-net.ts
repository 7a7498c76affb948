import { Rng, tf, type Tensor, type Tensor2D, type Tensor3D } from '@nnsym/core';
import type { NtkArchitecture, NtkParamSet } from '../empirical/types';

/**
 * A minimal dense ensemble network for the ntk package's own tests and conformance checks (not an architecture
 * plugin): L hidden layers of width N, activation relu | erf | tanh | identity, standard or NTK parameterisation,
 * params `W{l}` [M, fan_in, fan_out] and `b{l}` [M, fan_out], sampled on the host from a seeded {@link Rng}.
 *
 * @example
 * const { arch, params } = denseTestNet({ dIn: 2, width: 64, depth: 1, dOut: 1, M: 8, seed: 1, activation: 'relu' });
 */
export function denseTestNet(o: {
  dIn: number;
  width: number;
  depth: number;
  dOut: number;
  M: number;
  seed: number;
  activation: 'relu' | 'erf' | 'tanh' | 'identity';
  sigmaW?: number;
  sigmaB?: number;
  parameterization?: 'standard' | 'ntk';
}): { arch: NtkArchitecture; params: NtkParamSet; dims: number[] } {
  const sw = o.sigmaW ?? 1;
  const sb = o.sigmaB ?? 1;
  const ntk = (o.parameterization ?? 'ntk') === 'ntk';
  const dims = [o.dIn, ...Array.from({ length: o.depth }, () => o.width), o.dOut];
  const rng = new Rng(o.seed, ['dense-test-net']);
  const params: NtkParamSet = {};
  for (let l = 0; l + 1 < dims.length; l++) {
    const [fi, fo] = [dims[l], dims[l + 1]];
    const wStd = ntk ? 1 : sw / Math.sqrt(fi);
    const bStd = ntk ? 1 : sb;
    params[`W${l}`] = tf.tensor3d(rng.normalArray(o.M * fi * fo, 0, wStd), [o.M, fi, fo]);
    params[`b${l}`] = tf.tensor2d(rng.normalArray(o.M * fo, 0, bStd), [o.M, fo]);
  }
  const phi = (z: Tensor): Tensor => (o.activation === 'relu' ? tf.relu(z) : o.activation === 'erf' ? tf.erf(z) : o.activation === 'tanh' ? tf.tanh(z) : z);
  const arch: NtkArchitecture = {
    id: 'dense-test-net',
    apply(p: NtkParamSet, x: Tensor2D): Tensor3D {
      return tf.tidy(() => {
        const M = p.W0.shape[0];
        let h: Tensor = tf.tile(x.expandDims(0), [M, 1, 1]);
        for (let l = 0; l + 1 < dims.length; l++) {
          const wScale = ntk ? sw / Math.sqrt(dims[l]) : 1;
          const bScale = ntk ? sb : 1;
          const z = tf.add(tf.mul(tf.matMul(h as Tensor3D, p[`W${l}`] as Tensor3D), wScale), tf.mul(p[`b${l}`].expandDims(1), bScale));
          h = l + 2 < dims.length ? phi(z) : z;
        }
        return h as Tensor3D;
      });
    },
  };
  return { arch, params, dims };
}

import { UsageError } from '@nnsym/core';
import { scalarActivation, scalarActivationIds } from '@nnsym/ntk';
import type { SingleNeuronFamily } from './neuron-moments';

/**
 * A {@link SingleNeuronFamily} from an activation id and the NN-QFT hyper-parameters, with float64 φ from
 * @nnsym/ntk's scalar activations; `gauss` is the Gauss-net normalised exponential φ(z; x) = exp(z − q(x)),
 * q(x) = σ_b² + σ_w² |x|² / d_in (Halverson–Maiti–Stoner arXiv 2008.08601, docs/conventions.md).
 *
 * When to use: for the exact engine without an architecture object (tests, quick studies). With an architecture
 * from core, pass its `singleHidden` description instead (same shape).
 *
 * @example
 * const fam = neuronFamily('gauss', { sigmaW: 1, sigmaB: 1, dIn: 1 });
 * fam.phi(0, [0]); // e^{-1}
 */
export function neuronFamily(activation: string, spec: { sigmaW?: number; sigmaB?: number; dIn: number; dOut?: number; bias?: boolean }): SingleNeuronFamily {
  const sigmaW = spec.sigmaW ?? 1;
  const sigmaB = spec.sigmaB ?? 1;
  const bias = spec.bias !== false;
  const dIn = spec.dIn;
  const q = (x: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    return (bias ? sigmaB * sigmaB : 0) + (sigmaW * sigmaW * s) / dIn;
  };
  const base = { sigmaW, sigmaB, dIn, dOut: spec.dOut ?? 1, bias };
  if (activation === 'gauss') return { ...base, activation: { id: 'gauss' }, phi: (z, x) => Math.exp(z - q(x)) };
  const act = scalarActivation(activation);
  if (!act) throw new UsageError(`activation "${activation}" has no float64 scalar form for the exact engine; known: gauss, ${scalarActivationIds().join(', ')}`, '--activation');
  return { ...base, activation: { id: act.id, breakpoints: act.breakpoints }, phi: (z) => act.scalar(z) };
}

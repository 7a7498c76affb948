import { BUILTIN_ACTIVATIONS, createActivation, plugins } from '@nnsym/core';
import type { ScalarActivation } from './types';

/** Aliases accepted for activation ids. */
export const ACTIVATION_ALIASES: Readonly<Record<string, string>> = { linear: 'identity', id: 'identity', swish: 'silu', gauss: 'gauss' };

/**
 * The float64 scalar form (φ, φ', kinks) of an activation, read from core's activation registry (its registered
 * plugins, else its built-ins): the one source of activations, so a plugin registered there is known here too.
 * Undefined for an unknown id and for input-dependent activations (gauss: φ depends on q(x); it has its own dual).
 *
 * @example
 * scalarActivation('tanh')!.derivative!(0); // 1
 */
export function scalarActivation(id: string): ScalarActivation | undefined {
  const key = ACTIVATION_ALIASES[id] ?? id;
  let inst: ReturnType<typeof createActivation>;
  try {
    inst = createActivation(key);
  } catch {
    return undefined;
  }
  if (typeof inst.scalar !== 'function' || inst.needsContext) return undefined;
  return {
    id: key,
    scalar: (z) => inst.scalar(z),
    derivative: inst.derivative?.bind(inst),
    breakpoints: inst.breakpoints,
  };
}

/** Ids that have a float64 scalar form: core's built-ins and every registered activation without input context. */
export function scalarActivationIds(): string[] {
  const ids = new Set([...BUILTIN_ACTIVATIONS.map((p) => p.meta.id), ...plugins.kind('activation').list().map((p) => p.meta.id)]);
  return [...ids].filter((id) => scalarActivation(id) !== undefined);
}

import { z } from 'zod';
import { plugins, type Plugin } from '@nnsym/core';
import { FALLBACK_ADVICE, NoAnalyticKernelError } from '../errors';
import { ACTIVATION_ALIASES, scalarActivation, scalarActivationIds } from '../scalar-activations';
import type { ActivationDual, ScalarActivation } from '../types';
import { erfDual } from './erf';
import { expDual } from './exp';
import { gaussDual } from './gauss';
import { identityDual } from './identity';
import { leakyReluDual } from './leaky-relu';
import { hermiteSeriesDual } from './hermite-series';
import { quadratureDual } from './quadrature';
import { reluDual } from './relu';

/**
 * An activation dual as a plugin of kind `activation-dual`, registered against the activation's id (tfjs registers
 * a kernel per op id the same way): `plugins.register(activationDualPlugin(myDual))` gives `dualFor('my-act')` and
 * every analytic kernel of a net with that activation a closed form.
 */
export type ActivationDualPlugin = Plugin<'activation-dual', Record<string, never>, ActivationDual>;

declare module '@nnsym/core' {
  interface PluginKinds {
    'activation-dual': ActivationDualPlugin;
  }
}

/**
 * Wrap a closed-form dual as an `activation-dual` plugin with the dual's own id (its activation's id).
 *
 * When to use: to give a new activation a closed-form NNGP/NTK; without one, `dualFor` falls back to quadrature.
 *
 * @example plugins.register(activationDualPlugin({ id: 'my-act', method: 'closed-form', phiPhi, dphiDphi }));
 */
export function activationDualPlugin(dual: ActivationDual): ActivationDualPlugin {
  return {
    meta: { id: dual.id, kind: 'activation-dual', description: dual.reference ?? `closed-form dual of ${dual.id}`, version: '1.0.0', reference: dual.reference },
    configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    create: () => dual,
  };
}

/** The built-in closed-form duals as plugins (consulted after the ones registered in core's `plugins`). */
export const BUILTIN_DUAL_PLUGINS: readonly ActivationDualPlugin[] = [reluDual, erfDual, identityDual, expDual, gaussDual].map(activationDualPlugin);

/** Activations whose dual has a closed form, by id: the built-in dual plugins. */
export const CLOSED_FORM_DUALS: Readonly<Record<string, ActivationDual>> = Object.fromEntries(BUILTIN_DUAL_PLUGINS.map((p) => [p.meta.id, p.create({})]));

/** The closed-form dual registered for activation `id` (core's `plugins`, then the built-ins), if any. */
function closedFormDual(id: string): ActivationDual | undefined {
  const reg = plugins.kind('activation-dual');
  if (reg.has(id)) return reg.get(id).create({});
  return CLOSED_FORM_DUALS[id];
}

function isDual(a: unknown): a is ActivationDual {
  return typeof a === 'object' && a !== null && typeof (a as ActivationDual).phiPhi === 'function';
}

function isScalar(a: unknown): a is ScalarActivation {
  return typeof a === 'object' && a !== null && typeof (a as ScalarActivation).scalar === 'function';
}

/** Closed forms with a parameter, read off the activation's scalar form (leaky-relu: α = −φ(−1)). */
const PARAMETRIC_DUALS: Readonly<Record<string, (act: ScalarActivation) => ActivationDual>> = {
  'leaky-relu': (act) => leakyReluDual(-act.scalar(-1)),
};


/**
 * The dual (E[φφ], E[φ'φ']) of an activation: a closed form for relu, leaky-relu, erf, identity (alias linear), exp
 * and gauss, or one registered as an `activation-dual` plugin against the activation's id ({@link activationDualPlugin});
 * quadrature of the scalar form for an activation registered in core's registry (its `scalar`, `derivative`,
 * `breakpoints`), for the built-in table (tanh, gelu, sigmoid, softplus, silu, sin, cos), or for a
 * {@link ScalarActivation} object (core's `Activation` is one). An object whose id has a closed form uses it.
 * Numerical duals use `rule`: `series` (default: Hermite series per variance, 2-D panel quadrature where its
 * truncation bound fails; ~100x faster), `panels` (2-D composite Gauss–Legendre) or `hermite` (2-D Gauss–Hermite).
 * Unknown ids throw {@link NoAnalyticKernelError} naming the known ones.
 *
 * @example
 * dualFor('relu').method;  // 'closed-form'
 * dualFor('tanh').method;  // 'quadrature'
 */
export function dualFor(
  activation: string | ScalarActivation | ActivationDual,
  options: { rule?: 'series' | 'panels' | 'hermite'; order?: number; panelOrder?: number; field?: string } = {},
): ActivationDual {
  const numeric = (a: ScalarActivation): ActivationDual =>
    (options.rule ?? 'series') === 'series' ? hermiteSeriesDual(a, { panelOrder: options.panelOrder }) : quadratureDual(a, { ...options, rule: options.rule as 'panels' | 'hermite' });
  if (isDual(activation)) return activation;
  if (isScalar(activation)) {
    const id = ACTIVATION_ALIASES[activation.id] ?? activation.id;
    return closedFormDual(id) ?? PARAMETRIC_DUALS[id]?.(activation) ?? numeric(activation);
  }
  const id = ACTIVATION_ALIASES[activation] ?? activation;
  const closed = closedFormDual(id);
  if (closed) return closed;
  const scalar = scalarActivation(id);
  if (scalar) return PARAMETRIC_DUALS[id]?.(scalar) ?? numeric(scalar);
  const known = [...Object.keys(CLOSED_FORM_DUALS), ...scalarActivationIds().filter((k) => !(k in CLOSED_FORM_DUALS))];
  throw new NoAnalyticKernelError(
    `activation "${activation}" has no analytic kernel (no closed form and no scalar form for quadrature; known: ${known.join(', ')}); ${FALLBACK_ADVICE}`,
    options.field ?? 'activation',
  );
}

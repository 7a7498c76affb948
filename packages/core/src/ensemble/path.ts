import { UsageError } from '../errors';
import type { Architecture } from '../nn/types';
import { isDenseArchitecture } from '../nn/dense';
import { hostActivation } from './host-activations';
import type { EnsemblePath, EnsemblePathRequest } from './types';

/** Environment variable that overrides the `auto` choice: `host`, `tfjs` or `auto`. */
export const ENSEMBLE_PATH_ENV = 'NNSYM_ENSEMBLE_PATH';

/** Why a path was chosen, for logs and benchmark notes. */
export interface EnsemblePathChoice {
  path: EnsemblePath;
  reason: string;
}

/** Parse a path request (flag or env value); throws a UsageError naming `field` for anything else. */
export function parseEnsemblePath(value: string, field = ENSEMBLE_PATH_ENV): EnsemblePathRequest {
  const v = value.trim().toLowerCase();
  if (v === 'host' || v === 'tfjs' || v === 'auto') return v;
  throw new UsageError(`${field} must be host, tfjs or auto, got "${value}"`, field);
}

/** Activations whose tfjs form is slow (`tf.erf`, 45-52 ns/elem on wasm): the host path wins on them. */
const HOST_ACTIVATIONS = new Set(['erf', 'gelu']);

/** Largest P · d_out and P · d_in for which `auto` picks the host path (the generated kernel stays small). */
export const HOST_MAX_OUTPUTS = 16;
export const HOST_MAX_INPUT_TERMS = 48;

/**
 * The measured rule of `auto` (host/tfjs throughput, A/B interleaved, medians of 4, width 100, d_in 3, P 8 unless
 * stated; docs/performance.md "Ensemble host path"): the host path only where it measured faster — one hidden
 * layer with erf (2.0x) or gelu (1.7x), whose tfjs form uses the slow `tf.erf`, at few inputs (P · d_out ≤ 16,
 * P · d_in ≤ 48). Elsewhere tfjs: tanh is a wash (0.93-1.07, also NTK, d_out 3: 1.10), exp/gauss-net 0.74,
 * relu 0.79, sigmoid 0.32, depth 2 0.94, and tfjs's SIMD matMul wins as P grows (tanh P 16: 0.64, P 64 and
 * P 256: 0.28; erf d_in 10, P 32: 0.64). Override with `path` or `NNSYM_ENSEMBLE_PATH`.
 */
export function hostRuleApplies(arch: Architecture, inputs: number): { ok: boolean; reason: string } {
  const s = arch.spec;
  if (s.depth !== 1) return { ok: false, reason: `depth ${s.depth} (the host path wins only with one hidden layer)` };
  if (!HOST_ACTIVATIONS.has(arch.activation.id)) return { ok: false, reason: `activation "${arch.activation.id}" is cheap on tfjs` };
  if (inputs * s.dOut > HOST_MAX_OUTPUTS || inputs * s.dIn > HOST_MAX_INPUT_TERMS) return { ok: false, reason: `P = ${inputs} inputs is large (P·d_out ${inputs * s.dOut} > ${HOST_MAX_OUTPUTS} or P·d_in ${inputs * s.dIn} > ${HOST_MAX_INPUT_TERMS})` };
  return { ok: true, reason: `one hidden layer, ${arch.activation.id}, P = ${inputs}` };
}

/**
 * Choose the ensemble path. Order: an explicit `requested` path (`host` or `tfjs`), else the env
 * `NNSYM_ENSEMBLE_PATH`, else the measured rule {@link hostRuleApplies} (one hidden layer, transcendental
 * activation, few inputs). The host path needs a built-in
 * dense architecture (`isDenseArchitecture`); asking for it on another architecture throws (explicit) or falls back
 * to tfjs (env/auto).
 *
 * @example chooseEnsemblePath(createArchitecture('tanh-net', { width: 100, dIn: 3 }), 8) // { path: 'host', ... }
 */
export function chooseEnsemblePath(arch: Architecture, inputs: number, requested: EnsemblePathRequest = 'auto', env: string | undefined = process.env[ENSEMBLE_PATH_ENV]): EnsemblePathChoice {
  const dense = isDenseArchitecture(arch);
  if (requested === 'host' && !dense) throw new UsageError(`the host ensemble path needs a built-in dense architecture, "${arch.id}" is not one`, 'path');
  if (requested !== 'auto') return { path: requested, reason: 'requested' };
  const fromEnv = env && env.trim() !== '' ? parseEnsemblePath(env) : 'auto';
  if (fromEnv !== 'auto') {
    if (fromEnv === 'host' && !dense) return { path: 'tfjs', reason: `${ENSEMBLE_PATH_ENV}=host but "${arch.id}" is not a built-in dense net` };
    return { path: fromEnv, reason: `${ENSEMBLE_PATH_ENV}=${fromEnv}` };
  }
  if (!dense) return { path: 'tfjs', reason: 'not a built-in dense net' };
  if (hostActivation(arch.activation).kind !== 'fast') return { path: 'tfjs', reason: `no fast host kernel for activation "${arch.activation.id}"` };
  const rule = hostRuleApplies(arch, inputs);
  return { path: rule.ok ? 'host' : 'tfjs', reason: rule.reason };
}

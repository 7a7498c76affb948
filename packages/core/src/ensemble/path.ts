import { UsageError } from '../errors';
import type { Architecture } from '../nn/types';
import { isDenseArchitecture } from '../nn/dense';
import { layoutSize } from '../nn/params';
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

/**
 * Per-network work of the two paths beyond the (shared) sampling, as counted by the measured rule: `hostFlops` is
 * the multiply-adds of the forward pass (layer 0 N·d_in·P, hidden layers N²·P, readout d_out·N·P) plus the
 * activations (N·P per hidden layer, weighted `ACT_COST` each for the transcendental ones).
 */
export function hostWork(arch: Architecture, inputs: number): number {
  const s = arch.spec;
  const N = s.width;
  const P = inputs;
  const L = s.depth;
  const fma = L === 0 ? s.dIn * s.dOut * P : N * s.dIn * P + (L - 1) * N * N * P + s.dOut * N * P;
  const act = ACT_COST[s.activation] ?? 8;
  return fma + act * L * N * P;
}

/** Cost of one activation on the host in multiply-add units (measured ratios; see docs/performance.md). */
const ACT_COST: Record<string, number> = { identity: 0, relu: 1, 'leaky-relu': 1, power: 2, tanh: 4, erf: 4, gelu: 5, sigmoid: 6, exp: 6, gauss: 6 };

/**
 * Host multiply-add work per network (see {@link hostWork}) per sampled parameter above which tfjs wins: the host
 * loop costs ≈ 1 unit per multiply-add while a parameter costs ≈ `SAMPLE_COST` units to draw on either path plus
 * upload/evaluate on tfjs; measured crossover (docs/performance.md, "Ensemble host path").
 */
export const HOST_WORK_PER_PARAM_LIMIT = 64;

/**
 * Choose the ensemble path. Order: an explicit `requested` path (`host` or `tfjs`), else the env
 * `NNSYM_ENSEMBLE_PATH`, else the measured rule: `host` for built-in dense nets whose host work per network
 * ({@link hostWork}) is at most {@link HOST_WORK_PER_PARAM_LIMIT} times their parameter count (every
 * single-hidden-layer net at small P, where sampling dominates), `tfjs` otherwise. The host path needs a built-in
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
  const params = arch.layout().reduce((s, L) => s + layoutSize(L), 0);
  const work = hostWork(arch, inputs);
  const ratio = work / params;
  return ratio <= HOST_WORK_PER_PARAM_LIMIT
    ? { path: 'host', reason: `host work ${ratio.toFixed(1)} per parameter <= ${HOST_WORK_PER_PARAM_LIMIT}` }
    : { path: 'tfjs', reason: `host work ${ratio.toFixed(1)} per parameter > ${HOST_WORK_PER_PARAM_LIMIT}` };
}

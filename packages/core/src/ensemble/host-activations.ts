import type { Activation } from '../nn/types';

/**
 * An activation applied in place on the host to one network's pre-activations z, laid out input-major [P, N]
 * (`z[p * N + j]`, unit j at input p), in float64. `q[p]` is the Gauss-net pre-activation variance q(x_p) (only read
 * by input-dependent activations).
 */
export type HostActivationKernel = (z: Float64Array, P: number, N: number, q: Float64Array) => void;

/** A host kernel and how it was obtained. */
export interface HostActivation {
  kernel: HostActivationKernel;
  /** `fast`: a built-in float32-accurate kernel (checked against `activation.scalar`); `scalar`: `activation.scalar` per element. */
  kind: 'fast' | 'scalar';
}

/**
 * tanh as Eigen's float rational approximation (`generic_fast_tanh_float`): odd degree-13 / even degree-6 in x,
 * clamped at |x| = 7.905 where tanh is 1 in float32. Max |error| vs Math.tanh 2.6e-7 in float64 (measured on
 * [−10, 10] at step 1e-4), the same order as the tfjs path's 2σ(2z) − 1 in float32 (≲ 3e-7); ~3x faster than
 * Math.tanh in V8.
 */
export function fastTanh64(x: number): number {
  const c = 7.90531110763549805;
  x = x > c ? c : x < -c ? -c : x;
  const x2 = x * x;
  let p = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (x * p) / q;
}

/**
 * erf as Eigen's float rational approximation (`generic_fast_erf_float`), clamped at |x| = 4 (erf = ±1 in
 * float32). Max |error| vs the float64 series erf 6.5e-8 (measured on [−6, 6] at step 1e-4); tfjs's own Erf kernel
 * (Abramowitz-Stegun 7.1.26) errs by ≲ 1.5e-7.
 */
export function fastErf64(x: number): number {
  x = x > 4 ? 4 : x < -4 ? -4 : x;
  const x2 = x * x;
  let p = -2.72614225801306e-10;
  p = p * x2 + 2.77068142495902e-8;
  p = p * x2 - 2.10102402082508e-6;
  p = p * x2 - 5.69250639462346e-5;
  p = p * x2 - 7.34990630326855e-4;
  p = p * x2 - 2.95459980854025e-3;
  p = p * x2 - 1.60960333262415e-2;
  let q = -1.45660718464996e-5;
  q = q * x2 - 2.13374055278905e-4;
  q = q * x2 - 1.68282697438203e-3;
  q = q * x2 - 7.37332916720468e-3;
  q = q * x2 - 1.42647390514189e-2;
  return (x * p) / q;
}

const each =
  (f: (z: number) => number): HostActivationKernel =>
  (z) => {
    for (let i = 0; i < z.length; i++) z[i] = f(z[i]);
  };

/** The built-in kernels by activation id; each loop is its own function so V8 keeps it monomorphic. */
function builtinKernel(a: Activation): HostActivationKernel | undefined {
  const cfg = (a.config ?? {}) as { alpha?: number; degree?: number };
  switch (a.id) {
    case 'identity':
      return () => undefined;
    case 'relu':
      return (z) => {
        for (let i = 0; i < z.length; i++) z[i] = Math.max(z[i], 0);
      };
    case 'leaky-relu': {
      const alpha = cfg.alpha ?? 0.01;
      return (z) => {
        for (let i = 0; i < z.length; i++) z[i] = Math.max(z[i], 0) + alpha * Math.min(z[i], 0);
      };
    }
    case 'tanh':
      return (z) => {
        for (let i = 0; i < z.length; i++) z[i] = fastTanh64(z[i]);
      };
    case 'sigmoid':
      return (z) => {
        for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
      };
    case 'erf':
      return (z) => {
        for (let i = 0; i < z.length; i++) z[i] = fastErf64(z[i]);
      };
    case 'gelu':
      return (z) => {
        for (let i = 0; i < z.length; i++) z[i] = 0.5 * z[i] * (1 + fastErf64(z[i] * Math.SQRT1_2));
      };
    case 'exp':
      return (z) => {
        for (let i = 0; i < z.length; i++) z[i] = Math.exp(z[i]);
      };
    case 'gauss':
      return (z, P, N, q) => {
        for (let p = 0; p < P; p++) {
          const qp = q[p];
          for (let j = p * N, e = j + N; j < e; j++) z[j] = Math.exp(z[j] - qp);
        }
      };
    case 'power': {
      const d = cfg.degree ?? 2;
      if (!Number.isInteger(d) || d < 1) return undefined;
      return (z) => {
        for (let i = 0; i < z.length; i++) {
          const v = z[i];
          let r = v;
          for (let k = 1; k < d; k++) r *= v;
          z[i] = r;
        }
      };
    }
    default:
      return undefined;
  }
}

/** Probe points for the fast-kernel check: kinks, the float32 saturation regions and generic values. */
const PROBE = [-9, -4.5, -2.2, -1, -0.37, -1e-3, 0, 1e-3, 0.29, 0.8, 1.7, 3.1, 6];
const PROBE_Q = [0, 0.7, 2.5];

/**
 * The host (float64) form of an activation for the fused ensemble path. Built-in ids get a fast float32-accurate
 * kernel, used only if it agrees with `activation.scalar` to 1e-6 (relative, absolute below 1) on probe points —
 * so a third-party plugin registered under a built-in id with other behaviour falls back to its own `scalar`,
 * which is also what any other activation uses (exact in float64, but as slow as its scalar form).
 *
 * @example hostActivation(createActivation('tanh')).kernel(z, P, N, q) // z[i] = tanh(z[i]) in place
 */
export function hostActivation(a: Activation): HostActivation {
  const fast = builtinKernel(a);
  if (fast && agrees(fast, a)) return { kernel: fast, kind: 'fast' };
  const scalar = a.scalar.bind(a);
  const kernel: HostActivationKernel = a.needsContext
    ? (z, P, N, q) => {
        for (let p = 0; p < P; p++) for (let j = p * N, e = j + N; j < e; j++) z[j] = scalar(z[j], q[p]);
      }
    : each((v) => scalar(v));
  return { kernel, kind: 'scalar' };
}

function agrees(kernel: HostActivationKernel, a: Activation): boolean {
  const N = PROBE.length;
  const P = PROBE_Q.length;
  const z = new Float64Array(P * N);
  for (let p = 0; p < P; p++) z.set(PROBE, p * N);
  kernel(z, P, N, Float64Array.from(PROBE_Q));
  for (let p = 0; p < P; p++) {
    for (let j = 0; j < N; j++) {
      const want = a.needsContext ? a.scalar(PROBE[j], PROBE_Q[p]) : a.scalar(PROBE[j]);
      const got = z[p * N + j];
      if (!(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want))) && !(got === want)) return false;
    }
  }
  return true;
}

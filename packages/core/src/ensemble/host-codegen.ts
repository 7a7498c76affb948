import type { Activation } from '../nn/types';
import type { HostNet, ShallowKernel } from './types';

/** Largest unrolled sizes: P · d_out accumulators, P · d_in input literals. */
const MAX_ACC = 32;
const MAX_INPUT_TERMS = 128;

/** Horner evaluation of Σ c_k t^k (highest coefficient first) as a JS expression in `t`. */
function horner(cs: readonly number[], t: string): string {
  return cs.slice(1).reduce((acc, c) => `(${acc} * ${t} + ${lit(c)})`, lit(cs[0]));
}

/** Eigen's float tanh / erf rationals (as `fastTanh64` / `fastErf64`), odd numerator and even denominator in x². */
const TANH_P = [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3];
const TANH_Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3];
const ERF_P = [-2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2];
const ERF_Q = [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2];

/** Statements computing the odd rational r(u) = u P(u²)/Q(u²) of `u` clamped to [−c, c] into `h` (branch-free clamp). */
function rational(u: string, c: number, P: readonly number[], Q: readonly number[], into: string): string {
  return `t = Math.min(Math.max(${u}, ${lit(-c)}), ${lit(c)}); t2 = t * t; ${into} = (t * ${horner(P, 't2')}) / ${horner(Q, 't2')};`;
}

/**
 * Statements setting `h` = φ(z) (temporaries t, t2), mirroring `hostActivation`'s built-in kernels and inlined
 * (a call per element to fastTanh64 from the generated code was not inlined by V8 and cost a quarter of the time).
 */
function activationSource(a: Activation, q: number): string | undefined {
  const cfg = (a.config ?? {}) as { alpha?: number; degree?: number };
  switch (a.id) {
    case 'identity':
      return 'h = z;';
    case 'relu':
      return 'h = Math.max(z, 0);'; // branch-free: a sign test mispredicts half the time
    case 'leaky-relu':
      return `h = Math.max(z, 0) + ${lit(cfg.alpha ?? 0.01)} * Math.min(z, 0);`;
    case 'tanh':
      return rational('z', 7.90531110763549805, TANH_P, TANH_Q, 'h');
    case 'sigmoid':
      return 'h = 1 / (1 + Math.exp(-z));';
    case 'erf':
      return rational('z', 4, ERF_P, ERF_Q, 'h');
    case 'gelu':
      return `${rational(`z * ${lit(Math.SQRT1_2)}`, 4, ERF_P, ERF_Q, 'h')} h = 0.5 * z * (1 + h);`;
    case 'exp':
      return 'h = Math.exp(z);';
    case 'gauss':
      return `h = Math.exp(z - ${lit(q)});`;
    case 'power': {
      const d = cfg.degree ?? 2;
      return Number.isInteger(d) && d >= 1 && d <= 16 ? `h = ${Array.from({ length: d }, () => 'z').join(' * ')};` : undefined;
    }
    default:
      return undefined;
  }
}

/** A float64 literal that round-trips exactly. */
function lit(v: number): string {
  return Object.is(v, -0) ? '-0' : `(${v.toPrecision(17)})`;
}

/**
 * Generate (with `new Function`) the fused forward pass of a one-hidden-layer net on its fixed inputs: per hidden
 * unit j, the P pre-activations z = s_w W0[j]·x_p + s_b b0[j] with the inputs as literals, φ inline, and the readout
 * accumulated in P · d_out registers — no [P, N] buffer. Returns undefined when the net is not one hidden layer, the
 * activation has no fast kernel, the sizes exceed the unrolling limits, or code generation is unavailable (CSP);
 * the caller then uses the generic loops (`hostForward`).
 *
 * Floating point: the same float32 parameters, float64 arithmetic; summation order differs from the loops only in
 * the readout (sequential over j), well inside float32 rounding.
 */
export function compileShallowKernel(net: HostNet): ShallowKernel | undefined {
  if (net.layers.length !== 2 || net.activation.kind !== 'fast') return undefined;
  const [L0, L1] = net.layers;
  const { P, dIn, dOut } = net;
  if (P * dOut > MAX_ACC || P * dIn > MAX_INPUT_TERMS) return undefined;
  const act = net.arch.activation;
  const N = L0.fanOut;
  const lines: string[] = [];
  const acc = (p: number, d: number): string => `a${p}_${d}`;
  for (let p = 0; p < P; p++) for (let d = 0; d < dOut; d++) lines.push(`let ${acc(p, d)} = 0;`);
  lines.push(`for (let j = 0; j < ${N}; j++) {`);
  lines.push(`  const r = o0 + j * ${dIn};`);
  for (let i = 0; i < dIn; i++) lines.push(`  const w${i} = W0[r + ${i}];`);
  lines.push(L0.b >= 0 ? `  const bj = ${lit(L0.bScale)} * b0[ob0 + j];` : '  const bj = 0;');
  for (let d = 0; d < dOut; d++) lines.push(`  const v${d} = W1[o1 + ${d * N} + j];`);
  lines.push('  let z, h, t, t2;');
  for (let p = 0; p < P; p++) {
    const terms = Array.from({ length: dIn }, (_, i) => `w${i} * ${lit(L0.wScale * net.x[p * dIn + i])}`);
    const phi = activationSource(act, net.q[p]);
    if (phi === undefined) return undefined;
    lines.push(`  z = ${terms.join(' + ')} + bj;`);
    lines.push(`  ${phi}`);
    for (let d = 0; d < dOut; d++) lines.push(`  ${acc(p, d)} += v${d} * h;`);
  }
  lines.push('}');
  for (let p = 0; p < P; p++) {
    for (let d = 0; d < dOut; d++) {
      const bias = L1.b >= 0 ? ` + ${lit(L1.bScale)} * b1[ob1 + ${d}]` : '';
      lines.push(`out[oo + ${p * dOut + d}] = ${lit(L1.wScale)} * ${acc(p, d)}${bias};`);
    }
  }
  const body = `'use strict';\nreturn function shallowKernel(W0, o0, b0, ob0, W1, o1, b1, ob1, out, oo) {\n${lines.join('\n')}\n};`;
  try {
    return new Function(body)() as ShallowKernel;
  } catch {
    return undefined; // code generation disallowed (e.g. a CSP without unsafe-eval)
  }
}

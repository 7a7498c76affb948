import type { Activation } from '../nn/types';
import { fastErf64, fastTanh64 } from './host-activations';
import type { HostNet } from './host-net';

/**
 * A one-hidden-layer forward pass specialised to fixed inputs: `(W0, o0, b0, ob0, W1, o1, b1, ob1, out, oo)`
 * evaluates one network whose parameters start at the given offsets and writes its [P, d_out] outputs at `oo`.
 */
export type ShallowKernel = (W0: Float32Array, o0: number, b0: Float32Array | null, ob0: number, W1: Float32Array, o1: number, b1: Float32Array | null, ob1: number, out: Float32Array, oo: number) => void;

/** Largest unrolled sizes: P · d_out accumulators, P · d_in input literals. */
const MAX_ACC = 64;
const MAX_INPUT_TERMS = 256;

/** φ(z) as a JS expression in `z` (and the input's literal q), mirroring `hostActivation`'s built-in kernels. */
function activationSource(a: Activation, q: number): string | undefined {
  const cfg = (a.config ?? {}) as { alpha?: number; degree?: number };
  switch (a.id) {
    case 'identity':
      return 'z';
    case 'relu':
      return 'Math.max(z, 0)'; // branch-free: a sign test mispredicts half the time
    case 'leaky-relu':
      return `(Math.max(z, 0) + ${lit(cfg.alpha ?? 0.01)} * Math.min(z, 0))`;
    case 'tanh':
      return 'tanh(z)';
    case 'sigmoid':
      return '1 / (1 + Math.exp(-z))';
    case 'erf':
      return 'erf(z)';
    case 'gelu':
      return `0.5 * z * (1 + erf(z * ${lit(Math.SQRT1_2)}))`;
    case 'exp':
      return 'Math.exp(z)';
    case 'gauss':
      return `Math.exp(z - ${lit(q)})`;
    case 'power': {
      const d = cfg.degree ?? 2;
      return Number.isInteger(d) && d >= 1 && d <= 16 ? `(${Array.from({ length: d }, () => 'z').join(' * ')})` : undefined;
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
  lines.push('  let z, h;');
  for (let p = 0; p < P; p++) {
    const terms = Array.from({ length: dIn }, (_, i) => `w${i} * ${lit(L0.wScale * net.x[p * dIn + i])}`);
    const phi = activationSource(act, net.q[p]);
    if (phi === undefined) return undefined;
    lines.push(`  z = ${terms.join(' + ')} + bj;`);
    lines.push(`  h = ${phi};`);
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
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
    return new Function('tanh', 'erf', body)(fastTanh64, fastErf64) as ShallowKernel;
  } catch {
    return undefined; // code generation disallowed (e.g. a CSP without unsafe-eval)
  }
}

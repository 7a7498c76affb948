import { analyticKernel, NoAnalyticKernelError } from '@nnsym/ntk';
import type { CorrelatorRunSpec } from './spec';

/** The 2-point function used for GP predictions: analytic where @nnsym/ntk has it, else the measured G2. */
export interface KernelChoice {
  source: 'analytic' | 'measured';
  /** e.g. `closed-form`, `quadrature`, or why the measured G2 was used. */
  detail: string;
  /** P×P row-major, when analytic. */
  kernel?: Float64Array;
}

/**
 * The analytic NNGP kernel of a run spec (closed form or quadrature from @nnsym/ntk), or `measured` with the
 * reason when the architecture has none (then GP predictions use the Monte-Carlo G2 and their errors come from
 * the jackknife).
 *
 * @example
 * kernelFor({ arch: 'relu-net', inputs: [[1], [2]], sigmaW: 1, sigmaB: 0, dIn: 1, dOut: 1, ... }).source; // 'analytic'
 */
export function kernelFor(spec: Pick<CorrelatorRunSpec, 'arch' | 'inputs' | 'sigmaW' | 'sigmaB' | 'bias' | 'dIn' | 'dOut' | 'depth' | 'activation' | 'parameterization'>): KernelChoice {
  try {
    const k = analyticKernel(spec.arch, spec.inputs, {
      sigmaW: spec.sigmaW,
      sigmaB: spec.sigmaB,
      dIn: spec.dIn,
      dOut: spec.dOut,
      parameterization: spec.parameterization,
      ...(spec.bias === false ? { bias: false } : {}),
      ...(spec.depth !== undefined ? { depth: spec.depth } : {}),
      ...(spec.activation !== undefined ? { activation: spec.activation } : {}),
    });
    return { source: 'analytic', detail: `${k.method} (${k.reference})`, kernel: k.nngp };
  } catch (e) {
    if (e instanceof NoAnalyticKernelError || (e as Error).name === 'UsageError') return { source: 'measured', detail: (e as Error).message };
    throw e;
  }
}

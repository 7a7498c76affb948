import { architecturePlugin, architecturesWith, closestId, plugins, UsageError, type ArchitecturePluginCapabilities } from '@nnsym/core';
import { FALLBACK_ADVICE, NoAnalyticKernelError } from './errors';
import { defer } from '@nnsym/core';
import { mlpKernels, planMlpKernels, type MlpKernelPlan } from './mlp-kernels';
import type { AnalyticKernels, KernelInputs, MlpKernelSpec, Parameterization, ScalarActivation } from './types';

/** The fields of core's `NetSpec` this module reads (all optional here; options override them). */
export interface NetSpecLike {
  dIn?: number;
  dOut?: number;
  width?: number | readonly number[];
  depth?: number;
  sigmaW?: number;
  sigmaB?: number;
  parameterization?: Parameterization;
  bias?: boolean;
  activation?: string | ScalarActivation | { id: string };
}

/** Options of {@link analyticKernel}; each overrides the architecture's spec. */
export interface AnalyticKernelOptions extends NetSpecLike {
  /** Quadrature options for activations without a closed form. */
  quadrature?: MlpKernelSpec['quadrature'];
  /** Option path named in input errors (default `inputs`; the CLI maps it to its flag). */
  field?: string;
  /** Compute the NTK too (default true); false for the NNGP alone. */
  ntk?: boolean;
}

/** The dense family an architecture declares on its plugin (core's `ArchitecturePluginCapabilities.dense`). */
type FamilyEntry = NonNullable<ArchitecturePluginCapabilities['dense']>;

/**
 * Ids of the architectures with an analytic kernel: those whose plugin declares a `dense` family (built-ins and
 * those registered in core's `plugins`), in listing order. Any other architecture has none: use the empirical NTK
 * or a Monte-Carlo NNGP (neural-tangents' `monte_carlo_kernel_fn` plays the same role).
 *
 * @example analyticArchitectures(); // ['gauss-net', 'exp-net', 'erf-net', 'relu-net', 'tanh-net', 'shallow', 'mlp', 'linear-net']
 */
export function analyticArchitectures(): string[] {
  return architecturesWith((c) => c.dense !== undefined);
}

function activationOf(a: NetSpecLike['activation']): string | ScalarActivation | undefined {
  if (a === undefined || typeof a === 'string') return a;
  return typeof (a as ScalarActivation).scalar === 'function' ? (a as ScalarActivation) : a.id;
}

/**
 * Analytic NNGP and NTK of an architecture, by id (`relu-net`, `mlp`, ...) or by spec / architecture object
 * (`{ id, spec }` with core's `NetSpec`). Returns both kernels in float64 with the method used (`closed-form` or
 * `quadrature`). Says clearly when there is no analytic kernel: throws {@link NoAnalyticKernelError} (a one-line
 * UsageError) that names the empirical NTK and Monte Carlo as fallbacks — never a silent wrong answer.
 *
 * When to use: the infinite-width reference for correlators (G2 = δ_ab K), for the empirical NTK's convergence,
 * and for `nnsym kernel` / `nnsym ntk --mode analytic`.
 *
 * Shapes: inputs [P, d_in] (number[][] or a flat Float64Array with rows/cols); kernels row-major [P, P].
 *
 * @example
 * const k = analyticKernel('relu-net', [[1, 0], [0, 1]], { sigmaW: 1, sigmaB: 1 });
 * const d = analyticKernel('mlp', x, { activation: 'erf', depth: 3, parameterization: 'ntk' });
 * analyticKernel('my-conv-net', x); // throws: architecture "my-conv-net" has no analytic kernel; use the empirical NTK ...
 */
export function analyticKernel(arch: AnalyticArch, inputs: KernelInputs, options: AnalyticKernelOptions = {}): AnalyticKernels & { architecture: string } {
  const { label, spec, opts } = resolveAnalytic(arch, options);
  return { architecture: label, ...mlpKernels(spec, inputs, opts) };
}

/** An architecture as {@link analyticKernel} takes it: an id, a spec, or an architecture object. */
export type AnalyticArch = string | NetSpecLike | { id: string; spec?: NetSpecLike; activation?: NetSpecLike['activation'] };

/** Options of {@link analyticKernelAsync}: those of {@link analyticKernel}, plus an abort signal and progress. */
export interface AnalyticKernelAsyncOptions extends AnalyticKernelOptions {
  /** Stop between blocks of rows (e.g. wired to SIGINT); the result then holds the rows done (`complete: false`). */
  signal?: AbortSignal;
  /** Called after each block of rows (about 50 ms of work each). */
  onProgress?: (rowsDone: number, rows: number) => void;
}

/**
 * {@link analyticKernel} computed in blocks of rows, each in its own macrotask, so a big kernel (P up to 2e4, deep
 * quadrature duals: minutes) shows progress and can be stopped. Stopped through `signal`, it resolves with the rows
 * done: rows and columns 0..rowsDone−1 are final, every other entry is NaN (null in JSON), `complete: false`.
 * A completed run equals {@link analyticKernel} bit for bit.
 *
 * @example
 * const k = await analyticKernelAsync('relu-net', x, { signal: ac.signal, onProgress: (d, n) => bar.update(d, n, 'rows') });
 * if (!k.complete) console.log(`${k.rowsDone} of ${k.P} rows`);
 */
export async function analyticKernelAsync(
  arch: AnalyticArch,
  inputs: KernelInputs,
  options: AnalyticKernelAsyncOptions = {},
): Promise<AnalyticKernels & { architecture: string; complete: boolean; rowsDone: number }> {
  const { signal, onProgress, ...rest } = options;
  const { label, spec, opts } = resolveAnalytic(arch, rest);
  const plan: MlpKernelPlan = planMlpKernels(spec, inputs, opts);
  while (plan.rowsDone < plan.P && !signal?.aborted) {
    const until = Date.now() + 50;
    do plan.run(plan.rowsDone + 1);
    while (plan.rowsDone < plan.P && Date.now() < until);
    onProgress?.(plan.rowsDone, plan.P);
    if (plan.rowsDone < plan.P) await new Promise<void>((r) => defer(r));
  }
  return { architecture: label, ...plan.result(), complete: plan.rowsDone === plan.P, rowsDone: plan.rowsDone };
}

/** Resolve an architecture and options into the dense-family spec of {@link mlpKernels}. */
function resolveAnalytic(arch: AnalyticArch, options: AnalyticKernelOptions): { label: string; spec: MlpKernelSpec; opts: { dIn?: number; field?: string; ntk?: boolean } } {
  const isObj = typeof arch === 'object' && arch !== null;
  const id = typeof arch === 'string' ? arch : isObj && typeof (arch as { id?: unknown }).id === 'string' ? (arch as { id: string }).id : undefined;
  const spec: NetSpecLike = isObj ? ((arch as { spec?: NetSpecLike }).spec ?? (arch as NetSpecLike)) : {};
  const plugin = id !== undefined ? architecturePlugin(id) : undefined;
  const family: FamilyEntry | undefined = plugin?.capabilities?.dense;
  if (id !== undefined && !family) {
    if (plugin || isObj) {
      throw new NoAnalyticKernelError(`architecture "${id}" has no analytic kernel (no closed form or quadrature); ${FALLBACK_ADVICE}`, 'arch');
    }
    const analytic = analyticArchitectures();
    const known = [...new Set([...analytic, ...plugins.kind('architecture').ids()])];
    const near = closestId(id, known);
    throw new UsageError(`unknown architecture "${id}"${near ? ` (did you mean "${near}"?)` : ''}; with analytic kernels: ${analytic.join(', ')}`, 'arch');
  }
  const label = id ?? 'mlp'; // an unnamed spec is a dense MLP
  // An architecture object's own activation instance carries its config (e.g. leaky-relu's slope).
  const archActivation = isObj ? activationOf((arch as { activation?: NetSpecLike['activation'] }).activation) : undefined;
  const activation =
    activationOf(options.activation) ?? family?.activation ?? archActivation ?? activationOf(spec.activation) ?? (id === undefined || (family && family.activation === undefined) ? 'relu' : undefined);
  if (activation === undefined) throw new UsageError(`architecture "${label}" needs an activation (e.g. relu, erf, tanh)`, 'activation');
  const requested = options.depth ?? spec.depth;
  if (family?.depth !== undefined && requested !== undefined && requested !== family.depth) {
    throw new NoAnalyticKernelError(`architecture "${label}" has exactly ${family.depth} hidden layer, got depth ${requested}; for deeper networks use the mlp architecture`, 'depth');
  }
  const depth = family?.depth ?? requested ?? family?.defaultDepth ?? 1;
  const dIn = options.dIn ?? spec.dIn;
  return {
    label,
    spec: {
      activation,
      depth,
      sigmaW: options.sigmaW ?? spec.sigmaW,
      sigmaB: options.sigmaB ?? spec.sigmaB,
      bias: options.bias ?? spec.bias,
      parameterization: options.parameterization ?? spec.parameterization,
      width: options.width ?? spec.width,
      dOut: options.dOut ?? spec.dOut,
      quadrature: options.quadrature,
    },
    opts: { dIn, field: options.field, ntk: options.ntk },
  };
}

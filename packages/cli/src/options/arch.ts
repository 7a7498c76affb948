import type { Command } from 'commander';
import { LIMITS, UsageError, createArchitecture, isNnsymError, plugins, type Architecture } from '@nnsym/core';
import { finiteNumber, nonNegativeInt, oneOf, positiveInt } from '../flags';
import { flagOfAttribute, flagOfPath } from './paths';

/** Flags that define an architecture (the `arch` family): `--arch --width --d-in --d-out --depth ...`. */
export interface ArchFlags {
  arch: string;
  width?: number;
  dIn?: number;
  dOut?: number;
  depth?: number;
  sigmaW?: number;
  sigmaB?: number;
  activation?: string;
  parameterization?: 'standard' | 'ntk';
  bias?: boolean;
}

/**
 * Build the architecture named by `--arch` from CLI flags. Flags not given keep the plugin's defaults; `--d-in`
 * defaults to `inputDim` (the inputs' dimension) when known. Library errors name a field path (`config.width`);
 * they are rethrown as one line naming the flag ({@link flagOfPath}).
 *
 * @example archFromFlags({ arch: 'relu-net', width: 50 }, 1).spec.width // 50
 */
export function archFromFlags(flags: ArchFlags, inputDim?: number): Architecture {
  const config = archConfigFromFlags(flags, inputDim);
  try {
    return createArchitecture(flags.arch, config, plugins, '--arch');
  } catch (e) {
    throw archError(e, flags.arch);
  }
}

/**
 * The architecture config that {@link archFromFlags} gives `createArchitecture` (flags not given are left out);
 * serialisable, so worker threads rebuild the same architecture from it.
 *
 * @example archConfigFromFlags({ arch: 'relu-net', width: 50 }, 2) // { width: 50, dIn: 2 }
 */
export function archConfigFromFlags(flags: ArchFlags, inputDim?: number): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (flags.width !== undefined) config.width = flags.width;
  const dIn = flags.dIn ?? inputDim;
  if (dIn !== undefined) config.dIn = dIn;
  if (flags.dOut !== undefined) config.dOut = flags.dOut;
  if (flags.depth !== undefined) config.depth = flags.depth;
  if (flags.sigmaW !== undefined) config.sigmaW = flags.sigmaW;
  if (flags.sigmaB !== undefined) config.sigmaB = flags.sigmaB;
  if (flags.activation !== undefined) config.activation = flags.activation;
  if (flags.parameterization !== undefined) config.parameterization = flags.parameterization;
  if (flags.bias === false) config.bias = false;
  return config;
}

/** A library error of `createArchitecture` as one line naming the flag. */
function archError(e: unknown, arch: string): unknown {
  if (!isNnsymError(e)) return e;
  {
    const flag = flagOfPath(e.field) ?? '--arch';
    const unknownKey = /Unrecognized key/i.test(e.message) ? /"([a-zA-Z]+)"/.exec(e.message)?.[1] : undefined;
    if (unknownKey) {
      const f = flagOfAttribute(unknownKey);
      return new UsageError(`${f} does not apply to --arch ${arch}`, f);
    }
    // `architecture "relu-net": config.activation: this family uses relu (...)` -> `--activation: --arch relu-net: ...`
    const detail = e.message.replace(/^architecture "[^"]+": config(\.[A-Za-z]+)?: /, '');
    if (detail !== e.message) return new UsageError(`${flag}: --arch ${arch}: ${detail}`, flag);
    return new UsageError(e.message.startsWith('--') ? e.message : `${flag}: ${e.message}`, flag);
  }
}

/** Help text of `--arch`: the built-in ids. */
export const ARCH_HELP = 'gauss-net, exp-net, erf-net, relu-net, tanh-net, shallow, mlp, linear-net (or a plugin)';

/**
 * Add the architecture flags to `cmd`. Counts are bounded ({@link LIMITS}: width 1e6, dimensions 1e5, depth 1000).
 *
 * @param o.required `--arch` is required (default) or defaults to `o.defaultArch`
 * @param o.omit flags this command does not take (e.g. `['parameterization']` for analytic kernels)
 * @example addArchOptions(program.command('sample')).requiredOption('--ensemble <M>', ...)
 */
export function addArchOptions(cmd: Command, o: { defaultArch?: string; omit?: (keyof ArchFlags)[]; defaults?: Partial<Record<'width' | 'dIn' | 'dOut', number>> } = {}): Command {
  const skip = new Set(o.omit ?? []);
  const d = o.defaults ?? {};
  if (o.defaultArch) cmd.option('--arch <id>', `architecture: ${ARCH_HELP}`, o.defaultArch);
  else cmd.requiredOption('--arch <id>', `architecture: ${ARCH_HELP}`);
  if (!skip.has('width')) cmd.option('--width <N>', 'hidden width N (default 100; max 1e6)', positiveInt('--width', LIMITS.width), d.width);
  if (!skip.has('dIn')) cmd.option('--d-in <n>', "input dimension (default: the inputs' dimension)", positiveInt('--d-in', LIMITS.dim), d.dIn);
  if (!skip.has('dOut')) cmd.option('--d-out <n>', 'number of outputs (default 1)', positiveInt('--d-out', LIMITS.dim), d.dOut);
  if (!skip.has('depth')) cmd.option('--depth <L>', 'hidden layers (mlp: default 2; linear-net: default 1, 0 allowed)', nonNegativeInt('--depth', LIMITS.depth));
  if (!skip.has('activation')) cmd.option('--activation <id>', 'activation of shallow / mlp (relu, leaky-relu, gelu, tanh, sigmoid, erf, exp, identity, power, gauss)');
  if (!skip.has('sigmaW')) cmd.option('--sigma-w <s>', 'weight scale σ_w: W ~ N(0, σ_w²/fan_in) (default 1)', finiteNumber('--sigma-w', { min: 0 }));
  if (!skip.has('sigmaB')) cmd.option('--sigma-b <s>', 'bias scale σ_b: b ~ N(0, σ_b²) (default 1)', finiteNumber('--sigma-b', { min: 0 }));
  if (!skip.has('parameterization')) cmd.option('--parameterization <p>', 'standard (NN-QFT, default) or ntk', oneOf('--parameterization', ['standard', 'ntk'] as const));
  if (!skip.has('bias')) cmd.option('--no-bias', 'networks without biases');
  return cmd;
}

import type { Command } from 'commander';
import { UsageError, inputRows, parseInputs } from '@nnsym/core';
import { LIMITS } from '@nnsym/core';
import { analyticKernelAsync, kernelRows, NoAnalyticKernelError } from '@nnsym/ntk';
import type { CliContext } from '../context';
import { oneOf } from '../flags';
import { addArchOptions, addInputsOption, addOutputOptions, analyticMeta, emitResult, flagOfPath, formatMatrix, interruptible, progressBar, reportInterrupted } from '../options';

interface KernelFlags {
  arch: string;
  inputs: string;
  sigmaW?: number;
  sigmaB?: number;
  dIn?: number;
  dOut?: number;
  depth?: number;
  activation?: string;
  bias: boolean;
  out?: string;
  progress?: boolean;
  quadrature?: 'series' | 'panels' | 'hermite';
}

/** `nnsym kernel`: the analytic NNGP kernel (infinite-width two-point function) of an architecture. */
export function registerKernel(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('kernel')
    .description('analytic NNGP kernel K(x, x\') of an architecture (closed form or quadrature, float64)');
  addArchOptions(cmd, { omit: ['width', 'parameterization'] });
  addInputsOption(cmd);
  addOutputOptions(cmd);
  cmd
    .option('--quadrature <rule>', 'numerics for activations without a closed form: series (Hermite series with panel fallback, default), panels or hermite', oneOf('--quadrature', ['series', 'panels', 'hermite'] as const))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym kernel --arch gauss-net --inputs '[-1, -0.5, 0, 0.5, 1]' --json\n" +
        '  nnsym kernel --arch relu-net --d-in 2 --inputs circle:1,8 --sigma-b 0\n' +
        "  nnsym kernel --arch mlp --activation erf --depth 3 --sigma-w 1.5 --inputs '[[1,0],[0.6,0.8]]'\n" +
        'An architecture without an analytic kernel is an error that points to `nnsym ntk --mode empirical` and\n' +
        'to the Monte-Carlo estimate `nnsym correlators --orders 2`.\n',
    )
    .action(async (flags: KernelFlags) => {
      const c = ctx();
      const inputs = inputRows(parseInputs(flags.inputs, { dIn: flags.dIn, seed: c.seed }));
      if (inputs.length > LIMITS.kernelPoints) throw new UsageError(`--inputs: ${inputs.length} points make a ${inputs.length}x${inputs.length} kernel (max ${LIMITS.kernelPoints} points)`, '--inputs');
      // Ctrl-C / SIGTERM: stop after the current block of rows and write the rows done (marked incomplete).
      const stop = interruptible(c, 'kernel', 'stopping after the current block of rows and writing the rows done');
      const bar = progressBar(c, flags, 'kernel');
      const k = await analyticKernelAsync(flags.arch, inputs, {
        sigmaW: flags.sigmaW,
        sigmaB: flags.sigmaB,
        dIn: flags.dIn,
        dOut: flags.dOut,
        depth: flags.depth,
        activation: flags.activation,
        bias: flags.bias === false ? false : undefined,
        quadrature: flags.quadrature ? { rule: flags.quadrature } : undefined,
        field: '--inputs',
        ntk: false,
        signal: stop.signal,
        onProgress: (d, n) => bar?.update(d, n, 'rows'),
      })
        .catch((e: unknown) => {
          // The library's advice names no commands; here it does.
          if (e instanceof NoAnalyticKernelError) throw new UsageError(`${e.message} (nnsym ntk --mode empirical --width N, or nnsym correlators --orders 2)`, flagOfPath(e.field ?? 'arch') ?? '--arch');
          throw e;
        })
        .finally(() => {
          stop.release();
          bar?.done();
        });
      const cut = k.complete ? undefined : `${k.rowsDone} of ${k.P} rows`;
      const partial = k.complete ? {} : { complete: false, rowsDone: k.rowsDone, note: `rows and columns 0..${k.rowsDone - 1} are final; the other entries were not computed (null)` };
      if (await emitResult(c, flags, 'kernel', 'float64 (host arithmetic; analytic, no sampling)', () => ({ ...partial, kernel: kernelRows(k.nngp, k.P), ...analyticMeta(k), inputs: inputs }), { complete: k.complete })) {
        if (cut) reportInterrupted(c, 'kernel', flags.out, cut);
        return;
      }
      c.out(`NNGP kernel of ${k.architecture} (${k.activation}, depth ${k.depth}, σ_w = ${k.sigmaW}, σ_b = ${k.sigmaB}; ${k.method}; float64)${cut ? ` (INTERRUPTED after ${cut}: "-" not computed)` : ''}:`);
      for (const line of formatMatrix(k.nngp, k.P, undefined, { missing: cut ? '-' : undefined })) c.out(line);
      const computed = cut ? Array.from(k.nngp).filter((v) => !Number.isNaN(v)) : Array.from(k.nngp);
      if (!computed.every(Number.isFinite)) c.info('warning: the kernel has non-finite entries (overflow: inputs or σ_w too large for this activation)');
      for (const n of k.notes) c.info(`note: ${n}`);
      if (cut) reportInterrupted(c, 'kernel', flags.out, cut);
    });
}

import type { Command } from 'commander';
import { UsageError } from '@nnsym/core';
import { analyticKernel, kernelRows } from '@nnsym/ntk';
import type { CliContext } from '../context';
import { finiteNumber, nonNegativeInt, oneOf, positiveInt } from '../flags';
import { resultEnvelope } from '../result';
import { analyticMeta, formatMatrix, parseInputsFlag } from './kernel';

interface NtkFlags {
  arch: string;
  inputs: string;
  mode: 'analytic' | 'empirical';
  parameterization: 'ntk' | 'standard';
  depth?: number;
  width?: number;
  sigmaW?: number;
  sigmaB?: number;
  dIn?: number;
  dOut?: number;
  activation?: string;
  bias: boolean;
  ensemble: number;
  output: 'full' | 'trace' | 'diagonal';
  batch?: number;
  quadrature?: 'panels' | 'hermite';
}

/** `nnsym ntk`: the neural tangent kernel, analytic (infinite width) or empirical (finite width, ensemble mean ± SE). */
export function registerNtk(program: Command, ctx: () => CliContext): void {
  program
    .command('ntk')
    .description('neural tangent kernel Θ(x, x\') (and NNGP): analytic infinite-width, or empirical at finite width')
    .requiredOption('--arch <id>', 'architecture: relu-net, erf-net, tanh-net, gauss-net, exp-net, shallow, mlp, linear-net, ...')
    .requiredOption('--inputs <json>', 'inputs as JSON ([[x11, x12], ...], or [x1, x2, ...] for d_in = 1), or a path to a JSON file')
    .option('--mode <mode>', 'analytic or empirical', oneOf('--mode', ['analytic', 'empirical'] as const), 'analytic')
    .option('--parameterization <p>', 'ntk (weights N(0,1), scaled in the forward pass; default, as neural-tangents) or standard (NN-QFT)', oneOf('--parameterization', ['ntk', 'standard'] as const), 'ntk')
    .option('--depth <L>', 'hidden layers (mlp, linear-net)', nonNegativeInt('--depth'))
    .option('--width <N>', 'hidden width (required for --mode empirical and for the standard-parameterisation NTK)', positiveInt('--width'))
    .option('--sigma-w <s>', 'weight scale σ_w (default 1)', finiteNumber('--sigma-w', { min: 0 }))
    .option('--sigma-b <s>', 'bias scale σ_b (default 1)', finiteNumber('--sigma-b', { min: 0 }))
    .option('--d-in <n>', 'input dimension (checked against the inputs)', positiveInt('--d-in'))
    .option('--d-out <n>', 'number of outputs (analytic: Θ_ab = δ_ab Θ)', positiveInt('--d-out'))
    .option('--activation <id>', 'activation for shallow / mlp (relu, erf, identity, tanh, gelu, ...)')
    .option('--no-bias', 'networks without biases')
    .option('--ensemble <M>', 'empirical mode: networks averaged (standard errors need M >= 2)', positiveInt('--ensemble'), 8)
    .option('--output <kind>', 'empirical mode: full (P·d_out square), trace (over outputs) or diagonal', oneOf('--output', ['full', 'trace', 'diagonal'] as const), 'trace')
    .option('--batch <B>', 'empirical mode: inputs per Jacobian block (memory bound)', positiveInt('--batch'))
    .option('--quadrature <rule>', 'quadrature rule for activations without a closed form: panels (default) or hermite', oneOf('--quadrature', ['panels', 'hermite'] as const))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  nnsym ntk --arch mlp --activation relu --depth 2 --inputs '[[1,0],[0.6,0.8]]' --json\n" +
        "  nnsym ntk --arch relu-net --width 512 --mode empirical --ensemble 16 --inputs '[[1,0],[0.6,0.8]]' --json\n" +
        'Analytic mode fails with a clear message for architectures without a closed form; use --mode empirical.\n',
    )
    .action(async (flags: NtkFlags) => {
      const c = ctx();
      const inputs = parseInputsFlag(flags.inputs, '--inputs', flags.dIn);
      if (flags.mode === 'empirical') {
        if (flags.width === undefined) throw new UsageError('--mode empirical needs --width N (the hidden width of the finite networks)', '--width');
        throw new UsageError('--mode empirical is not available in this build yet', '--mode');
      }
      const k = analyticKernel(flags.arch, inputs, {
        sigmaW: flags.sigmaW,
        sigmaB: flags.sigmaB,
        dIn: flags.dIn,
        dOut: flags.dOut,
        depth: flags.depth,
        width: flags.width,
        activation: flags.activation,
        parameterization: flags.parameterization,
        bias: flags.bias === false ? false : undefined,
        quadrature: flags.quadrature ? { rule: flags.quadrature } : undefined,
        field: '--inputs',
      });
      if (!k.ntk) throw new UsageError(`${k.notes.join('; ')} (--width)`, '--width');
      if (c.json) {
        const payload = { mode: 'analytic', parameterization: k.parameterization, width: k.width, ntk: kernelRows(k.ntk, k.P), nngp: kernelRows(k.nngp, k.P), ...analyticMeta(k), inputs };
        c.out(JSON.stringify(await resultEnvelope(c, 'ntk', 'float64 (host arithmetic; analytic, no sampling)', payload)));
        return;
      }
      c.out(`NTK of ${k.architecture} (${k.activation}, depth ${k.depth}, ${k.parameterization} parameterisation; ${k.method}; float64):`);
      for (const line of formatMatrix(k.ntk, k.P)) c.out(line);
      c.out('NNGP:');
      for (const line of formatMatrix(k.nngp, k.P)) c.out(line);
      for (const n of k.notes) c.info(`note: ${n}`);
    });
}

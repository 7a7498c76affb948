import type { Command } from 'commander';
import { inputRows, parseInputs } from '@nnsym/core';
import { analyticKernel, kernelRows, type AnalyticKernels } from '@nnsym/ntk';
import type { CliContext } from '../context';
import { finiteNumber, nonNegativeInt, oneOf, positiveInt } from '../flags';
import { resultEnvelope } from '../result';

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
  quadrature?: 'series' | 'panels' | 'hermite';
}

/** Format a P×P matrix for the terminal. */
export function formatMatrix(k: Float64Array, P: number): string[] {
  return kernelRows(k, P).map((r) => r.map((v) => v.toPrecision(8).padStart(15)).join(' '));
}

/** The fields every analytic result reports besides its matrices. */
export function analyticMeta(k: AnalyticKernels & { architecture: string }): Record<string, unknown> {
  return {
    architecture: k.architecture,
    activation: k.activation,
    method: k.method,
    reference: k.reference,
    depth: k.depth,
    sigmaW: k.sigmaW,
    sigmaB: k.sigmaB,
    bias: k.bias,
    dIn: k.dIn,
    dOut: k.dOut,
    P: k.P,
    outputStructure: 'K_ab = delta_ab K (zero-mean weights); the matrix is K for one output',
    notes: k.notes,
  };
}

/** `nnsym kernel`: the analytic NNGP kernel (infinite-width two-point function) of an architecture. */
export function registerKernel(program: Command, ctx: () => CliContext): void {
  program
    .command('kernel')
    .description('analytic NNGP kernel K(x, x\') of an architecture (closed form or quadrature, float64)')
    .requiredOption('--arch <id>', 'architecture: gauss-net, exp-net, erf-net, relu-net, tanh-net, shallow, mlp, linear-net')
    .requiredOption('--inputs <spec>', 'inputs: JSON ([[x11, x12], ...], or [x1, x2, ...] for d_in = 1), @file.json, or a grid (linspace:-1,1,6, circle:1,8, normal:10, ...)')
    .option('--sigma-w <s>', 'weight scale σ_w (default 1)', finiteNumber('--sigma-w', { min: 0 }))
    .option('--sigma-b <s>', 'bias scale σ_b (default 1)', finiteNumber('--sigma-b', { min: 0 }))
    .option('--d-in <n>', 'input dimension (checked against the inputs)', positiveInt('--d-in'))
    .option('--d-out <n>', 'number of outputs (K_ab = δ_ab K)', positiveInt('--d-out'))
    .option('--depth <L>', 'hidden layers (mlp, linear-net)', nonNegativeInt('--depth'))
    .option('--activation <id>', 'activation for shallow / mlp (relu, erf, identity, tanh, gelu, sigmoid, ...)')
    .option('--no-bias', 'networks without biases (σ_b = 0)')
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
      const k = analyticKernel(flags.arch, inputs, {
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
      });
      if (c.json) {
        const payload = { kernel: kernelRows(k.nngp, k.P), ...analyticMeta(k), inputs: inputs };
        c.out(JSON.stringify(await resultEnvelope(c, 'kernel', 'float64 (host arithmetic; analytic, no sampling)', payload)));
        return;
      }
      c.out(`NNGP kernel of ${k.architecture} (${k.activation}, depth ${k.depth}, σ_w = ${k.sigmaW}, σ_b = ${k.sigmaB}; ${k.method}; float64):`);
      for (const line of formatMatrix(k.nngp, k.P)) c.out(line);
      for (const n of k.notes) c.info(`note: ${n}`);
    });
}

import { UsageError } from '@nnsym/core';

/**
 * Thrown when an architecture or activation has no analytic (closed-form or quadrature) kernel. The message says
 * so and names the fallback: the empirical NTK (`nnsym ntk --mode empirical --width N`) or a Monte-Carlo NNGP
 * (`nnsym correlators --order 2`). It is a {@link UsageError}: the CLI prints it as one line and exits with 2.
 *
 * @example
 * try { analyticKernel('my-conv-net', x); } catch (e) { if (e instanceof NoAnalyticKernelError) useEmpirical(); }
 */
export class NoAnalyticKernelError extends UsageError {
  /** What to use instead. */
  readonly fallback: 'empirical' | 'monte-carlo';
  constructor(message: string, field?: string, fallback: 'empirical' | 'monte-carlo' = 'empirical') {
    super(message, field);
    this.name = 'NoAnalyticKernelError';
    this.fallback = fallback;
  }
}

/** The standard advice appended to "no closed form" messages. */
export const FALLBACK_ADVICE =
  'use the empirical NTK (at a finite width) or a Monte-Carlo NNGP (the order-2 correlator) instead';

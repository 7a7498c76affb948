import type { LrSchedule } from './types';

/**
 * Step decay: lr(epoch) = lr0 * gamma^floor(epoch / every) (PyTorch's `StepLR(step_size=every, gamma)`, stepped
 * once per epoch). `gamma = 1` is a constant rate.
 *
 * @example
 * const s = stepDecay(1e-3, 0.7);   // 1e-3, 7e-4, 4.9e-4, ... (the arXiv 2106.00694 Fashion-MNIST schedule)
 */
export function stepDecay(lr0: number, gamma = 1, every = 1): LrSchedule {
  if (!(lr0 > 0) || !Number.isFinite(lr0)) throw new RangeError(`stepDecay: lr must be a positive number, got ${lr0}`);
  if (!(gamma > 0) || !Number.isFinite(gamma)) throw new RangeError(`stepDecay: gamma must be a positive number, got ${gamma}`);
  if (!(every >= 1) || !Number.isInteger(every)) throw new RangeError(`stepDecay: every must be a positive integer, got ${every}`);
  return (epoch) => lr0 * Math.pow(gamma, Math.floor(epoch / every));
}

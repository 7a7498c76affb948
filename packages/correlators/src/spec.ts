import type { SeedKey } from '@nnsym/core';

/**
 * What defines a Monte-Carlo correlator run: two partial results can be merged only when every field is equal
 * (the ensemble is then one and the same, split into chunks that the partials hold disjointly).
 */
export interface CorrelatorRunSpec {
  arch: string;
  width: number;
  /** Hidden layers (mlp, linear-net only; the one-hidden-layer families fix it). */
  depth?: number;
  activation?: string;
  dIn: number;
  dOut: number;
  sigmaW: number;
  sigmaB: number;
  /** Biases on (default true). */
  bias?: boolean;
  parameterization: 'standard' | 'ntk';
  /** Input points [P, d_in]. */
  inputs: number[][];
  /** Requested even orders. */
  orders: number[];
  /** Networks in the whole ensemble M (over all shards). */
  ensemble: number;
  /** Networks per chunk (part of the ensemble's identity). */
  chunkSize: number;
  seed: SeedKey;
  /** Jackknife groups B. */
  groups: number;
}

import type { ParamLayout } from '@nnsym/core';
import type { Distribution } from '../types';

/**
 * One rule of an initialisation spec. `target` selects parameters by name: `W0`, `b1`, ... (layer l, input layer
 * first), `Wout`/`bout` (the output layer), `W*` (all weights), `b*` (all biases), `*` (everything). Optional
 * `rows`/`cols` restrict it to a block of the per-network tensor (weights are [fan_out, fan_in]: rows are output
 * units), as [start, end) with `end` omitted = to the end.
 *
 * What it sets: `dist` (a distribution id; its natural `params`, or none to keep the current mean and std),
 * and/or `mean`, `std` (absolute), `gain` (multiplies the std).
 *
 * @example { target: 'Wout', rows: [0, 2], mean: 0.5 } // rows 0..1 of the readout get mean 0.5 (arXiv 2106.00694)
 */
export interface InitRule {
  target: string;
  rows?: [number, number?];
  cols?: [number, number?];
  dist?: string;
  params?: Record<string, number>;
  mean?: number;
  std?: number;
  gain?: number;
}

/**
 * A layer-wise initialisation: rules applied in order on top of the default NN-QFT Gaussian init
 * (every parameter N(0, layout.std²): σ_w²/fan_in for weights, σ_b² for biases; N(0,1) in the NTK
 * parameterisation). Whole-parameter rules set the parameter's base law; block rules (rows/cols) then override
 * entries of the block (later blocks win where blocks overlap). String form: see `parseInitSpec`.
 */
export interface InitSpec {
  rules: InitRule[];
  /** The text it was parsed from, for provenance. */
  source?: string;
}

/** A block of one network's parameter tensor with its own law. */
export interface ResolvedBlock {
  rows: [number, number];
  cols: [number, number];
  dist: Distribution;
}

/** The law of one parameter after resolving a spec against a layout. */
export interface ResolvedParamInit {
  name: string;
  layout: ParamLayout;
  base: Distribution;
  blocks: ResolvedBlock[];
}

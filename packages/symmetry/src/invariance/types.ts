import type { SeedKey } from '@nnsym/core';
import type { InitSpec } from '@nnsym/distributions';
import type { OutputChunk } from './accumulator';

// The data types of the invariance area: what the parameter side of an ensemble declares (read by the prediction),
// the ensemble description of a study, and the source that evaluates it. Behaviour files import them from here, so
// the study (study.ts) and the core-ensemble source (core-source.ts) do not import each other's types.

/**
 * The invariance a parameter distribution declares for a weight matrix, as a group acting on the index the network
 * symmetry moves (columns of W0 for input rotations, rows of W_last for output rotations), ignoring its mean:
 * `orthogonal` (iid zero-mean normal entries: W -> R W has the same law for any R ∈ O(n)), `signed-permutation`
 * (iid symmetric entries: sign flips and permutations), `permutation` (iid entries), `none`.
 */
export type DeclaredInvariance = 'orthogonal' | 'signed-permutation' | 'permutation' | 'none';

/** What the parameter side says about one layer: its declared invariance and the mean vector along the acted index. */
export interface LayerLaw {
  invariance: DeclaredInvariance;
  /** Mean along the acted index: W0's column means (length d_in), or W_last's row means (length d_out). Zero when absent. */
  mean?: readonly number[];
  /**
   * More mean vectors the group must fix (a general mean matrix): the distinct rows of E[W0] (in R^d_in), or the
   * distinct columns of E[W_last] and E[b_last] (in R^d_out).
   */
  means?: readonly (readonly number[])[];
}

/** The parameter-side description of a network ensemble that a prediction needs. */
export interface ParameterSide {
  arch: string;
  /** Law of the first layer (its action on inputs). */
  first: LayerLaw;
  /** Law of the last layer's weights and bias together (its action on outputs). */
  last: LayerLaw;
  /** Whether the ensemble is at finite width (always, for sampled ensembles). */
  finiteWidth?: boolean;
}

/** The network ensemble of a symmetry study (single-hidden-layer, NN-QFT conventions). */
export interface StudyEnsemble {
  arch: string;
  dIn: number;
  dOut: number;
  width: number;
  networks: number;
  sw?: number;
  sb?: number;
  /** Mean μ on W1 rows 0..breakRows−1 (the breaking init of 2106.00694 Sec. 4.2). */
  breakMean?: number;
  breakRows?: number;
  /** Mean of every W0 entry (breaks input rotations). */
  inputMean?: number;
  /** Further init rules (@nnsym/distributions `--init` spec), applied before the breaking flags. */
  init?: InitSpec;
}

/** Evaluates an ensemble on points: yields chunks [count, P, d_out]. */
export type EnsembleSource = ((ensemble: StudyEnsemble, points: readonly Float64Array[], seed: SeedKey) => Iterable<OutputChunk> | AsyncIterable<OutputChunk>) & {
  /** Precision of the outputs it yields, e.g. `float64 (host)`. */
  precision?: string;
};

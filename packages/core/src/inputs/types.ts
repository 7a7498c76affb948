/**
 * A set of P input points in R^d_in, row-major float64: point p, coordinate i is `points[p * dIn + i]`.
 * Produced by `parseInputs` / `inputGrid`; turned into a tensor by `inputsToTensor`.
 */
export interface InputSet {
  /** Row-major [P, d_in] float64. */
  readonly points: Float64Array;
  /** Number of points P. */
  readonly count: number;
  readonly dIn: number;
  /** Where the points came from (the flag value, a grid spec or `inline`), for provenance. */
  readonly source?: string;
}
